import { describe, expect, it } from "vitest";
import { backtest, isRollupCondition } from "./backtest";
import { evaluateCondition, windowTotals, type MetricCondition, type MinuteRollup } from "./evaluate";
import { step, type StoredIncident } from "./incident-state";

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 1, 0, 0, 0);
const at = (minute: number) => T0 + minute * MIN;

function row(resourceId: number, minute: number, invocations: number, errors: number, extra: Partial<MinuteRollup> = {}): MinuteRollup {
  return { resourceId, minute: at(minute), invocations, errors, timeouts: 0, outOfMemory: 0, crashes: 0, coldStarts: 0, costUsd: 0, histBuckets: [], histCounts: [], maxDurationMs: null, ...extra };
}

const errorRate: MetricCondition = { kind: "error_rate", threshold: 0.2, criticalThreshold: null, windowMinutes: 5, minInvocations: 10, severity: "warning" };
const policy = { resolveAfterMinutes: 5, flapMinutes: 10 };

/** A steady function over [0, minutes): 20 invocations a minute, failing `errors(m)` of them. */
function series(minutes: number, errors: (m: number) => number, resourceId = 1): MinuteRollup[] {
  return Array.from({ length: minutes }, (_, m) => row(resourceId, m, 20, errors(m)));
}

describe("backtest replay", () => {
  it("opens one incident for a burst, at the minute the window first crosses the threshold, with the peak value", () => {
    // Minutes 100..104 fail 15 of 20: the 5-minute window's rate reaches 0.2 at minute 101 (30/100 = 0.3 ≥ 0.2 needs two minutes: 15+15 of 100).
    const rows = series(300, (m) => (m >= 100 && m < 105 ? 15 : 0));
    const out = backtest(errorRate, policy, [{ resourceId: 1, name: "checkout", rows }], at(0), at(299));
    expect(out.incidents).toBe(1);
    expect(out.resources).toEqual([{ resourceId: 1, name: "checkout", incidents: 1, firstOpenedAt: at(101), lastOpenedAt: at(101), peakValue: 0.75 }]);
  });

  it("holds a flapping series back: bursts that come back within the flap window open one incident", () => {
    // Bursts every 12 minutes: each clears and resolves (5 min clear) and fires again within 10 minutes of the resolve.
    const rows = series(200, (m) => (m % 12 === 0 ? 20 : 0));
    const out = backtest(errorRate, policy, [{ resourceId: 1, name: "f", rows }], at(0), at(199));
    expect(out.incidents).toBe(1);
    // With no flap window every burst is an incident of its own.
    const noFlap = backtest(errorRate, { resolveAfterMinutes: 5, flapMinutes: 0 }, [{ resourceId: 1, name: "f", rows }], at(0), at(199));
    expect(noFlap.incidents).toBe(Math.ceil(200 / 12));
  });

  it("opens none below minInvocations, however high the rate", () => {
    const rows = Array.from({ length: 100 }, (_, m) => row(1, m, 1, 1));
    expect(backtest(errorRate, policy, [{ resourceId: 1, name: "f", rows }], at(0), at(99))).toEqual({ incidents: 0, resources: [] });
    expect(backtest({ ...errorRate, minInvocations: 5 }, policy, [{ resourceId: 1, name: "f", rows }], at(0), at(99)).incidents).toBe(1);
  });

  it("counts only incidents opened inside the range, and uses the rows before it to fill the first window", () => {
    const rows = series(300, (m) => (m >= 100 && m < 105 ? 15 : 0));
    expect(backtest(errorRate, policy, [{ resourceId: 1, name: "f", rows }], at(102), at(299)).incidents).toBe(1);
    expect(backtest(errorRate, policy, [{ resourceId: 1, name: "f", rows }], at(120), at(299)).incidents).toBe(0);
    expect(backtest(errorRate, policy, [{ resourceId: 1, name: "f", rows }], at(0), at(100)).incidents).toBe(0);
  });

  it("agrees minute by minute with windowTotals + evaluateCondition + step, on sparse and irregular rows of several resources and kinds", () => {
    // A deterministic pseudo-random workload: gaps, bursts, histograms, costs.
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const rows: MinuteRollup[] = [];
    for (let id = 1; id <= 4; id++) {
      for (let m = 0; m < 600; m++) {
        if (rnd() < 0.3) continue;
        const inv = Math.floor(rnd() * 30);
        const burst = Math.floor(m / 40) % 3 === id % 3;
        rows.push(row(id, m, inv, burst ? Math.floor(inv * rnd()) : 0, {
          timeouts: rnd() < 0.05 ? 1 : 0, costUsd: rnd() / 100, coldStarts: Math.floor(rnd() * 3),
          histBuckets: [200 + Math.floor(rnd() * 5), 260], histCounts: [inv, burst ? 3 : 0], maxDurationMs: inv ? 1000 + rnd() * 3000 : null,
        }));
      }
    }
    const conditions: MetricCondition[] = [
      errorRate,
      { kind: "failed_invocations", threshold: 25, criticalThreshold: null, windowMinutes: 10, minInvocations: 0, severity: "warning" },
      { kind: "p95_duration", threshold: 150, criticalThreshold: null, windowMinutes: 15, minInvocations: 20, severity: "critical" },
      { kind: "cost_per_hour", threshold: 0.2, criticalThreshold: null, windowMinutes: 7, minInvocations: 1, severity: "info" },
      { kind: "cold_start_rate", threshold: 0.08, criticalThreshold: null, windowMinutes: 3, minInvocations: 5, severity: "warning" },
    ];
    const pol = { resolveAfterMinutes: 3, flapMinutes: 8 };
    for (const c of conditions) {
      // The live evaluation, literally: every minute, window sums, evaluation, one step per resource.
      const expected = new Map<number, number[]>();
      const state = new Map<number, StoredIncident | null>();
      for (let m = 50; m <= 599; m++) {
        const totals = windowTotals(rows, c.windowMinutes, at(m));
        for (let id = 1; id <= 4; id++) {
          const s = step(pol, state.get(id) ?? null, evaluateCondition(c, totals.get(id)), at(m));
          if (s.write === "create") expected.set(id, [...(expected.get(id) ?? []), at(m)]);
          state.set(id, s.next);
        }
      }
      const perResource = [1, 2, 3, 4].map((id) => ({ resourceId: id, name: `f${id}`, rows: rows.filter((r) => r.resourceId === id) }));
      const out = backtest(c, pol, perResource, at(50), at(599) + 30_000);
      const got = new Map(out.resources.map((r) => [r.resourceId, [r.firstOpenedAt, r.lastOpenedAt, r.incidents]]));
      for (const [id, opened] of expected) expect(got.get(id), `${c.kind} resource ${id}`).toEqual([opened[0], opened[opened.length - 1], opened.length]);
      expect(out.incidents, c.kind).toBe([...expected.values()].reduce((n, o) => n + o.length, 0));
      expect(out.incidents, `${c.kind} should fire somewhere for the comparison to mean something`).toBeGreaterThan(0);
    }
  });

  it("tells rollup conditions from the others", () => {
    expect(isRollupCondition("error_rate")).toBe(true);
    expect(isRollupCondition("p99_duration")).toBe(true);
    expect(isRollupCondition("new_error_group")).toBe(false);
    expect(isRollupCondition("sqs_oldest_message_age")).toBe(false);
  });
});
