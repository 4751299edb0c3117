import { beforeAll, describe, expect, it } from "vitest";
import { QUERY_GROUPS_MAX } from "../../lib/ingest/pull/insights";
import { activeFunctions, count, groupsReadAt, seedLogCursors } from "../../test/pull-world";
import { sandboxWorld } from "../../test/sandbox-world";
import { compareWithSandbox } from "../../test/sandbox-truth";
import { pullLogs } from "./logs";

const NOW = Date.UTC(2026, 11, 1, 16, 0, 0);
const MIN = 60_000;
const REGION = "us-east-1";
const FILTER_BUDGET = 20;
const QUOTA_OPS = ["FilterLogEvents", "GetMetricData", "StartQuery", "GetQueryResults", "StopQuery"];

// 200 simulated functions, half of them invoked: ~110 active functions against a FilterLogEvents budget
// lowered to 20 reads a pass, so the overflow goes to Logs Insights as it does at 5,000 functions with the
// real budget. Every log line is visible 5 s after its timestamp, so the windows compared are complete.
let clock = NOW;
const w = sandboxWorld({ seed: 11, now: () => clock, backfillMs: 30 * MIN, regions: [REGION], scale: { functions: 200, activeShare: 0.5 }, ingestionDelayMs: 5_000, poolMax: 6, insights: { minRunMs: 1_000 } });

beforeAll(async () => {
  await seedLogCursors(w.db, w.account, REGION, NOW - MIN);
  w.sandbox.setQuotas(true);
}, 120_000);

/** Calls the sandbox refused per operation, the operations with none left out: {} when every quota held. */
const throttled = () => Object.fromEntries(QUOTA_OPS.map((op) => [op, w.sandbox.quotas?.throttled.get(op) ?? 0]).filter(([, n]) => n !== 0));

/** Log lines stored more than once: the same function, stream, time and message. */
async function duplicateLines(): Promise<number> {
  const { rows } = await w.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM log_events GROUP BY resource_id, log_stream, ts, message HAVING count(*) > 1) d`,
  );
  return rows[0].n;
}

async function duplicateErrors(): Promise<number> {
  const { rows } = await w.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM error_occurrences GROUP BY resource_id, log_stream, ts, error_message HAVING count(*) > 1) d`,
  );
  return rows[0].n;
}

describe("logs pull beyond the FilterLogEvents budget: Logs Insights for the overflow, AWS's quotas enforced", () => {
  it("reads every active function, the overflow 50 log groups a query, within every quota", async () => {
    const active = activeFunctions(w.sandbox, REGION, NOW);
    expect(active.size).toBeGreaterThan(FILTER_BUDGET + QUERY_GROUPS_MAX);
    const result = await pullLogs(w.db, w.account, REGION, { now: NOW, filterBudget: FILTER_BUDGET });
    expect(result.problems).toEqual([]);
    const c = result.counts;
    expect(c.functionsRead - c.functionsByInsights).toBe(FILTER_BUDGET);
    expect(c.functionsByInsights).toBeGreaterThan(QUERY_GROUPS_MAX);
    expect(c.insightsQueries).toBeGreaterThanOrEqual(Math.ceil(c.functionsByInsights / QUERY_GROUPS_MAX));
    expect(count(w.sandbox, "StartQuery")).toBe(c.insightsQueries);
    expect(c.insightsFailed).toBe(0);
    expect(c.insightsNoSlot).toBe(0);
    expect(throttled()).toEqual({});

    const read = await groupsReadAt(w.db, w.account.id, REGION, NOW);
    for (const g of active) expect(read).toContain(g);
    const { mismatches, compared } = await compareWithSandbox(w.db, w.sandbox, REGION, NOW - 9 * MIN, NOW - MIN);
    const groupOf = new Map(w.sandbox.workload.listFunctions(REGION).map((f) => [f.spec.name, f.logGroupName]));
    expect(mismatches.filter((m) => read.has(groupOf.get(m.functionName)!))).toEqual([]);
    expect(compared).toBeGreaterThan(500);
    expect(await duplicateLines()).toBe(0);

    // What the queries scanned is counted for the cost view: kilobytes on StartQuery.
    const { rows } = await w.db.query<{ calls: number; units: number }>("SELECT sum(calls)::int AS calls, sum(units)::int AS units FROM api_call_counts WHERE api = 'StartQuery'");
    expect(rows[0].calls).toBe(c.insightsQueries);
    expect(rows[0].units).toBeGreaterThanOrEqual(Math.floor(c.insightsBytesScanned / 1000));
    expect(rows[0].units).toBeGreaterThan(0);
  }, 180_000);

  it("stores nothing twice when FilterLogEvents re-reads what Insights read, and the other way round", async () => {
    // FilterLogEvents alone re-reads the late window of every function, the ones Insights read included.
    clock = NOW + 30_000;
    const byFilter = await pullLogs(w.db, w.account, REGION, { now: clock, insights: false });
    expect(byFilter.problems).toEqual([]);
    expect(byFilter.counts.functionsByInsights).toBe(0);
    // Then Insights alone re-reads what FilterLogEvents stored.
    clock = NOW + 60_000;
    const byInsights = await pullLogs(w.db, w.account, REGION, { now: clock, filterBudget: 0 });
    expect(byInsights.problems).toEqual([]);
    expect(byInsights.counts.functionsByInsights).toBe(byInsights.counts.functionsRead);
    expect(byInsights.counts.eventsRead).toBeGreaterThan(0);
    expect(byInsights.counts.logEventsNew).toBeLessThan(byInsights.counts.eventsRead);
    expect(throttled()).toEqual({});

    expect(await duplicateLines()).toBe(0);
    expect(await duplicateErrors()).toBe(0);
    const { mismatches } = await compareWithSandbox(w.db, w.sandbox, REGION, NOW - 9 * MIN, NOW - MIN);
    const read = await groupsReadAt(w.db, w.account.id, REGION, clock);
    const groupOf = new Map(w.sandbox.workload.listFunctions(REGION).map((f) => [f.spec.name, f.logGroupName]));
    expect(mismatches.filter((m) => read.has(groupOf.get(m.functionName)!))).toEqual([]);
  }, 240_000);

  it("without logs:StartQuery reads by FilterLogEvents alone and says so in ingest health", async () => {
    w.sandbox.setCallPolicy({ deny: ["logs:StartQuery"] });
    try {
      clock = NOW + 90_000;
      const first = await pullLogs(w.db, w.account, REGION, { now: clock, filterBudget: FILTER_BUDGET });
      expect(first.counts.insightsFailed).toBeGreaterThan(0);
      const { rows } = await w.db.query<{ action: string; denied: boolean }>("SELECT action, denied FROM ingest_warnings WHERE feature = 'logs'");
      expect(rows).toContainEqual({ action: "logs:StartQuery", denied: true });
      const before = count(w.sandbox, "StartQuery");
      clock = NOW + 120_000;
      const next = await pullLogs(w.db, w.account, REGION, { now: clock, filterBudget: FILTER_BUDGET });
      expect(count(w.sandbox, "StartQuery")).toBe(before);
      expect(next.counts.functionsByInsights).toBe(0);
      expect(next.counts.functionsRead).toBeGreaterThan(FILTER_BUDGET);
    } finally {
      w.sandbox.setCallPolicy({});
    }
  }, 240_000);
});
