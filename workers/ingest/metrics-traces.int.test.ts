import { BatchGetTracesCommand, XRayClient } from "@aws-sdk/client-xray";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../lib/sandbox";
import type { AccountRow } from "../../lib/db/account-access";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { createSandboxAccount } from "../../test/sandbox-account";
import { getResourceSeries } from "../../lib/db/queries/series";
import { resolveRange } from "../../lib/api/schemas/common";
import { SeriesQuery } from "../../lib/api/schemas/series";
import { discoverAccountRegion } from "./discover";
import { pullLogs } from "./logs";
import { pullMetrics } from "./metrics";
import { pullTraces } from "./traces";
import { getIngestHealth } from "../../lib/db/queries/ingest-health";

const NOW = Date.UTC(2026, 10, 21, 15, 0, 0);
const LOOKBACK = 60 * 60_000;
const REGION = "us-east-1";
const creds = { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "example" };
let traced: { traces: number; pages: number };

let tdb: TestDatabase;
let db: pg.Pool;
let sandbox: Sandbox;
let account: AccountRow;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 4 });
  sandbox = await startSandbox({ port: 0, seed: 21, now: () => NOW, backfillMs: 2 * LOOKBACK });
  account = await createSandboxAccount(db, sandbox.url);
  await discoverAccountRegion(db, account, REGION);
  await pullLogs(db, account, REGION, { now: NOW, lookbackMs: LOOKBACK });
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  await db?.end();
  await tdb?.drop();
});

describe("CloudWatch metrics", () => {
  it("stores what GetMetricData serves, and Invocations agree with the ingested logs", async () => {
    const result = await pullMetrics(db, account, REGION, { now: NOW, lookbackMs: LOOKBACK });
    expect(result.counts.points).toBeGreaterThan(1000);
    // Every resource of the region in one or two calls, not one per metric.
    expect(result.counts.calls).toBeLessThanOrEqual(Math.ceil(result.counts.resources * 30 / 500) + 2);

    const cw = new CloudWatchClient({ region: REGION, endpoint: sandbox.url, credentials: creds });
    const served = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(NOW - LOOKBACK),
        EndTime: new Date(NOW),
        MetricDataQueries: [
          { Id: "inv", MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "Invocations", Dimensions: [{ Name: "FunctionName", Value: "api-backend" }] }, Period: 60, Stat: "Sum" } },
          { Id: "p99", MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "Duration", Dimensions: [{ Name: "FunctionName", Value: "api-backend" }] }, Period: 60, Stat: "p99" } },
        ],
      }),
    );
    cw.destroy();
    for (const r of served.MetricDataResults!) {
      const [metric, stat] = r.Id === "inv" ? ["Invocations", "Sum"] : ["Duration", "p99"];
      const { rows } = await db.query(
        `SELECT (extract(epoch FROM p.ts) * 1000)::float8 AS t, p.value FROM metric_points p JOIN resources r ON r.id = p.resource_id
          WHERE r.name = 'api-backend' AND p.metric = $1 AND p.stat = $2 AND p.period_s = 60 ORDER BY p.ts`,
        [metric, stat],
      );
      const stored = new Map(rows.map((x) => [x.t, x.value]));
      expect(r.Timestamps!.length).toBeGreaterThan(30);
      r.Timestamps!.forEach((t, i) => expect(stored.get(t.getTime()), `${metric} ${stat} at ${t.toISOString()}`).toBe(r.Values![i]));
    }

    const { rows: perMinute } = await db.query(
      `SELECT p.value::int AS metric, coalesce(m.invocations, 0) AS logged FROM metric_points p
         JOIN resources r ON r.id = p.resource_id
         LEFT JOIN rollup_minute m ON m.resource_id = p.resource_id AND m.bucket_start = p.ts
        WHERE r.name = 'api-backend' AND p.metric = 'Invocations' AND p.stat = 'Sum' AND p.period_s = 60
          AND p.ts >= $1 AND p.ts < $2`,
      [new Date(NOW - LOOKBACK + 5 * 60_000), new Date(NOW - 10 * 60_000)],
    );
    expect(perMinute.length).toBeGreaterThan(30);
    for (const m of perMinute) expect(m.logged).toBe(m.metric);
  });

  it("reads an HTTP API by ApiId and stores its 4xx and 5xx where REST APIs keep 4XXError and 5XXError", async () => {
    const { rows: apis } = await db.query("SELECT id, name, config FROM resources WHERE kind = 'apigateway' AND region = $1 ORDER BY name", [REGION]);
    const http = apis.find((a) => a.config.protocol === "HTTP")!;
    expect(http).toMatchObject({ name: "webhooks-api", config: { apiId: "w9x8y7z6v5" } });

    const cw = new CloudWatchClient({ region: REGION, endpoint: sandbox.url, credentials: creds });
    const query = (id: string, MetricName: string, Stat = "Sum") => ({
      Id: id,
      MetricStat: { Metric: { Namespace: "AWS/ApiGateway", MetricName, Dimensions: [{ Name: "ApiId", Value: "w9x8y7z6v5" }] }, Period: 60, Stat },
    });
    const served = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(NOW - LOOKBACK),
        EndTime: new Date(NOW),
        ScanBy: "TimestampAscending",
        MetricDataQueries: [query("count", "Count"), query("e4", "4xx"), query("e5", "5xx"), query("bytes", "DataProcessed"), query("p99", "Latency", "p99"), query("rest", "5XXError")],
      }),
    );
    cw.destroy();
    const byId = new Map(served.MetricDataResults!.map((r) => [r.Id, r]));
    // As in AWS, an HTTP API has no 5XXError.
    expect(byId.get("rest")!.Timestamps).toEqual([]);
    for (const [id, metric, stat] of [["count", "Count", "Sum"], ["e4", "4XXError", "Sum"], ["e5", "5XXError", "Sum"], ["bytes", "DataProcessed", "Sum"], ["p99", "Latency", "p99"]]) {
      const r = byId.get(id)!;
      expect(r.Timestamps!.length, id).toBeGreaterThan(30);
      const { rows } = await db.query(
        "SELECT (extract(epoch FROM ts) * 1000)::float8 AS t, value FROM metric_points WHERE resource_id = $1 AND metric = $2 AND stat = $3 AND period_s = 60",
        [http.id, metric, stat],
      );
      const stored = new Map(rows.map((x) => [x.t, x.value]));
      r.Timestamps!.forEach((t, i) => expect(stored.get(t.getTime()), `${metric} ${stat} at ${t.toISOString()}`).toBe(r.Values![i]));
    }

    // The API page asks every API for Count, 4XXError and 5XXError.
    const q = SeriesQuery.parse({ metric: "Count,4XXError,5XXError", stat: "Sum", period: "60", from: String(NOW - LOOKBACK), to: String(NOW - 10 * 60_000) });
    for (const api of apis) {
      const { series } = await getResourceSeries(db, api.id, q, resolveRange(q, NOW));
      for (const s of series) expect(s.points.filter((p) => p.v !== null).length, `${api.name} ${s.metric}`).toBeGreaterThan(30);
    }
  });

  it("is idempotent", async () => {
    const before = (await db.query("SELECT count(*)::int AS n, sum(value) AS s FROM metric_points")).rows[0];
    await db.query("DELETE FROM ingest_cursors WHERE job = 'metrics'");
    await pullMetrics(db, account, REGION, { now: NOW, lookbackMs: LOOKBACK });
    expect((await db.query("SELECT count(*)::int AS n, sum(value) AS s FROM metric_points")).rows[0]).toEqual(before);
  });
});

