import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveRange } from "../../lib/api/schemas/common";
import { SeriesQuery } from "../../lib/api/schemas/series";
import type { AccountRow } from "../../lib/db/account-access";
import { getResourceSeries } from "../../lib/db/queries/series";
import { startSandbox, type Sandbox } from "../../lib/sandbox";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { createSandboxAccount } from "../../test/sandbox-account";
import { discoverAccountRegion } from "./discover";
import { pullMetrics } from "./metrics";

const NOW = Date.UTC(2026, 10, 23, 15, 0, 0);
const HOUR = 3_600_000;
const REGION = "us-east-1";

let tdb: TestDatabase;
let db: pg.Pool;
let sandbox: Sandbox;
let account: AccountRow;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 3 });
  sandbox = await startSandbox({ port: 0, seed: 5, now: () => NOW, backfillMs: 26 * HOUR });
  account = await createSandboxAccount(db, sandbox.url, [REGION]);
  await discoverAccountRegion(db, account, REGION, ["lambda"]);
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  await db?.end();
  await tdb?.drop();
});

describe("the first metrics pass of a new account", () => {
  it("reads its whole first day: the last 3 hours by the minute, the rest by 5 minutes", async () => {
    await pullMetrics(db, account, REGION, { now: NOW });
    const { rows } = await db.query<{ period_s: number; first: Date; last: Date }>(
      "SELECT period_s, min(ts) AS first, max(ts) AS last FROM metric_points GROUP BY 1 ORDER BY 1",
    );
    expect(rows.map((r) => r.period_s)).toEqual([60, 300]);
    const [minute, five] = rows;
    expect(minute.first.getTime()).toBe(NOW - 3 * HOUR);
    expect(five.first.getTime()).toBe(NOW - 24 * HOUR);
    expect(five.last.getTime()).toBe(NOW - 3 * HOUR - 300_000);
  });

  it("charts the day hour by hour with the same numbers CloudWatch gives for each hour", async () => {
    const { rows } = await db.query<{ id: number }>("SELECT id FROM resources WHERE name = 'api-backend'");
    const q = SeriesQuery.parse({ metric: "Invocations", stat: "Sum", period: "3600", from: String(NOW - 24 * HOUR), to: String(NOW) });
    const { series } = await getResourceSeries(db, rows[0].id, q, resolveRange(q, NOW));
    const charted = new Map(series[0].points.map((p) => [p.t, p.v]));

    const cw = new CloudWatchClient({ region: REGION, endpoint: sandbox.url, credentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "example" } });
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
