import { describe, expect, it } from "vitest";
import { sandboxWorld } from "../../test/sandbox-world";
import { compareWithSandbox } from "../../test/sandbox-truth";
import { pullLogs } from "./logs";

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const LOOKBACK = 40 * 60_000;
const REGION = "us-east-1";

const w = sandboxWorld({ seed: 14, now: () => NOW, backfillMs: LOOKBACK, poisonRate: 0.05, regions: [REGION] });

describe("log lines with a NUL byte and an unpaired surrogate (sandbox --poison-rate)", () => {
  it("are stored with U+FFFD in their place, and nothing else of their function is lost", async () => {
    const poisoned = w.sandbox.workload
      .listFunctions(REGION)
      .flatMap((f) => w.sandbox.workload.logEvents(f.logGroupName, REGION, NOW - LOOKBACK, NOW + 1))
      .filter((e) => e.ingestionTime <= NOW && e.message.includes("\u0000"));
    expect(poisoned.length).toBeGreaterThan(5);

    const result = await pullLogs(w.db, w.account, REGION, { now: NOW, lookbackMs: LOOKBACK });
    expect(result.problems).toEqual([]);
    expect(result.counts.quarantined).toBe(0);

    const { rows } = await w.db.query("SELECT event_id, message FROM log_events WHERE event_id = ANY($1::text[]) ORDER BY event_id", [poisoned.map((e) => e.eventId)]);
    expect(rows).toHaveLength(poisoned.length);
    const byId = new Map(poisoned.map((e) => [e.eventId, e.message]));
    for (const r of rows) expect(r.message).toBe(byId.get(r.event_id)!.replace("\u0000", "\uFFFD").replace("\uD800", "\uFFFD"));

    const { compared, mismatches } = await compareWithSandbox(w.db, w.sandbox, REGION, NOW - LOOKBACK + 5 * 60_000, NOW - 10 * 60_000);
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(100);
  });
});
