/**
 * Which log groups a logs pass reads, and in what order: the functions CloudWatch's Invocations
 * metric shows running (busiest and failing first), new ones, and a rotating share of the idle ones so
 * none goes unread for long. Pure: the worker gathers the inputs (cursors, one GetMetricData call per
 * 500 functions, recent errors from the rollups) and follows the plan.
 */

const MINUTE = 60_000;
// How far back a pass asks for Invocations: CloudWatch metrics arrive 1-3 minutes late, and a
// function stays active for ACTIVE_HOLD_MS after its newest minute with invocations.
export const ACTIVITY_WINDOW_MS = 10 * MINUTE;
// After its newest minute with invocations a function is read for this long more (about three passes
// a minute apart), so log lines delivered late and a metric that showed only part of the minute are read.
export const ACTIVE_HOLD_MS = 3 * MINUTE;
// No function goes unread longer than this, active or not: a metric that never arrives (a function
// whose Invocations are not published, a missed datapoint) cannot hide its logs for long.
export const MAX_UNREAD_MS = 10 * MINUTE;
// Idle functions are read in turn: each pass takes the 1/ROTATION_PASSES of them read longest ago, so
// with a pass a minute each is read about every ROTATION_PASSES minutes, spread evenly over the passes.
export const ROTATION_PASSES = 10;
// GetMetricData accepts at most 500 queries per call.
export const ACTIVITY_QUERIES_PER_CALL = 500;

export interface PullCandidate {
  id: number;
  /** where the last read ended (epoch ms), null when never read */
  cursor: number | null;
  /** Invocations in the activity window; null when the metric could not be read */
  invocations: number | null;
  /** start of the newest minute with invocations in the activity window */
  lastActiveMinute: number | null;
  /** failed invocations stored for it in the last minutes */
  recentErrors: number;
}

export type PullReason = "errors" | "active" | "new" | "overdue" | "rotation" | "unknown";

export interface PlannedRead<T extends PullCandidate> {
  fn: T;
  reason: PullReason;
}

export interface PullPlan<T extends PullCandidate> {
  reads: PlannedRead<T>[];
  /** functions left for a later pass */
  skipped: number;
}

function isActive(c: PullCandidate): boolean {
  if (c.lastActiveMinute === null || !c.invocations) return false;
  return c.cursor === null || c.cursor < c.lastActiveMinute + MINUTE + ACTIVE_HOLD_MS;
}

const RANK: Record<PullReason, number> = { errors: 0, active: 1, unknown: 2, new: 3, overdue: 4, rotation: 5 };

export function planLogPull<T extends PullCandidate>(candidates: T[], now: number): PullPlan<T> {
  const reads: PlannedRead<T>[] = [];
  const idle: T[] = [];
  for (const fn of candidates) {
    if (fn.invocations === null) reads.push({ fn, reason: "unknown" });
    else if (isActive(fn)) reads.push({ fn, reason: fn.recentErrors > 0 ? "errors" : "active" });
    else if (fn.cursor === null) reads.push({ fn, reason: "new" });
    else if (fn.cursor < now - MAX_UNREAD_MS) reads.push({ fn, reason: "overdue" });
    else idle.push(fn);
  }
  const overdue = reads.filter((r) => r.reason === "overdue").length;
  const turn = Math.max(0, Math.ceil((idle.length + overdue) / ROTATION_PASSES) - overdue);
  idle.sort((a, b) => a.cursor! - b.cursor! || a.id - b.id);
  for (const fn of idle.slice(0, turn)) reads.push({ fn, reason: "rotation" });
  reads.sort((a, b) =>
    RANK[a.reason] - RANK[b.reason] ||
    b.fn.recentErrors - a.fn.recentErrors ||
    (b.fn.invocations ?? 0) - (a.fn.invocations ?? 0) ||
    (a.fn.cursor ?? 0) - (b.fn.cursor ?? 0) ||
    a.fn.id - b.fn.id);
  return { reads, skipped: candidates.length - reads.length };
}

export interface ActivitySeries {
  Id?: string;
  Timestamps?: Date[];
  Values?: number[];
}

/** Sum of Invocations and the newest minute with any, per query id, from GetMetricData results. */
export function toActivity(results: ActivitySeries[]): Map<string, { invocations: number; lastActiveMinute: number | null }> {
  const out = new Map<string, { invocations: number; lastActiveMinute: number | null }>();
  for (const r of results) {
    if (!r.Id) continue;
    const prev = out.get(r.Id) ?? { invocations: 0, lastActiveMinute: null };
    (r.Values ?? []).forEach((v, i) => {
      const t = r.Timestamps?.[i]?.getTime();
      if (!(v > 0) || t === undefined) return;
      prev.invocations += v;
      prev.lastActiveMinute = prev.lastActiveMinute === null ? t : Math.max(prev.lastActiveMinute, t);
    });
    out.set(r.Id, prev);
  }
  return out;
}
