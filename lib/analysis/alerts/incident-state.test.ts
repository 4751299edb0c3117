import { describe, expect, it } from "vitest";
import { step, type StoredIncident } from "./incident-state";

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 3, 12, 0);
const policy = { resolveAfterMinutes: 5, flapMinutes: 10 };
const firing = { firing: true, severity: "warning" as const };
const clear = { firing: false, severity: "warning" as const };

/** Runs a sequence of minutes and collects the notices that went out. */
function run(evals: { firing: boolean; severity: "warning" | "critical" }[], start: StoredIncident | null = null, snoozedUntil: number | null = null) {
  let cur = start;
  const notices: string[] = [];
  const creates: number[] = [];
  evals.forEach((ev, i) => {
    const now = T0 + i * MIN;
    const s = step(policy, cur && snoozedUntil !== null ? { ...cur, snoozedUntil } : cur, ev, now);
    if (s.notify) notices.push(s.notify);
    if (s.write === "create") creates.push(i);
    cur = s.next;
  });
  return { notices, creates, last: cur };
}

describe("incident state machine", () => {
  it("opens once while the condition holds and notifies once", () => {
    const r = run([firing, firing, firing, firing]);
    expect(r.notices).toEqual(["opened"]);
    expect(r.creates).toEqual([0]);
    expect(r.last?.state).toBe("open");
  });

  it("re-notifies when the severity rises, not when it stays or falls", () => {
    const crit = { firing: true, severity: "critical" as const };
    expect(run([firing, crit, crit, firing, crit]).notices).toEqual(["opened", "escalated"]);
  });

  it("resolves only after the condition has been clear for resolve-after minutes, and a blip resets the clock", () => {
    const r = run([firing, clear, clear, clear, clear, firing, clear, clear, clear, clear]);
    expect(r.notices).toEqual(["opened"]);
    expect(r.last?.state).toBe("open");
    const done = run([firing, clear, clear, clear, clear, clear, clear]);
    expect(done.notices).toEqual(["opened", "resolved"]);
    expect(done.last?.resolvedAt).toBe(T0 + 6 * MIN);
  });

  it("holds back flapping: firing again within the flap window re-opens the same incident silently and counts it", () => {
    const seq = [firing, clear, clear, clear, clear, clear, clear, firing, clear, clear, clear, clear, clear, clear];
    const r = run(seq);
    expect(r.creates).toEqual([0]);
    expect(r.notices).toEqual(["opened", "resolved"]);
    expect(r.last?.flaps).toBe(1);
    expect(r.last?.state).toBe("resolved");
  });

  it("opens a new incident when it fires again after the flap window", () => {
    const seq = [firing, ...Array(6).fill(clear), ...Array(11).fill(clear), firing];
    const r = run(seq);
    expect(r.creates).toEqual([0, 18]);
    expect(r.notices).toEqual(["opened", "resolved", "opened"]);
  });

  it("snooze suppresses notices until its time while the state still changes", () => {
    const open: StoredIncident = { state: "acknowledged", severity: "warning", openedAt: T0 - MIN, resolvedAt: null, clearSince: null, snoozedUntil: null, flaps: 0, lastNotice: "opened" };
    const crit = { firing: true, severity: "critical" as const };
    const r = run([crit, clear, clear, clear, clear, clear, clear], open, T0 + 60 * MIN);
    expect(r.notices).toEqual([]);
    expect(r.last?.state).toBe("resolved");
    expect(r.last?.severity).toBe("critical");
    expect(run([crit], open, T0 - 1).notices).toEqual(["escalated"]);
  });
});