interface Doc {
  id: string;
  start_time: number;
  end_time?: number;
  subsegments?: Doc[];
  parent_id?: string;
}

describe("X-Ray traces", () => {
  it("stores the spans of each trace as its segment documents say, depth and offsets included", async () => {
    // An hour of every traced function at once: faster than AWS would let it (the pacing is not what this checks).
    const result = await pullTraces(db, account, REGION, { now: NOW, lookbackMs: LOOKBACK, callsPerSecond: 1000 });
    expect(result.problems).toEqual([]);
    expect(result.counts.traces).toBeGreaterThan(20);
    traced = result.counts;

    const { rows: traceIds } = await db.query("SELECT DISTINCT trace_id FROM spans ORDER BY trace_id LIMIT 5");
    const xray = new XRayClient({ region: REGION, endpoint: sandbox.url, credentials: creds });
    const { Traces } = await xray.send(new BatchGetTracesCommand({ TraceIds: traceIds.map((r) => r.trace_id) }));
    xray.destroy();
    for (const trace of Traces!) {
      const docs = trace.Segments!.map((s) => JSON.parse(s.Document!) as Doc);
      // Walk the documents independently of the parser: every segment and subsegment, and its
      // depth (a segment whose parent is another segment's subsegment hangs below it).
      const expected: { id: string; start: number; duration: number | null }[] = [];
      const walk = (d: Doc) => {
        expected.push({ id: d.id, start: d.start_time * 1000, duration: d.end_time === undefined ? null : (d.end_time - d.start_time) * 1000 });
        for (const s of d.subsegments ?? []) walk(s);
      };
      for (const d of docs) walk(d);
      const depthOf = new Map<string, number>();
      const collect = (d: Doc, depth: number) => {
        depthOf.set(d.id, depth);
        for (const s of d.subsegments ?? []) collect(s, depth + 1);
      };
      for (const d of docs) if (!d.parent_id) collect(d, 0);
      for (let pass = 0; pass < docs.length; pass++) {
        for (const d of docs) if (d.parent_id && depthOf.has(d.parent_id) && !depthOf.has(d.id)) collect(d, depthOf.get(d.parent_id)! + 1);
      }
      const origin = Math.min(...expected.map((e) => e.start));
      const { rows } = await db.query("SELECT span_id, depth, start_offset_ms, duration_ms FROM spans WHERE trace_id = $1", [trace.Id]);
      const stored = new Map(rows.map((r) => [r.span_id, r]));
      expect(rows.length).toBe(expected.length);
      for (const e of expected) {
        const s = stored.get(e.id);
        expect(s, e.id).toBeDefined();
        expect(s.depth).toBe(depthOf.get(e.id));
        expect(s.start_offset_ms).toBeCloseTo(e.start - origin, 3);
        if (e.duration !== null) expect(s.duration_ms).toBeCloseTo(e.duration, 3);
      }
    }
  });

  it("counts the traces X-Ray bills, scanned and retrieved, and prices them in ingest health", async () => {
    // The sandbox answers each summary page's TracesProcessedCount with the traces it matched; each is then retrieved.
    const { rows } = await db.query<{ api: string; calls: number; units: number }>(
      "SELECT api, sum(calls)::int AS calls, sum(units)::int AS units FROM api_call_counts WHERE api IN ('GetTraceSummaries', 'BatchGetTraces') GROUP BY api ORDER BY api",
    );
    const [retrieved, scanned] = rows;
    expect(scanned).toEqual({ api: "GetTraceSummaries", calls: traced.pages, units: traced.traces });
    expect(retrieved).toMatchObject({ api: "BatchGetTraces", units: traced.traces });
    // At most 5 ids a call.
    expect(retrieved.calls).toBeGreaterThanOrEqual(Math.ceil(traced.traces / 5));
    const [health] = await getIngestHealth(db, { account: [account.id], region: [REGION] });
    const cost = (api: string) => health.apiCalls.find((u) => u.api === api)?.costUsd24h;
    expect(cost("BatchGetTraces")).toBeCloseTo((traced.traces * 0.5) / 1_000_000, 12);
    expect(cost("GetTraceSummaries")).toBeCloseTo((traced.traces * 0.5) / 1_000_000, 12);
  });

  it("links the function's spans to their invocation by request id", async () => {
    const { rows } = await db.query(
      `SELECT count(*)::int AS spans, count(i.request_id)::int AS linked FROM spans s
         LEFT JOIN invocations i ON i.resource_id = s.resource_id AND i.request_id = s.request_id
        WHERE s.request_id IS NOT NULL AND s.start_time > $1 AND s.start_time < $2`,
      // Inside the window whose logs were all visible when they were read.
      [new Date(NOW - LOOKBACK + 5 * 60_000), new Date(NOW - 10 * 60_000)],
    );
    expect(rows[0].spans).toBeGreaterThan(0);
    expect(rows[0].linked).toBe(rows[0].spans);
  });
});

