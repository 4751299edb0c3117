import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CloudWatchLogsClient, FilterLogEventsCommand, GetQueryResultsCommand, StartQueryCommand, StopQueryCommand, type GetQueryResultsCommandOutput } from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "./index";
import { SANDBOX_CONCURRENT_QUERIES } from "./quotas";
import { caught, clientConfig, HOUR, MIN, NOW } from "./test-helpers";

// The documented response shape (lib/ingest/pull/__fixtures__, from AWS's API reference).
const documented = JSON.parse(readFileSync(join(__dirname, "../ingest/pull/__fixtures__/get-query-results.json"), "utf8")) as { results: { field: string; value: string }[][]; statistics: Record<string, number> };

let clock = NOW;
let sb: Sandbox;
let logs: CloudWatchLogsClient;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, now: () => clock, backfillMs: HOUR, insights: { minRunMs: 2_000, bytesPerSecond: 1_000_000, clock: () => clock } });
  logs = new CloudWatchLogsClient(clientConfig(sb));
});
afterAll(() => sb.close());

const QUERY = "fields @timestamp, @message, @logStream, @log, @ingestionTime | sort @timestamp asc | limit 10000";
const start = (groups: string[], queryString = QUERY, from = NOW - 10 * MIN) =>
  logs.send(new StartQueryCommand({ logGroupNames: groups, startTime: Math.floor(from / 1000), endTime: Math.floor(clock / 1000), queryString }));
const results = (queryId: string) => logs.send(new GetQueryResultsCommand({ queryId }));

describe("sandbox Logs Insights", () => {
  it("answers a query over several log groups only after it has run, with the rows FilterLogEvents returns and the documented shape", async () => {
    clock = NOW;
    const groups = ["/aws/lambda/api-backend", "/aws/lambda/orders-consumer"];
    const { queryId } = await start(groups);
    const first = await results(queryId!);
    expect(first.status).toBe("Scheduled");
    expect(first.results).toEqual([]);
    // What FilterLogEvents shows for the same window at the same moment: the query returns it all, nothing else.
    let expected = 0;
    for (const g of groups) {
      const r = await logs.send(new FilterLogEventsCommand({ logGroupName: g, startTime: Math.floor((NOW - 10 * MIN) / 1000) * 1000, endTime: NOW, limit: 10_000 }));
      expected += r.events!.length;
      expect(r.nextToken).toBeUndefined();
    }
    clock = NOW + 1_000;
    expect((await results(queryId!)).status).toBe("Running");
    clock = NOW + 60_000;
    const done: GetQueryResultsCommandOutput = await results(queryId!);
    expect(done.status).toBe("Complete");
    // Same fields and statistics as the documented answer, plus @ptr on every row.
    expect(Object.keys(done.statistics!).filter((k) => k in documented.statistics).sort()).toEqual(Object.keys(documented.statistics).sort());
    expect(done.results![0].map((c) => c.field)).toEqual(documented.results[0].map((c) => c.field));
    expect(done.results![0][0].value).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
    expect(expected).toBeGreaterThan(0);
    expect(done.results).toHaveLength(expected);
    expect(done.statistics!.recordsMatched).toBe(expected);
    expect(done.statistics!.bytesScanned).toBeGreaterThan(0);
    const logField = new Set(done.results!.map((r) => r.find((c) => c.field === "@log")!.value!.split(":")[1]));
    expect([...logField].sort()).toEqual(groups);
  });

  it("runs longer the more it scans", async () => {
    clock = NOW;
    const { queryId: small } = await start(["/aws/lambda/api-backend"], QUERY, NOW - MIN);
    const { queryId: big } = await start(["/aws/lambda/api-backend"], QUERY, NOW - HOUR);
    clock = NOW + 2_700;
    expect((await results(small!)).status).toBe("Complete");
    const running = await results(big!);
    expect(running.status).toBe("Running");
    clock = NOW + 120_000;
    expect((await results(big!)).status).toBe("Complete");
  });

  it("filters and pages by time, and refuses what it does not parse with MalformedQueryException", async () => {
    clock = NOW + 200_000;
    const t = NOW - 5 * MIN;
    const { queryId } = await start(["/aws/lambda/api-backend"], `fields @timestamp, @message | filter @timestamp >= ${t} | sort @timestamp desc | limit 5`);
    clock += 60_000;
    const r = await results(queryId!);
    const times = r.results!.map((row) => Date.parse(row[0].value!.replace(" ", "T") + "Z"));
    expect(times).toHaveLength(5);
    expect(times.every((x) => x >= t)).toBe(true);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    for (const q of ["stats count(*) by bin(5m)", "fields @timestamp | parse @message 'a*b' as x", "fields @requestId"]) {
      const err = await caught(() => start(["/aws/lambda/api-backend"], q));
      expect(err.name).toBe("MalformedQueryException");
    }
    const tooMany = await caught(() => start(Array.from({ length: 51 }, (_, i) => `/aws/lambda/f${i}`)));
    expect(tooMany.name).toBe("InvalidParameterException");
  });

  it("sees only events CloudWatch has delivered when the query starts", async () => {
    const late = await startSandbox({ port: 0, now: () => clock, backfillMs: HOUR, ingestionDelayMs: 5 * MIN, insights: { minRunMs: 0, clock: () => clock } });
    try {
      clock = NOW;
      const c = new CloudWatchLogsClient(clientConfig(late));
      const { queryId } = await c.send(new StartQueryCommand({ logGroupNames: ["/aws/lambda/api-backend"], startTime: Math.floor((NOW - 20 * MIN) / 1000), endTime: NOW / 1000, queryString: QUERY }));
      clock = NOW + 1;
      const r = await c.send(new GetQueryResultsCommand({ queryId }));
      const times = r.results!.map((row) => Date.parse(row[0].value!.replace(" ", "T") + "Z"));
      expect(times.length).toBeGreaterThan(0);
      expect(Math.max(...times)).toBeLessThanOrEqual(NOW - 5 * MIN);
    } finally {
      await late.close();
    }
  });

  it(`holds the account to ${SANDBOX_CONCURRENT_QUERIES} queries at once (LimitExceededException), and a stopped query frees its place`, async () => {
    clock = NOW + 10 * HOUR;
    const ids: string[] = [];
    for (let i = 0; i < SANDBOX_CONCURRENT_QUERIES; i++) ids.push((await start(["/aws/lambda/api-backend"], QUERY, clock - MIN)).queryId!);
    const over = await caught(() => start(["/aws/lambda/api-backend"], QUERY, clock - MIN));
    expect(over.name).toBe("LimitExceededException");
    await logs.send(new StopQueryCommand({ queryId: ids[0] }));
    expect((await results(ids[0])).status).toBe("Cancelled");
    await expect(start(["/aws/lambda/api-backend"], QUERY, clock - MIN)).resolves.toHaveProperty("queryId");
    clock += 60_000;
  });

  it("throttles StartQuery beyond 5 calls a second with quotas on", async () => {
    sb.setQuotas(true);
    try {
      clock += HOUR;
      await new Promise((r) => setTimeout(r, 1100));
      const answers = await Promise.allSettled(Array.from({ length: 8 }, () => start(["/aws/lambda/api-backend"], QUERY, clock - MIN)));
      const refused = answers.filter((a): a is PromiseRejectedResult => a.status === "rejected");
      expect(refused.length).toBeGreaterThan(0);
      expect(8 - refused.length).toBeGreaterThanOrEqual(5);
      for (const r of refused) expect((r.reason as Error).name).toBe("ThrottlingException");
    } finally {
      sb.setQuotas(false);
    }
  });
});
