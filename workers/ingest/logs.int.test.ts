import { describe, expect, it } from "vitest";
import { sandboxWorld } from "../../test/sandbox-world";
import { compareWithSandbox } from "../../test/sandbox-truth";
import { pullLogs } from "./logs";

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const HOURS = 2;
const REGION = "us-east-1";

const w = sandboxWorld({ seed: 11, now: () => NOW, backfillMs: HOURS * 3_600_000 });

async function tableCounts() {
  const { rows } = await w.db.query(
    `SELECT (SELECT count(*) FROM invocations)::int AS invocations, (SELECT count(*) FROM log_events)::int AS log_events,
            (SELECT coalesce(sum(invocations), 0) FROM rollup_minute)::int AS rolled, (SELECT coalesce(sum(count), 0) FROM error_groups)::int AS errors`,
  );
  return rows[0];
}

describe("log ingestion from the sandbox", () => {
  it("stores exactly the invocations the sandbox generated", async () => {
    const result = await pullLogs(w.db, w.account, REGION, { now: NOW, lookbackMs: HOURS * 3_600_000 });
    expect(result.problems).toEqual([]);
    expect(result.counts.invocationsNew).toBeGreaterThan(500);

    // Far enough from both ends of the window that every line of these invocations was visible.
    const { compared, mismatches } = await compareWithSandbox(w.db, w.sandbox, REGION, NOW - HOURS * 3_600_000 + 5 * 60_000, NOW - 10 * 60_000);
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(300);
  });

  it("changes nothing when the same window is ingested again", async () => {
    const before = await tableCounts();
    // Forget the cursors: the next pass reads the whole window again.
    await w.db.query("DELETE FROM ingest_cursors");
    const again = await pullLogs(w.db, w.account, REGION, { now: NOW, lookbackMs: HOURS * 3_600_000 });
    expect(again.counts.invocationsNew).toBe(0);
    expect(again.counts.invocationsUpdated).toBe(0);
    expect(again.counts.logEventsNew).toBe(0);
    expect(await tableCounts()).toEqual(before);
  });

  it("rolls up each complete invocation exactly once", async () => {
    const { rows } = await w.db.query(
      `SELECT (SELECT count(*) FROM invocations WHERE complete)::int AS complete,
              (SELECT sum(invocations) FROM rollup_minute)::int AS minute, (SELECT sum(invocations) FROM rollup_hour)::int AS hour,
              (SELECT sum(invocations) FROM rollup_day)::int AS day,
              (SELECT round(sum(cost_usd)::numeric, 9) FROM invocations WHERE complete) AS cost,
              (SELECT round(sum(cost_usd)::numeric, 9) FROM rollup_minute) AS rolled_cost`,
    );
    expect(rows[0].minute).toBe(rows[0].complete);
    expect(rows[0].hour).toBe(rows[0].complete);
    expect(rows[0].day).toBe(rows[0].complete);
    expect(rows[0].rolled_cost).toBe(rows[0].cost);
  });
});
