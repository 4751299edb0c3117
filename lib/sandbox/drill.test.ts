import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLoopback } from "./drill";
import { startSandbox, Workload, type Invocation, type Sandbox } from "./index";
import { FIRST_INCIDENT_AFTER_MS } from "./workload";
import { clientConfig, HOUR, MIN, NOW } from "./test-helpers";

const REGION = "us-east-1";
const failed = (i: Invocation) => i.status !== "success";

describe("the incident scenario: checkout-api fails in a burst each hour", () => {
  const started = NOW + 17 * MIN + 25_000;
  const w = new Workload({ seed: 1, now: () => started + 2 * HOUR, historyStart: started - 24 * HOUR, startedAt: started });
  const anchor = Math.floor(started / MIN) * MIN + FIRST_INCIDENT_AFTER_MS;

  it("starts its first burst three whole minutes after the sandbox starts", () => {
    expect(w.incidentAnchor).toBe(anchor);
    expect(anchor - started).toBeGreaterThan(2 * MIN);
    expect(anchor - started).toBeLessThanOrEqual(3 * MIN);
  });

  it("fails far above the default policy's 5 % for five minutes of every hour, in the backfilled day and after start, and stays quiet between", () => {
    for (let k = -24; k <= 1; k++) {
      const burstStart = anchor + k * HOUR;
      if (burstStart < w.historyStart) continue;
      const burst = w.invocations("checkout-api", REGION, burstStart, burstStart + 5 * MIN);
      const after = w.invocations("checkout-api", REGION, burstStart + 5 * MIN, burstStart + 55 * MIN);
      expect(burst.length, `hour ${k}`).toBeGreaterThanOrEqual(10);
      expect(burst.filter(failed).length / burst.length, `hour ${k}`).toBeGreaterThan(0.35);
      expect(after.filter(failed).length / after.length, `hour ${k}`).toBeLessThan(0.02);
      const provider = burst.filter((i) => i.errorType === "PaymentProviderError").length;
      expect(provider / burst.filter(failed).length, `hour ${k}`).toBeGreaterThan(0.9);
    }
  });

  it("leaves every other function as it was: the same invocations whenever the sandbox started", () => {
    const other = new Workload({ seed: 1, now: () => started + 2 * HOUR, historyStart: started - 24 * HOUR, startedAt: started + 23 * MIN });
    for (const fn of ["api-backend", "orders-consumer", "report-generator"]) {
      expect(other.invocations(fn, REGION, started - 3 * HOUR, started + HOUR)).toEqual(w.invocations(fn, REGION, started - 3 * HOUR, started + HOUR));
    }
    // checkout-api itself follows its own start: the bursts move with it.
    expect(other.invocations("checkout-api", REGION, anchor, anchor + 5 * MIN).filter(failed).length).toBeLessThan(w.invocations("checkout-api", REGION, anchor, anchor + 5 * MIN).filter(failed).length);
  });
});

