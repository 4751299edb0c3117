import { describe, expect, it } from "vitest";
import { ACTIVE_HOLD_MS, DEEP_REREAD_MS, IDLE_ROTATION_MS, isDeepPass, MAX_UNREAD_MS, planLogPull, toActivity, type PullCandidate } from "./plan";

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
    // The last pass was a minute ago (the newest cursor): a minute's share of the rotation.
    const share = Math.ceil((100 * MIN) / IDLE_ROTATION_MS);
    expect(share).toBeLessThan(10);
    expect(plan.reads.filter((r) => r.reason === "rotation")).toHaveLength(share);
    expect(plan.skipped).toBe(100 - share);
  });

  it("paces idle reads by time, not by pass: passes twice as often read half as many idle functions each", () => {
    const fns = (sinceLast: number) => [
      ...Array.from({ length: 900 }, (_, i) => idle(i + 1, NOW - IDLE_ROTATION_MS + i * 500)),
      { id: 1000, cursor: NOW - sinceLast, invocations: 9, lastActiveMinute: NOW - 2 * MIN, recentErrors: 0 },
    ];
    const idleReads = (sinceLast: number) => planLogPull(fns(sinceLast), NOW).reads.filter((r) => r.reason === "rotation").length;
    expect(idleReads(60_000)).toBe(Math.ceil((900 * 60_000) / IDLE_ROTATION_MS));
    expect(idleReads(30_000)).toBe(Math.ceil((900 * 30_000) / IDLE_ROTATION_MS));
    // Idle functions read per minute stay the same, so each is read about every IDLE_ROTATION_MS.
    expect(idleReads(30_000) * 2).toBeGreaterThanOrEqual(idleReads(60_000));
    // The worker says when its last pass began (its reads end their cursors as each read ends, later).
    expect(planLogPull(fns(5_000), NOW, { sinceLastPassMs: 30_000 }).reads.filter((r) => r.reason === "rotation")).toHaveLength(idleReads(30_000));
  });

  it("keeps the active functions' pass short when they fill the read budget, still reading some idle ones", () => {
    const fns = [
      ...Array.from({ length: 4500 }, (_, i) => idle(i + 1, NOW - MAX_UNREAD_MS - 10 * MIN)),
      ...Array.from({ length: 500 }, (_, i) => ({ id: 10_000 + i, cursor: NOW - 2 * MIN, invocations: 5, lastActiveMinute: NOW - 2 * MIN, recentErrors: 0 })),
    ];
    // 4.5 calls a second for 40 s: 180 reads. Without a budget every overdue function is read now.
    expect(planLogPull(fns, NOW).reads).toHaveLength(5000);
    const { reads } = planLogPull(fns, NOW, { readBudget: 180 });
    expect(reads.filter((r) => r.reason === "active")).toHaveLength(500);
    expect(reads.filter((r) => r.reason === "overdue")).toHaveLength(125);
    // Active first: the idle reads come after every active one.
    expect(reads.slice(0, 500).every((r) => r.reason === "active")).toBe(true);
    // Room left in the budget goes to idle functions as due.
    const small = [...fns.slice(0, 900), ...fns.slice(4500, 4600)];
    expect(planLogPull(small, NOW, { readBudget: 180 }).reads).toHaveLength(180);
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
    for (let pass = 0; pass < 60; pass++) {
      const now = NOW + pass * 30_000;
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

describe("isDeepPass", () => {
  it("re-reads the full late window once in every slot of passes back to back, and on the first pass", () => {
    const passes = Array.from({ length: 40 }, (_, i) => NOW + i * 30_000);
    const deep = passes.filter((t, i) => isDeepPass(t, i ? passes[i - 1] : null));
    // 20 minutes of passes 30 s apart: the first, then one per 5-minute slot.
    expect(deep).toHaveLength(1 + Math.floor((passes.at(-1)! - NOW) / DEEP_REREAD_MS));
    for (let i = 1; i < deep.length; i++) expect(deep[i] - deep[i - 1]).toBeLessThanOrEqual(DEEP_REREAD_MS);
    // A pass that starts long after the last is deep whatever the slot.
    expect(isDeepPass(NOW + 2 * DEEP_REREAD_MS, NOW)).toBe(true);
  });
});

describe("toActivity", () => {
  it("sums Invocations and finds the newest minute with any", () => {
    const a = toActivity([{ Id: "f0", Timestamps: [new Date(NOW - MIN), new Date(NOW - 3 * MIN), new Date(NOW - 4 * MIN)], Values: [0, 2, 5] }, { Id: "f1", Timestamps: [], Values: [] }]);
    expect(a.get("f0")).toEqual({ invocations: 7, lastActiveMinute: NOW - 3 * MIN });
    expect(a.get("f1")).toEqual({ invocations: 0, lastActiveMinute: null });
  });
});
