import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { BatchGetTracesCommand, GetTraceSummariesCommand, XRayClient } from "@aws-sdk/client-xray";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "./index";
import { caught, clientConfig, HOUR, MIN, NOW } from "./test-helpers";

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, now: () => NOW, backfillMs: HOUR, quotas: true });
});
afterAll(() => sb.close());

const settle = <T>(calls: Promise<T>[]) => Promise.allSettled(calls);
const rejected = (r: PromiseSettledResult<unknown>[]) => r.filter((x): x is PromiseRejectedResult => x.status === "rejected").map((x) => x.reason as Error & { name: string; $metadata: { httpStatusCode: number } });
// A fresh second: the buckets are full again.
const refill = () => new Promise((r) => setTimeout(r, 1100));

/** Fires n calls at once; checks that a full bucket of `rate` went through, plus at most what refilled meanwhile. */
async function burst<T>(n: number, rate: number, call: () => Promise<T>) {
  const t0 = Date.now();
  const results = await settle(Array.from({ length: n }, call));
  const seconds = (Date.now() - t0) / 1000;
  const errors = rejected(results);
  expect(n - errors.length).toBeGreaterThanOrEqual(rate);
  expect(n - errors.length).toBeLessThanOrEqual(rate + Math.ceil(rate * seconds));
  expect(errors.length).toBeGreaterThan(0);
  return errors;
}

describe("sandbox quotas per account and region", () => {
  it("lets 5 FilterLogEvents calls a second through and throttles the rest with CloudWatch Logs' own error", async () => {
    const logs = new CloudWatchLogsClient(clientConfig(sb));
    await refill();
    const call = () => logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/api-backend", startTime: NOW - MIN, endTime: NOW, limit: 1 }));
    const errs = await burst(12, 5, call);
    for (const e of errs) {
      expect(e.name).toBe("ThrottlingException");
      expect(e.message).toBe("Rate exceeded");
      expect(e.$metadata.httpStatusCode).toBe(400);
    }
    // Another region has a budget of its own.
    const eu = new CloudWatchLogsClient(clientConfig(sb, "eu-west-1"));
    await eu.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/eu-api", startTime: NOW - MIN, endTime: NOW, limit: 1 })).catch((e: Error) => {
      expect(e.name).not.toBe("ThrottlingException");
    });
    await refill();
    await expect(call()).resolves.toBeDefined();
    expect(sb.quotas?.throttled.get("FilterLogEvents")).toBe(errs.length);
  });

  it("answers the raw wire shape AWS does: HTTP 400 and a JSON __type", async () => {
    await refill();
    const body = JSON.stringify({ logGroupName: "/aws/lambda/api-backend", startTime: NOW - MIN, endTime: NOW, limit: 1 });
    const headers = {
      "content-type": "application/x-amz-json-1.1", "x-amz-target": "Logs_20140328.FilterLogEvents",
      authorization: "AWS4-HMAC-SHA256 Credential=test/20260115/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=00",
    };
    const answers = await Promise.all(Array.from({ length: 6 }, () => fetch(`${sb.url}/`, { method: "POST", headers, body })));
    const last = answers.find((a) => a.status !== 200)!;
    expect(last.status).toBe(400);
    expect(last.headers.get("x-amzn-requestid")).toBeTruthy();
    expect(await last.json()).toEqual({ __type: "ThrottlingException", message: "Rate exceeded" });
  });

  it("gives GetMetricData 50 calls a second and 500 queries a call", async () => {
    await refill();
    const cw = new CloudWatchClient(clientConfig(sb));
    const q = { Id: "q", MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "Invocations", Dimensions: [{ Name: "FunctionName", Value: "api-backend" }] }, Period: 60, Stat: "Sum" } };
    const ge = await burst(120, 50, () => cw.send(new GetMetricDataCommand({ StartTime: new Date(NOW - 5 * MIN), EndTime: new Date(NOW), MetricDataQueries: [q] })));
    // CloudWatch is awsQuery-compatible: the SDK names the error after the query code "Throttling".
    expect(new Set(ge.map((e) => `${e.name} ${e.$metadata.httpStatusCode}`))).toEqual(new Set(["Throttling 400"]));
    // The burst emptied the bucket: a full one again, so the size check answers, not the rate.
    await refill();
    const tooMany = await caught(() => cw.send(new GetMetricDataCommand({ StartTime: new Date(NOW - 5 * MIN), EndTime: new Date(NOW), MetricDataQueries: Array.from({ length: 501 }, (_, i) => ({ ...q, Id: `q${i}` })) })));
    expect(tooMany.name).toBe("ValidationException");
  }, 15_000);

  it("gives X-Ray and Lambda their own limits and errors", async () => {

    const xray = new XRayClient(clientConfig(sb));
    await xray.send(new GetTraceSummariesCommand({ StartTime: new Date(NOW - 5 * MIN), EndTime: new Date(NOW) }));
    await refill();
    // One trace id that does not exist: a cheap call, so the burst arrives within a fraction of a second.
    const xe = await burst(12, 5, () => xray.send(new BatchGetTracesCommand({ TraceIds: ["1-00000000-000000000000000000000000"] })));
    expect(xe[0].name).toBe("ThrottledException");
    expect(xe[0].$metadata.httpStatusCode).toBe(429);
    await refill();
    const six = await caught(() => xray.send(new BatchGetTracesCommand({ TraceIds: ["1-a", "1-b", "1-c", "1-d", "1-e", "1-f"] })));
    expect(six.$metadata?.httpStatusCode).toBe(400);

    const lambda = new LambdaClient(clientConfig(sb));
    const le = await burst(24, 15, () => lambda.send(new ListFunctionsCommand({})));
    expect(le[0].name).toBe("TooManyRequestsException");
    expect(le[0].$metadata.httpStatusCode).toBe(429);
  }, 15_000);

  it("lifts them when turned off", async () => {
    sb.setQuotas(false);
    const logs = new CloudWatchLogsClient(clientConfig(sb));
    const results = await settle(Array.from({ length: 12 }, () => logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/api-backend", startTime: NOW - MIN, endTime: NOW, limit: 1 }))));
    expect(rejected(results)).toEqual([]);
    sb.setQuotas(true);
  });
});

describe("sandbox scale and ingestion delay", () => {
  it("invokes only the active share of the simulated functions and shows events only after the ingestion delay", async () => {
    const now = NOW;
    const big = await startSandbox({ port: 0, now: () => now, backfillMs: HOUR, scale: { functions: 1000, activeShare: 0.1 }, ingestionDelayMs: 90_000 });
    try {
      const bench = big.workload.listFunctions("us-east-1").filter((f) => f.spec.name.startsWith("bench-fn-"));
      expect(bench).toHaveLength(1000);
      const ran = bench.filter((f) => big.workload.invocations(f.spec.name, "us-east-1", now - HOUR, now).length > 0);
      expect(ran.length).toBeGreaterThanOrEqual(95);
      expect(ran.length).toBeLessThanOrEqual(100);
      const logs = new CloudWatchLogsClient(clientConfig(big));
      const group = ran[0].logGroupName;
      const page = await logs.send(new FilterLogEventsCommand({ logGroupName: group, startTime: now - 10 * MIN, endTime: now }));
      const events = page.events ?? [];
      expect(events.length).toBeGreaterThan(0);
      for (const e of events) expect(e.ingestionTime! - e.timestamp!).toBe(90_000);
      expect(Math.max(...events.map((e) => e.timestamp!))).toBeLessThanOrEqual(now - 90_000);
    } finally {
      await big.close();
    }
  });
});
