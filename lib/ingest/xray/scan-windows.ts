/**
 * Which GetTraceSummaries window a function's trace reading works on next. A window is read page by
 * page; `nextToken` is the page to read next in it (null: its first page), so a restart resumes there.
 */

// GetTraceSummaries accepts at most 6 hours per call.
export const MAX_SUMMARY_WINDOW_MS = 6 * 3_600_000;

export interface ScanWindow {
  from: number;
  to: number;
  nextToken: string | null;
}

export interface BackfillWindow extends ScanWindow {
  /** The oldest time the backfill reaches: the first read's lookback. */
  floor: number;
}

export interface FirstScan {
  forward: ScanWindow;
  backfill: BackfillWindow | null;
}

/**
 * The first read of a function: the most recent `recentMs` (or the whole lookback when shorter)
 * forward, so fresh traces are not delayed, and the rest of the lookback as a backfill that walks
 * back from there, most recent window first.
 */
export function planFirstScan(now: number, lookbackMs: number, recentMs: number): FirstScan {
  const recentFrom = now - Math.min(lookbackMs, recentMs);
  const forward = { from: recentFrom, to: Math.min(now, recentFrom + MAX_SUMMARY_WINDOW_MS), nextToken: null };
  const floor = now - lookbackMs;
  return { forward, backfill: floor < recentFrom ? backfillBelow(recentFrom, floor) : null };
}

/** The forward window after the cursor (re-reading `lateMs` for segments that arrive late), or null when caught up. */
export function forwardWindowAfter(position: number, now: number): ScanWindow | null {
  if (position >= now) return null;
  return { from: position, to: Math.min(now, position + MAX_SUMMARY_WINDOW_MS), nextToken: null };
}

/** The backfill window just older than `to`, down to `floor`; null when the backfill is done. */
export function backfillBelow(to: number, floor: number): BackfillWindow | null {
  if (to <= floor) return null;
  return { from: Math.max(floor, to - MAX_SUMMARY_WINDOW_MS), to, floor, nextToken: null };
}
