import { mergeInvocation } from "./lambda-logs/merge";
import type { ParsedInvocation } from "./lambda-logs/types";

/** An invocation already stored, in the parser's shape, with its row key. */
export interface StoredInvocation extends ParsedInvocation {
  id: number;
  day: string;
}

export interface Resolution {
  /** New attempts, numbered after those already stored for the same request id. */
  inserts: ParsedInvocation[];
  /** Stored rows that the batch completed or changed. */
  updates: { id: number; day: string; before: ParsedInvocation; after: ParsedInvocation }[];
}

// functionName is not stored (the resource names the function), so it does not count as a change.
function sameView(a: ParsedInvocation, b: ParsedInvocation): boolean {
  return JSON.stringify({ ...a, functionName: null }) === JSON.stringify({ ...b, functionName: null });
}

/**
 * Finds which stored attempt a partial view from a new batch belongs to. Exact first: the
 * same START or REPORT event. Then the halves of one attempt split across batches: a START
 * joins a stored attempt on its stream that has a REPORT at or after it and no START yet; a
 * REPORT joins one that started at or before it and has no REPORT yet. Lines with neither
 * join the newest attempt on their stream. Anything else is a new attempt: a retry.
 */
function findMatch(rows: ParsedInvocation[], p: ParsedInvocation): number {
  if (p.startEventId) {
    const i = rows.findIndex((r) => r.startEventId === p.startEventId);
    if (i >= 0) return i;
  }
  if (p.reportEventId) {
    const i = rows.findIndex((r) => r.reportEventId === p.reportEventId);
    if (i >= 0) return i;
  }
  const onStream = rows.map((r, i) => ({ r, i })).filter(({ r }) => r.logStreamName === p.logStreamName);
  if (p.startEventId && p.startedAt !== null) {
    const t = p.startedAt;
    const c = onStream
      .filter(({ r }) => !r.startEventId && (r.endedAt === null || r.endedAt >= t) && (!p.reportEventId || !r.reportEventId))
      .sort((a, b) => (a.r.endedAt ?? Infinity) - (b.r.endedAt ?? Infinity));
    if (c.length) return c[0].i;
    return -1;
  }
  if (p.reportEventId) {
    const t = p.endedAt ?? Infinity;
    const c = onStream
      .filter(({ r }) => !r.reportEventId && (r.startedAt === null || r.startedAt <= t))
      .sort((a, b) => (b.r.startedAt ?? -Infinity) - (a.r.startedAt ?? -Infinity));
    if (c.length) return c[0].i;
    return -1;
  }
  if (onStream.length) return onStream.sort((a, b) => (b.r.startedAt ?? -Infinity) - (a.r.startedAt ?? -Infinity))[0].i;
  return rows.length ? rows.length - 1 : -1;
}

function orderKey(p: ParsedInvocation): number {
  return p.startedAt ?? p.endedAt ?? Infinity;
}

/** Merges a batch's invocations into the stored attempts of the same request ids. Pure. */
export function resolveInvocations(stored: StoredInvocation[], incoming: ParsedInvocation[]): Resolution {
  const byRequest = new Map<string, { rows: ParsedInvocation[]; keys: ({ id: number; day: string } | null)[]; before: ParsedInvocation[] }>();
  for (const s of [...stored].sort((a, b) => a.attempt - b.attempt)) {
    let g = byRequest.get(s.requestId);
    if (!g) byRequest.set(s.requestId, (g = { rows: [], keys: [], before: [] }));
    const { id, day, ...view } = s;
    g.rows.push(view);
    g.keys.push({ id, day });
    g.before.push(view);
  }
  for (const p of [...incoming].sort((a, b) => orderKey(a) - orderKey(b))) {
    let g = byRequest.get(p.requestId);
    if (!g) byRequest.set(p.requestId, (g = { rows: [], keys: [], before: [] }));
    const i = findMatch(g.rows, p);
    if (i >= 0) {
      g.rows[i] = { ...mergeInvocation(g.rows[i], p), attempt: g.rows[i].attempt };
    } else {
      const attempt = g.rows.reduce((m, r) => Math.max(m, r.attempt), 0) + 1;
      g.rows.push({ ...p, attempt });
      g.keys.push(null);
    }
  }
  const out: Resolution = { inserts: [], updates: [] };
  for (const g of byRequest.values()) {
    g.rows.forEach((row, i) => {
      const key = g.keys[i];
      if (!key) out.inserts.push(row);
      else if (!sameView(g.before[i], row)) out.updates.push({ ...key, before: g.before[i], after: row });
    });
  }
  return out;
}
