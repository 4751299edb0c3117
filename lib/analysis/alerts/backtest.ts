/**
 * Backtest of a policy: how many incidents it would have opened over a past range, by replaying the
 * SAME evaluateCondition and incident state machine (`step`) the live evaluation runs, once a minute,
 * over each resource's minute rollups. Pure; lib/db/alerts/backtest.ts reads the rollups.
 *
 * The replay keeps each resource's window sums as rows enter and leave the window and evaluates only
 * when they changed (the figure cannot change otherwise); the state machine still steps every minute,
 * since resolving and flapping depend on time alone.
 */
import { evaluateCondition, isRollupKind, type ConditionKind, type Evaluation, type MetricCondition, type MinuteRollup, type WindowTotals } from "./evaluate";
import { step, type StepPolicy, type StoredIncident } from "./incident-state";

const MIN = 60_000;

/** Conditions the minute rollups answer (evaluate.ts ROLLUP_KINDS), so a backtest can replay them; any other kind is not backtestable. */
export const isRollupCondition = isRollupKind;

const needsHistogram = (kind: ConditionKind) => kind === "p95_duration" || kind === "p99_duration";

export interface BacktestSeries {
  resourceId: number;
  name: string;
  /** The resource's minute rollups, any order; only `minute`s in [from - window, to] matter. */
  rows: readonly MinuteRollup[];
}

export interface BacktestResource {
  resourceId: number;
  name: string;
  incidents: number;
  firstOpenedAt: number;
  lastOpenedAt: number;
  /** The highest value the condition reached while firing. */
  peakValue: number | null;
}

export interface BacktestOutcome {
  incidents: number;
  /** Resources that would have had an incident, most incidents first. */
  resources: BacktestResource[];
}

/** The evaluation minutes of a range: every minute start in [from, to]. */
export function evaluationMinutes(from: number, to: number): { first: number; last: number } {
  return { first: Math.ceil(from / MIN) * MIN, last: Math.floor(to / MIN) * MIN };
}

/** Sliding sums of one resource's window, with the totals windowTotals would give over the same rows. */
class SlidingWindow {
  private readonly t: WindowTotals = { invocations: 0, errors: 0, timeouts: 0, outOfMemory: 0, crashes: 0, coldStarts: 0, costUsd: 0, hist: new Map(), maxDurationMs: null };

  constructor(
    private readonly rows: readonly MinuteRollup[],
    private readonly withHistogram: boolean,
  ) {}

  private add(r: MinuteRollup, sign: 1 | -1): void {
    const t = this.t;
    t.invocations += sign * r.invocations;
    t.errors += sign * r.errors;
    t.timeouts += sign * r.timeouts;
    t.outOfMemory += sign * r.outOfMemory;
    t.crashes += sign * r.crashes;
    t.coldStarts += sign * r.coldStarts;
    if (!this.withHistogram) return;
    for (let i = 0; i < r.histBuckets.length; i++) {
      const b = r.histBuckets[i];
      const n = (t.hist.get(b) ?? 0) + sign * (r.histCounts[i] ?? 0);
      if (n === 0 && sign < 0) t.hist.delete(b);
      else t.hist.set(b, n);
    }
  }

  enter(r: MinuteRollup): void {
    this.add(r, 1);
  }

  leave(r: MinuteRollup): void {
    this.add(r, -1);
  }

  /** The totals of rows[lo, hi): integer sums kept incrementally; cost and the longest duration summed afresh, in minute order, as windowTotals sums them. */
  totals(lo: number, hi: number): WindowTotals {
    let cost = 0;
    let max: number | null = null;
    for (let i = lo; i < hi; i++) {
      const r = this.rows[i];
      cost += r.costUsd;
      if (this.withHistogram && r.maxDurationMs !== null) max = Math.max(max ?? 0, r.maxDurationMs);
    }
    this.t.costUsd = cost;
    this.t.maxDurationMs = max;
    return this.t;
  }
}

/** Replays one resource: the minutes its incidents open at and the peak value while firing. */
function replay(c: MetricCondition, policy: StepPolicy, rows: readonly MinuteRollup[], first: number, last: number): { opened: number[]; peak: number | null } {
  const sorted = [...rows].sort((a, b) => a.minute - b.minute);
  const span = (c.windowMinutes - 1) * MIN;
  const win = new SlidingWindow(sorted, needsHistogram(c.kind));
  let lo = 0;
  let hi = 0;
  let ev: Evaluation = evaluateCondition(c, undefined);
  let current: StoredIncident | null = null;
  const opened: number[] = [];
  let peak: number | null = null;
  for (let m = first; m <= last; m += MIN) {
    let changed = false;
    while (hi < sorted.length && sorted[hi].minute <= m) {
      if (sorted[hi].minute >= m - span) win.enter(sorted[hi]);
      hi++;
      changed = true;
    }
    while (lo < hi && sorted[lo].minute < m - span) {
      // Rows older than the first window never entered.
      if (sorted[lo].minute >= first - span) win.leave(sorted[lo]);
      lo++;
      changed = true;
    }
    if (changed) ev = evaluateCondition(c, lo < hi ? win.totals(lo, hi) : undefined);
    // Nothing to do while clear and without an incident: step would answer "none".
    if (!ev.firing && current === null) continue;
    const s = step(policy, current, ev, m);
    if (s.write === "create") opened.push(m);
    if (ev.firing && ev.value !== null && (peak === null || ev.value > peak)) peak = ev.value;
    current = s.next;
  }
  return { opened, peak };
}

/**
 * Incidents the policy would have opened at the minutes of [from, to], per resource. Each series
 * starts without an incident; flapping re-opens are held back (not counted), as live.
 */
export function backtest(c: MetricCondition, policy: StepPolicy, series: readonly BacktestSeries[], from: number, to: number): BacktestOutcome {
  const { first, last } = evaluationMinutes(from, to);
  const resources: BacktestResource[] = [];
  for (const s of series) {
    if (!s.rows.length) continue;
    const { opened, peak } = replay(c, policy, s.rows, first, last);
    if (!opened.length) continue;
    resources.push({ resourceId: s.resourceId, name: s.name, incidents: opened.length, firstOpenedAt: opened[0], lastOpenedAt: opened[opened.length - 1], peakValue: peak });
  }
  resources.sort((a, b) => b.incidents - a.incidents || a.name.localeCompare(b.name) || a.resourceId - b.resourceId);
  return { incidents: resources.reduce((n, r) => n + r.incidents, 0), resources };
}
