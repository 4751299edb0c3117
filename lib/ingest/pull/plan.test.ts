import { describe, expect, it } from "vitest";
import { ACTIVE_HOLD_MS, MAX_UNREAD_MS, planLogPull, ROTATION_PASSES, toActivity, type PullCandidate } from "./plan";

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const MIN = 60_000;
const idle = (id: number, cursor = NOW - MIN): PullCandidate => ({ id, cursor, invocations: 0, lastActiveMinute: null, recentErrors: 0 });

describe("planLogPull", () => {
  it("reads the functions that ran, failing and busiest first, and leaves most idle ones for later", () => {
    const fns = [
      ...Array.from({ length: 100 }, (_, i) => idle(i + 1)),
      { id: 200, cursor: NOW - MIN, invocations: 5, lastActiveMinute: NOW - 2 * MIN, recentErrors: 0 },
      { id: 201, cursor: NOW - MIN, invocations: 50, lastActiveMinute: NOW - 2 * MIN, recentErrors: 0 },
      { id: 202, cursor: NOW - MIN, invocations: 1, lastActiveMinute: NOW - 3 * MIN, recentErrors: 4 },
    ];
    const plan = planLogPull(fns, NOW);
    expect(plan.reads.slice(0, 3).map((r) => [r.fn.id, r.reason])).toEqual([[202, "errors"], [201, "active"], [200, "active"]]);
    expect(plan.reads.filter((r) => r.reason === "rotation")).toHaveLength(100 / ROTATION_PASSES);
    expect(plan.skipped).toBe(100 - 100 / ROTATION_PASSES);
  });

  it("keeps a function active for a few minutes after its last invocations, then lets it rest", () => {
    const ran = NOW - 5 * MIN;
    const fn = { id: 1, invocations: 3, lastActiveMinute: ran, recentErrors: 0 };
    expect(planLogPull([{ ...fn, cursor: ran + MIN + ACTIVE_HOLD_MS - 1 }], NOW).reads[0]?.reason).toBe("active");
    expect(planLogPull([{ ...fn, cursor: ran + MIN + ACTIVE_HOLD_MS }, ...Array.from({ length: 20 }, (_, i) => idle(i + 2, NOW - 2 * MIN))], NOW).reads.map((r) => r.fn.id)).not.toContain(1);
  });

  it("never lets an idle function go unread: each is read within the rotation, and at once when overdue", () => {
    let fns = Array.from({ length: 50 }, (_, i) => idle(i + 1, NOW - 30 * MIN));
    const lastRead = new Map<number, number>();
    for (let pass = 0; pass < 2 * ROTATION_PASSES; pass++) {
      const now = NOW + pass * MIN;
      const { reads } = planLogPull(fns, now);
      if (pass === 0) expect(reads).toHaveLength(50);
      for (const r of reads) lastRead.set(r.fn.id, now);
      fns = fns.map((f) => (lastRead.get(f.id) === now ? { ...f, cursor: now } : f));
      for (const f of fns) expect(now - f.cursor!).toBeLessThanOrEqual(MAX_UNREAD_MS);
    }
    expect(planLogPull([idle(7, NOW - MAX_UNREAD_MS - 1)], NOW).reads[0].reason).toBe("overdue");
    expect(planLogPull([{ ...idle(8), cursor: null }], NOW).reads[0].reason).toBe("new");
  });

  it("reads everything when the metric could not be read", () => {
    const fns = Array.from({ length: 30 }, (_, i) => ({ ...idle(i + 1), invocations: null }));
    expect(planLogPull(fns, NOW).reads).toHaveLength(30);
  });
});

describe("toActivity", () => {
  it("sums Invocations and finds the newest minute with any", () => {
    const a = toActivity([{ Id: "f0", Timestamps: [new Date(NOW - MIN), new Date(NOW - 3 * MIN), new Date(NOW - 4 * MIN)], Values: [0, 2, 5] }, { Id: "f1", Timestamps: [], Values: [] }]);
    expect(a.get("f0")).toEqual({ invocations: 7, lastActiveMinute: NOW - 3 * MIN });
    expect(a.get("f1")).toEqual({ invocations: 0, lastActiveMinute: null });
  });
});