describe("discovery", () => {
  it("marks a function gone from AWS deleted, not erased, and keeps a memory change as a new version", async () => {
    sandbox.workload.updateFunctionConfiguration("image-processor", REGION, { memoryMb: 3008 });
    sandbox.workload.deleteFunction("report-generator", REGION);
    const r = await discoverAccountRegion(db, account, REGION, ["lambda"]);
    const { rows: changes } = await db.query("SELECT r.name, v.changes FROM resource_config_versions v JOIN resources r ON r.id = v.resource_id WHERE v.changes <> '[]'");
    expect(r.counts.lambdaDeleted).toBe(1);
    expect(changes).toEqual([{ name: "image-processor", changes: [{ path: "memorySizeMB", from: expect.any(Number), to: 3008 }] }]);
    expect(r.counts.lambdaChanged).toBe(1);
    const { rows: gone } = await db.query("SELECT deleted_at FROM resources WHERE name = 'report-generator'");
    expect(gone[0].deleted_at).not.toBeNull();
    const { rows: kept } = await db.query("SELECT count(*)::int AS n FROM invocations i JOIN resources r ON r.id = i.resource_id WHERE r.name = 'report-generator'");
    expect(kept[0].n).toBeGreaterThan(0);
    const { rows: versions } = await db.query(
      "SELECT v.changes FROM resource_config_versions v JOIN resources r ON r.id = v.resource_id WHERE r.name = 'image-processor' ORDER BY v.seen_at",
    );
    expect(versions).toHaveLength(2);
    expect(versions[1].changes).toEqual([{ path: "memorySizeMB", from: expect.any(Number), to: 3008 }]);
  });
});