describe("fire drills", () => {
  let now = NOW;
  let sb: Sandbox;
  const baseline = new Workload({ seed: 1, now: () => NOW + HOUR, historyStart: NOW - 2 * HOUR, startedAt: NOW });
  beforeAll(async () => {
    sb = await startSandbox({ port: 0, now: () => now, backfillMs: 2 * HOUR });
  });
  afterAll(() => sb.close());

  const drill = (body: unknown) => fetch(`${sb.url}/_sandbox/drill`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("timeout: every invocation from the drill's start runs to the timeout and logs REPORT with Status: timeout; nothing before changes", async () => {
    now = NOW;
    const res = await drill({ function: "api-backend", kind: "timeout", minutes: 5 });
    expect(res.status).toBe(201);
    const { drill: d } = (await res.json()) as { drill: { function: string; region: string; kind: string; startedAt: string; endsAt: string } };
    expect(d).toEqual({ function: "api-backend", region: REGION, kind: "timeout", startedAt: new Date(NOW).toISOString(), endsAt: new Date(NOW + 5 * MIN).toISOString() });
    now = NOW + 10 * MIN;
    expect(sb.workload.invocations("api-backend", REGION, NOW - HOUR, NOW)).toEqual(baseline.invocations("api-backend", REGION, NOW - HOUR, NOW));
    const during = sb.workload.invocations("api-backend", REGION, NOW, NOW + 5 * MIN);
    expect(during.length).toBeGreaterThan(5);
    for (const i of during) {
      expect(i.status).toBe("timeout");
      expect(i.durationMs).toBeGreaterThan(29_000);
    }
    // api-backend has reserved concurrency 3: with every invocation holding a slot for 29 s, the rest are throttled, as on AWS.
    expect(sb.workload.throttles("api-backend", REGION, NOW, NOW + 5 * MIN).length).toBeGreaterThan(baseline.throttles("api-backend", REGION, NOW, NOW + 5 * MIN).length);
    const ids = new Set(during.map((i) => i.requestId));
    const reports = sb.workload.logEvents("/aws/lambda/api-backend", REGION, NOW, NOW + 6 * MIN).filter((e) => e.message.startsWith("REPORT") && ids.has(/RequestId: (\S+)/.exec(e.message)![1]));
    expect(reports.length).toBe(during.length);
    for (const r of reports) expect(r.message).toMatch(/\tStatus: timeout\n/);
    const after = sb.workload.invocations("api-backend", REGION, NOW + 6 * MIN, NOW + 10 * MIN);
    expect(after.filter((i) => i.status === "timeout")).toEqual([]);
  });

  it("error: every invocation fails with the runtime's error shape and a stack; GET lists the running drill", async () => {
    now = NOW + 20 * MIN;
    expect((await drill({ function: "image-processor", kind: "error", minutes: 3 })).status).toBe(201);
    const state = (await (await fetch(`${sb.url}/_sandbox/drill`)).json()) as { drills: { function: string; kind: string }[]; functions: { name: string }[] };
    expect(state.drills).toEqual([expect.objectContaining({ function: "image-processor", kind: "error" })]);
    expect(state.functions.map((f) => f.name)).toContain("checkout-api");
    now = NOW + 30 * MIN;
    const during = sb.workload.invocations("image-processor", REGION, NOW + 20 * MIN, NOW + 23 * MIN);
    expect(during.length).toBeGreaterThan(3);
    expect(new Set(during.map((i) => `${i.status} ${i.errorType}`))).toEqual(new Set(["error RuntimeError"]));
    const lines = sb.workload.logEvents("/aws/lambda/image-processor", REGION, NOW + 20 * MIN, NOW + 24 * MIN).filter((e) => e.message.includes("RuntimeError"));
    expect(lines.length).toBeGreaterThanOrEqual(during.length);
    expect(lines[0].message).toContain("[ERROR] RuntimeError: Fire drill");
    expect(lines[0].message).toContain("Traceback (most recent call last):");
    expect(((await (await fetch(`${sb.url}/_sandbox/drill`)).json()) as { drills: unknown[] }).drills).toEqual([]);
  });

  it("throttle: the Throttles metric rises by every arrival and nothing is logged", async () => {
    now = NOW + 40 * MIN;
    expect((await drill({ function: "orders-consumer", kind: "throttle" })).status).toBe(201);
    now = NOW + 50 * MIN;
    const from = NOW + 40 * MIN;
    expect(sb.workload.invocations("orders-consumer", REGION, from, from + 5 * MIN).filter((i) => i.attempt === 1)).toEqual([]);
    const arrivals = baseline.invocations("orders-consumer", REGION, from, from + 5 * MIN).filter((i) => i.attempt === 1).length;
    const cw = new CloudWatchClient(clientConfig(sb));
    const r = await cw.send(new GetMetricDataCommand({
      StartTime: new Date(from), EndTime: new Date(from + 5 * MIN),
      MetricDataQueries: [{ Id: "t", MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "Throttles", Dimensions: [{ Name: "FunctionName", Value: "orders-consumer" }] }, Period: 300, Stat: "Sum" } }],
    }));
    expect(arrivals).toBeGreaterThan(10);
    expect(r.MetricDataResults![0].Values![0]).toBeGreaterThanOrEqual(arrivals);
    const starts = sb.workload.logEvents("/aws/lambda/orders-consumer", REGION, from + 1000, from + 5 * MIN).filter((e) => e.message.includes("platform.start"));
    expect(starts).toEqual([]);
  });

  it("a function that rarely runs still fails at least 10 times a minute while drilled, from the drill's start only", async () => {
    const from = NOW + 60 * MIN + 30_000;
    now = from;
    expect((await drill({ function: "report-generator", kind: "error", minutes: 2 })).status).toBe(201);
    now = from + 10 * MIN;
    const own = baseline.invocations("report-generator", REGION, from - MIN, from + 2 * MIN).length;
    expect(own).toBeLessThan(3);
    expect(sb.workload.invocations("report-generator", REGION, from - 30 * MIN, from)).toEqual(baseline.invocations("report-generator", REGION, from - 30 * MIN, from));
    const during = sb.workload.invocations("report-generator", REGION, from, from + 2 * MIN).filter((i) => i.attempt === 1);
    expect(during.length).toBeGreaterThanOrEqual(20);
    expect(during.every((i) => i.status === "error")).toBe(true);
    expect(new Set(during.map((i) => i.requestId)).size).toBe(during.length);
    // The one whole clock minute inside the drill (it started half a minute in).
    const minute = from + 30_000;
    expect(minute % MIN).toBe(0);
    expect(during.filter((i) => i.start >= minute && i.start < minute + MIN).length).toBeGreaterThanOrEqual(10);
  });

  it("refuses a bad drill with 400, an unknown function with 404, and starts no drill", async () => {
    const before = sb.workload.activeDrills().length;
    expect((await drill({ function: "api-backend", kind: "explode" })).status).toBe(400);
    expect((await drill({ function: "api-backend", kind: "timeout", minutes: 0 })).status).toBe(400);
    expect((await drill({ function: "api-backend", kind: "timeout", extra: 1 })).status).toBe(400);
    expect((await fetch(`${sb.url}/_sandbox/drill`, { method: "POST", body: "{not json" })).status).toBe(400);
    expect((await drill({ function: "no-such-function", kind: "timeout" })).status).toBe(404);
    expect(sb.workload.activeDrills().length).toBe(before);
  });

  it("answers loopback clients only", () => {
    expect(["127.0.0.1", "::1", "::ffff:127.0.0.1", "127.8.9.10"].every(isLoopback)).toBe(true);
    expect(["10.0.0.2", "::ffff:192.168.1.4", "fe80::1", undefined].some(isLoopback)).toBe(false);
  });
});
