/**
 * Which log groups a logs pass reads, and in what order: the functions CloudWatch's Invocations
 * metric shows running (busiest and failing first), new ones, and a rotating share of the idle ones so
 * none goes unread for long, paced by time rather than by pass. Pure: the worker gathers the inputs (cursors, one GetMetricData call per
 * 500 functions, recent errors from the rollups) and follows the plan.
 */

const MINUTE = 60_000;
// How far back a pass asks for Invocations: CloudWatch metrics arrive 1-3 minutes late, and a
// function stays active for ACTIVE_HOLD_MS after its newest minute with invocations.
export const ACTIVITY_WINDOW_MS = 10 * MINUTE;
// After its newest minute with invocations a function is read for this long more (about six passes 30 s
// apart), so log lines delivered late and a metric that showed only part of the minute are read.
export const ACTIVE_HOLD_MS = 3 * MINUTE;
// No function goes unread longer than this, active or not: a metric that never arrives (a function
// whose Invocations are not published, a missed datapoint) cannot hide its logs for long.
export const MAX_UNREAD_MS = 20 * MINUTE;
// Idle functions are read in turn, longest unread first, at the pace that reads each one about this
// often whatever the pass rate: passes run back to back, so a share fixed per pass would read idle
// functions more often the faster the passes go, and take the quota from the active ones. Under
// MAX_UNREAD_MS, so passes that run late still read every idle function in time.
// At 1,000 functions, 10 % active, 16 minutes takes ~0.9 calls a second of the 4.5 for idle reads.
export const IDLE_ROTATION_MS = 16 * MINUTE;
// When the active functions alone fill a pass's read budget (5,000 functions, 10 % active, take 2 min of
// the FilterLogEvents quota), idle reads still get this share of the active reads, so none waits forever,
// while the active ones are not pushed back further.
export const IDLE_SHARE_OF_FULL_PASS = 0.25;
// Every pass re-reads a short window before each cursor for events CloudWatch delivers seconds late; the
// first pass in each slot of this length re-reads the full late window, for the few delivered minutes late.
export const DEEP_REREAD_MS = 5 * MINUTE;
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

export interface PlanOptions {
  /**
   * Reads a pass may make and still end on time (the FilterLogEvents quota times the pass's target
   * length); idle reads beyond it wait for a later pass. Default: no limit.
   */
  readBudget?: number;
  /**
   * Time since the last pass began. Default: since the newest cursor, which is right when a pass moves
   * every cursor it reads to its own start (tests); the worker's reads end their cursors when each read
   * ends, so it says when its last pass began.
   */
  sinceLastPassMs?: number;
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

/**
 * How many idle functions a pass reads: the share due since the last pass began, so each is read about
 * every IDLE_ROTATION_MS, at least every overdue one, and no more than the read budget leaves after the
 * functions that must be read.
 */
export function idleTurn(idle: number, overdue: number, mustRead: number, sinceLastPassMs: number, readBudget = Infinity): number {
  const due = Math.ceil((idle * Math.min(Math.max(sinceLastPassMs, 0), IDLE_ROTATION_MS)) / IDLE_ROTATION_MS);
  const room = Math.max(readBudget - mustRead, Math.ceil(mustRead * IDLE_SHARE_OF_FULL_PASS));
  return Math.min(idle, Math.max(due, overdue), room);
}

export function planLogPull<T extends PullCandidate>(candidates: T[], now: number, opts: PlanOptions = {}): PullPlan<T> {
  const reads: PlannedRead<T>[] = [];
  const idle: T[] = [];
  let newest = -Infinity;
  for (const fn of candidates) {
    if (fn.cursor !== null) newest = Math.max(newest, fn.cursor);
    if (fn.invocations === null) reads.push({ fn, reason: "unknown" });
    else if (isActive(fn)) reads.push({ fn, reason: fn.recentErrors > 0 ? "errors" : "active" });
    else if (fn.cursor === null) reads.push({ fn, reason: "new" });
    else idle.push(fn);
  }
  const overdue = idle.filter((fn) => fn.cursor! < now - MAX_UNREAD_MS).length;
  const turn = idleTurn(idle.length, overdue, reads.length, opts.sinceLastPassMs ?? now - newest, opts.readBudget);
  idle.sort((a, b) => a.cursor! - b.cursor! || a.id - b.id);
  for (const fn of idle.slice(0, turn)) reads.push({ fn, reason: fn.cursor! < now - MAX_UNREAD_MS ? "overdue" : "rotation" });
  reads.sort((a, b) =>
    RANK[a.reason] - RANK[b.reason] ||
    b.fn.recentErrors - a.fn.recentErrors ||
    (b.fn.invocations ?? 0) - (a.fn.invocations ?? 0) ||
    (a.fn.cursor ?? 0) - (b.fn.cursor ?? 0) ||
    a.fn.id - b.fn.id);
  return { reads, skipped: candidates.length - reads.length };
}

/** Whether a pass re-reads the full late window: the first pass since a DEEP_REREAD_MS slot began, or the first known. */
export function isDeepPass(now: number, lastPassAt: number | null): boolean {
  return lastPassAt === null || Math.floor(now / DEEP_REREAD_MS) !== Math.floor(lastPassAt / DEEP_REREAD_MS);
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
