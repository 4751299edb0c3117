// The metrics pass asks every function for its presence metrics (Invocations, Throttles) and the rest
// only of those that showed data: idle functions cost 2 metrics a pass, not 18, and nothing is lost.
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { describe, expect, it } from "vitest";
import { metricResourceOf, resourceQueryCount, type StoredResource } from "../../lib/ingest/metrics";
import { sandboxWorld } from "../../test/sandbox-world";
import { pullMetrics } from "./metrics";

const NOW = Date.UTC(2026, 10, 21, 15, 0, 0);
const LOOKBACK = 30 * 60_000;
const REGION = "us-east-1";
const creds = { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "example" };

// 40 extra functions, one in five invoked: the other 32 are idle the whole time.
const world = sandboxWorld({ seed: 7, now: () => NOW, backfillMs: 2 * LOOKBACK, scale: { functions: 40, activeShare: 0.2 }, regions: [REGION], discover: "all" });

/** What AWS serves for one function's metric over the pass's window, straight from the endpoint. */
async function served(cw: CloudWatchClient, fn: string, metric: string, stat: string) {
  const r = await cw.send(new GetMetricDataCommand({
    StartTime: new Date(NOW - LOOKBACK),
    EndTime: new Date(NOW),
    MetricDataQueries: [{ Id: "m", MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: metric, Dimensions: [{ Name: "FunctionName", Value: fn }] }, Period: 60, Stat: stat } }],
  }));
  const m = r.MetricDataResults![0];
  return new Map(m.Timestamps!.map((t, i) => [t.getTime(), m.Values![i]]));
}

describe("metrics pass by presence", () => {
  it("asks idle functions for Invocations and Throttles only, stores every metric of the busy ones, and counts what it asks for", async () => {
    const { db, sandbox, account } = world;
    const { rows: resources } = await db.query<StoredResource>(
      `SELECT id, kind, name, arn, config->>'protocol' AS protocol, config->>'apiId' AS "apiId"
         FROM resources WHERE account_id = $1 AND region = $2 AND deleted_at IS NULL`,
      [account.id, REGION],
    );
    const result = await pullMetrics(db, account, REGION, { now: NOW, lookbackMs: LOOKBACK });

    const cw = new CloudWatchClient({ region: REGION, endpoint: sandbox.url, credentials: creds });
    const idle: string[] = [];
    const busy: string[] = [];
    for (const fn of resources.filter((r) => r.kind === "lambda" && r.name.startsWith("bench-fn-"))) {
      (((await served(cw, fn.name, "Invocations", "Sum")).size ? busy : idle) as string[]).push(fn.name);
    }
    expect(idle.length).toBe(32);
    expect(busy.length).toBe(8);

    // Nothing an idle function was not asked for existed: AWS has no Duration or concurrency for it.
    for (const fn of idle) {
      expect((await served(cw, fn, "Duration", "p99")).size, fn).toBe(0);
      expect((await served(cw, fn, "ConcurrentExecutions", "Maximum")).size, fn).toBe(0);
    }
    // A busy function's other metrics are stored exactly as served.
    for (const fn of busy) {
      const want = await served(cw, fn, "Duration", "p99");
      expect(want.size, fn).toBeGreaterThan(10);
      const { rows } = await db.query(
        `SELECT (extract(epoch FROM p.ts) * 1000)::float8 AS t, p.value FROM metric_points p JOIN resources r ON r.id = p.resource_id
          WHERE r.name = $1 AND p.metric = 'Duration' AND p.stat = 'p99' AND p.period_s = 60`,
        [fn],
      );
      expect(new Map(rows.map((x) => [x.t, x.value])), fn).toEqual(want);
    }
    cw.destroy();

    // Asked for: 2 metrics of each idle function instead of all 18 (the pass reads one window here).
    const everything = resources.map(metricResourceOf).reduce((n, r) => n + (r ? resourceQueryCount(r.kind) : 0), 0);
    const saved = idle.length * (resourceQueryCount("lambda") - resourceQueryCount("lambda", "presence"));
    expect(result.counts.queries).toBeLessThanOrEqual(everything - saved);
    expect(resourceQueryCount("lambda", "presence")).toBe(2);

    // Ingest health bills GetMetricData by the metrics asked for: the pass's are all counted there.
    const { rows: [billed] } = await db.query(
      "SELECT sum(calls)::int AS calls, sum(units)::int AS units FROM api_call_counts WHERE account_id = $1 AND region = $2 AND api = 'GetMetricData'",
      [account.id, REGION],
    );
    expect(billed).toEqual({ calls: result.counts.calls, units: result.counts.queries });
  });
});
