import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { describe, expect, it } from "vitest";
import { sandboxWorld } from "../../test/sandbox-world";
import { resolveRange } from "../../lib/api/schemas/common";
import { SeriesQuery } from "../../lib/api/schemas/series";
import { getResourceSeries } from "../../lib/db/queries/series";
import { pullMetrics } from "./metrics";

const NOW = Date.UTC(2026, 10, 23, 15, 0, 0);
const HOUR = 3_600_000;
const REGION = "us-east-1";

const w = sandboxWorld({ seed: 5, now: () => NOW, backfillMs: 26 * HOUR, regions: [REGION], poolMax: 3 });

describe("the first metrics pass of a new account", () => {
  it("reads its whole first day: the last 3 hours by the minute, the rest by 5 minutes", async () => {
    await pullMetrics(w.db, w.account, REGION, { now: NOW });
    const { rows } = await w.db.query<{ period_s: number; first: Date; last: Date }>(
      "SELECT period_s, min(ts) AS first, max(ts) AS last FROM metric_points GROUP BY 1 ORDER BY 1",
    );
    expect(rows.map((r) => r.period_s)).toEqual([60, 300]);
    const [minute, five] = rows;
    expect(minute.first.getTime()).toBe(NOW - 3 * HOUR);
    expect(five.first.getTime()).toBe(NOW - 24 * HOUR);
    expect(five.last.getTime()).toBe(NOW - 3 * HOUR - 300_000);
  });

  it("charts the day hour by hour with the same numbers CloudWatch gives for each hour", async () => {
    const { rows } = await w.db.query<{ id: number }>("SELECT id FROM resources WHERE name = 'api-backend'");
    const q = SeriesQuery.parse({ metric: "Invocations", stat: "Sum", period: "3600", from: String(NOW - 24 * HOUR), to: String(NOW) });
    const { series } = await getResourceSeries(w.db, rows[0].id, q, resolveRange(q, NOW));
    const charted = new Map(series[0].points.map((p) => [p.t, p.v]));

    const cw = new CloudWatchClient({ region: REGION, endpoint: w.sandbox.url, credentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "example" } });
    const served = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(NOW - 24 * HOUR),
        EndTime: new Date(NOW),
        MetricDataQueries: [{ Id: "inv", MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "Invocations", Dimensions: [{ Name: "FunctionName", Value: "api-backend" }] }, Period: 3600, Stat: "Sum" } }],
      }),
    );
    cw.destroy();
    const hours = served.MetricDataResults![0];
    expect(hours.Timestamps!.length).toBe(24);
    hours.Timestamps!.forEach((t, i) => expect(charted.get(t.getTime()), t.toISOString()).toBe(hours.Values![i]));
  });
});
