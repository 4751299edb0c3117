import { bucketOf } from "./histogram";
import { gbSeconds as toGbSeconds } from "./cost";

/** The fields of an invocation that the rollups count. */
export interface RollupSource {
  attempt: number;
  startedAt: number | null;
  endedAt: number | null;
  durationMs: number | null;
  billedDurationMs: number | null;
  memorySizeMB: number | null;
  maxMemoryUsedMB: number | null;
  coldStart: boolean;
  status: "success" | "error" | "timeout" | "out_of_memory" | "crash" | null;
  costUsd: number | null;
  complete: boolean;
}

export interface RollupDelta {
  bucketStart: number;
  invocations: number;
  successes: number;
  errors: number;
  timeouts: number;
  outOfMemory: number;
  crashes: number;
  coldStarts: number;
  retries: number;
  /** bucket index -> count change */
  hist: Map<number, number>;
  durationSumMs: number;
  billedMs: number;
  gbSeconds: number;
  costUsd: number;
  maxMemoryUsedMB: number | null;
  memorySizeMB: number | null;
  /** The longest duration seen; percentiles report it in its own histogram bucket (histogram.ts). */
  maxDurationMs: number | null;
}

export const GRAINS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
export type Grain = keyof typeof GRAINS;

export function emptyDelta(bucketStart: number): RollupDelta {
  return {
    bucketStart,
    invocations: 0,
    successes: 0,
    errors: 0,
    timeouts: 0,
    outOfMemory: 0,
    crashes: 0,
    coldStarts: 0,
    retries: 0,
    hist: new Map(),
    durationSumMs: 0,
    billedMs: 0,
    gbSeconds: 0,
    costUsd: 0,
    maxMemoryUsedMB: null,
    memorySizeMB: null,
    maxDurationMs: null,
  };
}

/** When an invocation counts: the minute it started (or ended, less its duration, when START was not seen). */
export function invocationTime(i: Pick<RollupSource, "startedAt" | "endedAt" | "durationMs">): number | null {
  if (i.startedAt !== null) return i.startedAt;
  if (i.endedAt !== null) return i.endedAt - (i.durationMs ?? 0);
  return null;
}

function addInto(d: RollupDelta, i: RollupSource, sign: 1 | -1): void {
  d.invocations += sign;
  if (i.status === "success") d.successes += sign;
  else if (i.status === "error") d.errors += sign;
  else if (i.status === "timeout") d.timeouts += sign;
  else if (i.status === "out_of_memory") d.outOfMemory += sign;
  else if (i.status === "crash") d.crashes += sign;
  if (i.coldStart) d.coldStarts += sign;
  if (i.attempt > 1) d.retries += sign;
  if (i.durationMs !== null) {
    const b = bucketOf(i.durationMs);
    d.hist.set(b, (d.hist.get(b) ?? 0) + sign);
    d.durationSumMs += sign * i.durationMs;
  }
  // REPORT's Billed Duration already includes a SnapStart's Billed Restore Duration: never add it again.
  const billed = i.billedDurationMs ?? 0;
  d.billedMs += sign * billed;
  if (i.memorySizeMB !== null) d.gbSeconds += sign * toGbSeconds(billed, i.memorySizeMB);
  d.costUsd += sign * (i.costUsd ?? 0);
  // Maxima only grow: an invocation leaving a bucket does not lower them.
  if (sign === 1 && i.maxMemoryUsedMB !== null) d.maxMemoryUsedMB = Math.max(d.maxMemoryUsedMB ?? 0, i.maxMemoryUsedMB);
  if (sign === 1 && i.durationMs !== null) d.maxDurationMs = Math.max(d.maxDurationMs ?? 0, i.durationMs);
  if (sign === 1 && i.memorySizeMB !== null) d.memorySizeMB = Math.max(d.memorySizeMB ?? 0, i.memorySizeMB);
}

/**
 * The change an invocation's new view makes to the rollups of one grain: it counts once it is
 * complete (its REPORT seen); a later change (a late error line, its START found) moves its
 * counts from what it was to what it is. Pure; sums over many invocations per bucket.
 */
export function rollupDeltas(changes: { before: RollupSource | null; after: RollupSource }[], grain: Grain): RollupDelta[] {
  const size = GRAINS[grain];
  const out = new Map<number, RollupDelta>();
  const apply = (i: RollupSource | null, sign: 1 | -1) => {
    if (!i || !i.complete) return;
    const t = invocationTime(i);
    if (t === null) return;
    const start = Math.floor(t / size) * size;
    let d = out.get(start);
    if (!d) out.set(start, (d = emptyDelta(start)));
    addInto(d, i, sign);
  };
  for (const { before, after } of changes) {
    apply(before, -1);
    apply(after, 1);
  }
  return [...out.values()].filter((d) => d.invocations !== 0 || d.hist.size > 0 || d.costUsd !== 0 || d.maxMemoryUsedMB !== null);
}

/** Adds a sparse histogram delta to stored sparse arrays; buckets that reach zero are dropped. */
export function applyHistDelta(buckets: number[], counts: number[], delta: Map<number, number>): { buckets: number[]; counts: number[] } {
  const m = new Map<number, number>();
  buckets.forEach((b, i) => m.set(b, counts[i]));
  for (const [b, c] of delta) m.set(b, (m.get(b) ?? 0) + c);
  const keys = [...m.keys()].filter((b) => (m.get(b) ?? 0) > 0).sort((a, b) => a - b);
  return { buckets: keys, counts: keys.map((k) => m.get(k)!) };
}
