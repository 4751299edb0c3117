/**
 * The part of a window Osprey covers: from the window's start, or from where its view of the resource begins if
 * that is later (a newly added account), to its end. Rates, monthly figures and utilisation are taken over it, so
 * hours Osprey never read do not dilute them: two hours of a new account's traffic are two hours, not a week with
 * 166 idle hours in it. The insight cards and the cost page both ask this, so their monthly figures agree.
 */
export interface Window {
  windowStart: Date;
  windowEnd: Date;
}

/** Where Osprey's view of the resource begins (coverageStartByResource); null when unknown: the whole window. */
export interface Coverage {
  coveredSince: Date | null;
}

export function coveredWindow(w: Window & Coverage): Window {
  const start = Math.min(w.windowEnd.getTime(), Math.max(w.windowStart.getTime(), w.coveredSince?.getTime() ?? -Infinity));
  return { windowStart: new Date(start), windowEnd: w.windowEnd };
}

export function coveredSpanMs(w: Window & Coverage): number {
  const { windowStart, windowEnd } = coveredWindow(w);
  return windowEnd.getTime() - windowStart.getTime();
}
