/**
 * The part of a window Osprey has data for: from the window's start, or from when the resource's data begins if
 * that is later (a newly added account), to its end. Rates, monthly figures and utilisation are taken over it, so
 * hours Osprey never read do not dilute them: two hours of a new account's traffic are two hours, not a week with
 * 166 idle hours in it. The insight cards and the cost page both ask this, so their monthly figures agree.
 */
export interface Window {
  windowStart: Date;
  windowEnd: Date;
}

export function coveredWindow(w: Window & { dataSince: Date | null }): Window {
  const start = Math.min(w.windowEnd.getTime(), Math.max(w.windowStart.getTime(), w.dataSince?.getTime() ?? -Infinity));
  return { windowStart: new Date(start), windowEnd: w.windowEnd };
}

export function coveredSpanMs(w: Window & { dataSince: Date | null }): number {
  const { windowStart, windowEnd } = coveredWindow(w);
  return windowEnd.getTime() - windowStart.getTime();
}
