import type { ErrorOccurrence, ParsedInvocation } from "./lambda-logs/types";

/** An error occurrence already stored: enough to tell which attempt it belongs to. */
export interface StoredOccurrence {
  eventId: string;
  requestId: string | null;
  logStreamName: string;
  timestamp: number;
}

export interface OccurrenceResolution {
  /** The batch's occurrences to store. */
  add: ErrorOccurrence[];
  /** Event ids of stored occurrences to take back. */
  remove: string[];
}

/** When the attempt began, as far as its views tell: a REPORT without its START still gives it. */
function beganAt(attempt: ParsedInvocation): number | null {
  if (attempt.startedAt !== null) return attempt.startedAt;
  if (attempt.endedAt === null) return null;
  return attempt.endedAt - (attempt.durationMs ?? 0);
}

/**
 * The attempt an error line belongs to, among its request's attempts: the latest on its stream begun by
 * then (an error line can follow its REPORT, as the old timeout line does), else the first.
 */
function attemptOf(attempts: readonly ParsedInvocation[], occurrence: StoredOccurrence): ParsedInvocation | null {
  let latest: ParsedInvocation | null = null;
  let latestAt = -Infinity;
  let first: ParsedInvocation | null = null;
  let firstAt = Infinity;
  for (const attempt of attempts) {
    if (attempt.logStreamName !== occurrence.logStreamName) continue;
    const at = beganAt(attempt);
    if (at === null) continue;
    if (at <= occurrence.timestamp && at > latestAt) {
      latest = attempt;
      latestAt = at;
    }
    if (at < firstAt) {
      first = attempt;
      firstAt = at;
    }
  }
  return latest ?? first;
}

/**
 * One occurrence per failed attempt, however its lines fell into batches. The parser puts an occurrence on
 * the REPORT of an attempt that failed with no error line of its own in the batch (a timeout, a crash); when
 * the attempt's error line is in another batch, that line is the occurrence and the REPORT's is dropped, or
 * taken back if it was stored first. `attempts`: every attempt, stored and new, of the batch's request ids,
 * as merged with the batch. Pure, and the same whatever the order the batches came in.
 */
export function resolveOccurrences(attempts: ParsedInvocation[], stored: StoredOccurrence[], incoming: ErrorOccurrence[]): OccurrenceResolution {
  const byReport = new Map<string, ParsedInvocation>();
  const byRequest = new Map<string, ParsedInvocation[]>();
  for (const attempt of attempts) {
    if (attempt.reportEventId !== null) byReport.set(attempt.reportEventId, attempt);
    const same = byRequest.get(attempt.requestId);
    if (same) same.push(attempt);
    else byRequest.set(attempt.requestId, [attempt]);
  }
  const onReport = (o: StoredOccurrence) => {
    const attempt = byReport.get(o.eventId);
    return attempt !== undefined && attempt.requestId === o.requestId ? attempt : null;
  };

  const explained = new Set<ParsedInvocation>();
  for (const o of [...stored, ...incoming]) {
    if (o.requestId === null || onReport(o) !== null) continue;
    const attempt = attemptOf(byRequest.get(o.requestId) ?? [], o);
    if (attempt !== null) explained.add(attempt);
  }
  const redundant = (o: StoredOccurrence) => {
    const attempt = onReport(o);
    return attempt !== null && explained.has(attempt);
  };
  return {
    add: incoming.filter((o) => !redundant(o)),
    remove: stored.filter(redundant).map((o) => o.eventId),
  };
}
