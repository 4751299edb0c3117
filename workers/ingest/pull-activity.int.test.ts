import { beforeAll, describe, expect, it } from "vitest";
import { IDLE_ROTATION_MS, MAX_UNREAD_MS } from "../../lib/ingest/pull/plan";
import { activeFunctions, count, groupsReadAt, seedLogCursors, throttledCalls } from "../../test/pull-world";
import { sandboxWorld } from "../../test/sandbox-world";
import { pullLogs } from "./logs";

const NOW = Date.UTC(2026, 11, 1, 15, 0, 0);
const MIN = 60_000;
const REGION = "us-east-1";
let clock = NOW;

// 60 extra functions, 6 of them invoked; AWS's quotas enforced from the first pass on.
const w = sandboxWorld({ seed: 5, now: () => clock, backfillMs: 30 * MIN, regions: [REGION], scale: { functions: 60, activeShare: 0.1 }, quotas: true });

beforeAll(async () => {
  await seedLogCursors(w.db, w.account, REGION, NOW - 2 * MIN);
});

describe("logs pull by activity", () => {
  it("reads only the functions that ran, plus the idle ones due since the last pass, in one GetMetricData call and within the quota", async () => {
    const active = activeFunctions(w.sandbox, REGION, NOW);
    const all = w.sandbox.workload.listFunctions(REGION).length;
    const idle = all - active.size;
    expect(active.size).toBeGreaterThan(6);
    expect(idle).toBeGreaterThan(50);
    const [filters, metrics] = [count(w.sandbox, "FilterLogEvents"), count(w.sandbox, "GetMetricData")];

    const result = await pullLogs(w.db, w.account, REGION, { now: NOW });
    expect(result.problems).toEqual([]);
    const read = await groupsReadAt(w.db, w.account.id, REGION, NOW);
    for (const g of active) expect(read).toContain(g);
    // The cursors say the last pass was 2 minutes ago: 2 minutes' share of the idle rotation.
    expect(read.size).toBe(active.size + Math.ceil((idle * 2 * MIN) / IDLE_ROTATION_MS));
    expect(count(w.sandbox, "FilterLogEvents") - filters).toBe(read.size);
    expect(count(w.sandbox, "GetMetricData") - metrics).toBe(1);
    expect(result.counts.functionsActive).toBe(active.size);
    expect(throttledCalls(w.sandbox)).toBe(0);
  }, 60_000);

  it("never starves an idle function: each is read within the rotation, none goes unread past the limit", async () => {
    const everRead = new Set<string>();
    for (let pass = 1; pass <= IDLE_ROTATION_MS / MIN; pass++) {
      clock = NOW + pass * MIN;
      await pullLogs(w.db, w.account, REGION, { now: clock });
      for (const g of await groupsReadAt(w.db, w.account.id, REGION, clock)) everRead.add(g);
      const { rows } = await w.db.query<{ oldest: string }>("SELECT min(position) AS oldest FROM ingest_cursors WHERE job = 'logs' AND account_id = $1", [w.account.id]);
      expect(clock - Number(rows[0].oldest)).toBeLessThanOrEqual(MAX_UNREAD_MS);
    }
    expect(everRead.size).toBe(w.sandbox.workload.listFunctions(REGION).length);
    expect(throttledCalls(w.sandbox)).toBe(0);
  }, 180_000);
});
