import { beforeAll, describe, expect, it } from "vitest";
import { idleTurn } from "../../lib/ingest/pull/plan";
import { activeFunctions, count, groupsReadAt, seedLogCursors, throttledCalls } from "../../test/pull-world";
import { sandboxWorld } from "../../test/sandbox-world";
import { compareWithSandbox } from "../../test/sandbox-truth";
import { FILTER_LOG_EVENTS_PER_SECOND, LOGS_READ_BUDGET, pullLogs } from "./logs";

const NOW = Date.UTC(2026, 11, 1, 16, 0, 0);
const MIN = 60_000;
const REGION = "us-east-1";

// 1,000 simulated functions, 10 % of them invoked. Discovery runs before the quotas are switched on.
// Every log line is visible 5 s after its timestamp (none minutes late), so the window compared below is complete.
const w = sandboxWorld({ seed: 9, now: () => NOW, backfillMs: 30 * MIN, regions: [REGION], scale: { functions: 1000, activeShare: 0.1 }, ingestionDelayMs: 5_000, poolMax: 6 });

beforeAll(async () => {
  // The steady state: a pass a minute ago read everything.
  await seedLogCursors(w.db, w.account, REGION, NOW - MIN);
  w.sandbox.setQuotas(true);
}, 120_000);

describe("logs pull at 1,000 functions, 10 % active, AWS's quotas enforced", () => {
  it("finishes a pass within a minute, reading every active function and the idle ones due since the last pass, never throttled", async () => {
    const active = activeFunctions(w.sandbox, REGION, NOW);
    const all = w.sandbox.workload.listFunctions(REGION).length;
    expect(all).toBeGreaterThan(1000);
    const t0 = Date.now();
    const result = await pullLogs(w.db, w.account, REGION, { now: NOW });
    const seconds = (Date.now() - t0) / 1000;
    expect(result.problems).toEqual([]);
    console.log(`pass over ${result.counts.functions} functions: ${result.counts.functionsRead} read in ${seconds.toFixed(1)} s`);
    // The quota sets the pace: the calls this pass needs take under a minute at the shared rate. The
    // wall time adds this machine's CPU (2 cores shared with the sandbox and Postgres): under 90 s.
    expect(result.counts.apiCalls / FILTER_LOG_EVENTS_PER_SECOND).toBeLessThan(60);
    expect(seconds).toBeLessThan(90);

    const read = await groupsReadAt(w.db, w.account.id, REGION, NOW);
    for (const g of active) expect(read).toContain(g);
    // The last pass was a minute ago: a minute's share of the idle rotation, within the pass's read budget.
    // (Which functions count as active is the metric's view: a function the sandbox invoked only seconds
    // ago may show no datapoint yet, and is then one of the idle ones; the active set above was still read.)
    const ran = result.counts.functionsActive;
    expect(Math.abs(ran - active.size)).toBeLessThanOrEqual(3);
    expect(read.size).toBe(ran + idleTurn(all - ran, 0, ran, MIN, LOGS_READ_BUDGET));
    expect(read.size).toBeLessThanOrEqual(LOGS_READ_BUDGET);
    expect(count(w.sandbox, "FilterLogEvents")).toBe(read.size);
    // 1,0xx functions' Invocations in three GetMetricData calls of at most 500 queries.
    expect(count(w.sandbox, "GetMetricData")).toBe(Math.ceil(all / 500));
    expect(throttledCalls(w.sandbox)).toBe(0);

    // Everything the functions it read did in the minutes the pass re-read is stored, exactly. (The
    // seeded cursors claim the rest was read before, so only these can be compared.)
    const { mismatches, compared } = await compareWithSandbox(w.db, w.sandbox, REGION, NOW - 9 * MIN, NOW - 2 * MIN);
    const groupOf = new Map(w.sandbox.workload.listFunctions(REGION).map((f) => [f.spec.name, f.logGroupName]));
    expect(mismatches.filter((m) => read.has(groupOf.get(m.functionName)!))).toEqual([]);
    expect(compared).toBeGreaterThan(500);
  }, 120_000);
});
