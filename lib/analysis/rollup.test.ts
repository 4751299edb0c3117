import { describe, expect, it } from "vitest";
import { bucketOf } from "./histogram";
import { applyHistDelta, rollupDeltas, type RollupSource } from "./rollup";

const base: RollupSource = {
  attempt: 1,
  startedAt: Date.UTC(2026, 10, 22, 10, 0, 30),
  endedAt: Date.UTC(2026, 10, 22, 10, 0, 31),
  durationMs: 120,
  billedDurationMs: 121,
  memorySizeMB: 1024,
  maxMemoryUsedMB: 80,
  coldStart: true,
  status: "success",
  costUsd: 0.000002,
  complete: true,
};

describe("rollupDeltas", () => {
  it("counts a complete invocation once in the minute it started", () => {
    const [d] = rollupDeltas([{ before: null, after: base }], "minute");
    expect(d.bucketStart).toBe(Date.UTC(2026, 10, 22, 10, 0));
    expect(d).toMatchObject({ invocations: 1, successes: 1, coldStarts: 1, billedMs: 121, maxMemoryUsedMB: 80, memorySizeMB: 1024 });
    expect(d.gbSeconds).toBeCloseTo(0.121, 9);
    expect([...d.hist]).toEqual([[bucketOf(120), 1]]);
  });

  it("keeps the longest duration of the bucket, for the percentiles' top bucket", () => {
    const timeout = { ...base, durationMs: 60_000.92, status: "timeout" as const };
    const [d] = rollupDeltas([{ before: null, after: base }, { before: null, after: timeout }], "hour");
    expect(d.maxDurationMs).toBe(60_000.92);
  });

  it("does not count an invocation whose REPORT has not arrived", () => {
    expect(rollupDeltas([{ before: null, after: { ...base, complete: false, status: null } }], "minute")).toEqual([]);
  });

  it("moves a count from success to error when a late error line arrives", () => {
    const [d] = rollupDeltas([{ before: base, after: { ...base, status: "error" } }], "hour");
    expect(d).toMatchObject({ invocations: 0, successes: -1, errors: 1, billedMs: 0 });
    expect([...d.hist].filter(([, c]) => c !== 0)).toEqual([]);
  });

  it("counts retries by attempt", () => {
    const [d] = rollupDeltas([{ before: null, after: { ...base, attempt: 2 } }], "day");
    expect(d.retries).toBe(1);
  });
});

describe("applyHistDelta", () => {
  it("adds sparse counts and drops emptied buckets", () => {
    expect(applyHistDelta([3, 9], [2, 1], new Map([[9, -1], [5, 4]]))).toEqual({ buckets: [3, 5], counts: [2, 4] });
  });
});
