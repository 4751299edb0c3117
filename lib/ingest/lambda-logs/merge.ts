import { borrowCause, finishInvocation } from "./draft";
import { statusRank } from "./status";
import type { ParsedInvocation } from "./types";

function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

function latest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/**
 * Two partial views of the same invocation (e.g. its START in one batch and its REPORT in the next):
 * each field from whichever view knows it, the status by precedence. The DB writer applies the same rules
 * when late lines arrive.
 */
export function mergeInvocation(a: ParsedInvocation, b: ParsedInvocation): ParsedInvocation {
  const bWins = statusRank(b.status) > statusRank(a.status);
  const sameStatus = statusRank(b.status) === statusRank(a.status);
  const coldStartKind = a.coldStartKind === "snapstart" || b.coldStartKind === "snapstart" ? "snapstart" : (a.coldStartKind ?? b.coldStartKind);
  const merged: ParsedInvocation = {
    requestId: a.requestId,
    functionName: a.functionName ?? b.functionName,
    logStreamName: a.logStreamName || b.logStreamName,
    attempt: Math.min(a.attempt, b.attempt),
    startedAt: earliest(a.startedAt, b.startedAt),
    endedAt: latest(a.endedAt, b.endedAt),
    durationMs: a.durationMs ?? b.durationMs,
    billedDurationMs: a.billedDurationMs ?? b.billedDurationMs,
    memorySizeMB: a.memorySizeMB ?? b.memorySizeMB,
    maxMemoryUsedMB: a.maxMemoryUsedMB ?? b.maxMemoryUsedMB,
    initDurationMs: a.initDurationMs ?? b.initDurationMs,
    restoreDurationMs: a.restoreDurationMs ?? b.restoreDurationMs,
    billedRestoreDurationMs: a.billedRestoreDurationMs ?? b.billedRestoreDurationMs,
    coldStart: a.coldStart || b.coldStart,
    coldStartKind,
    status: bWins ? b.status : a.status,
    errorType: bWins ? b.errorType : sameStatus ? (a.errorType ?? b.errorType) : a.errorType,
    errorMessage: bWins ? b.errorMessage : sameStatus ? (a.errorMessage ?? b.errorMessage) : a.errorMessage,
    traceId: a.traceId ?? b.traceId,
    startEventId: a.startEventId ?? b.startEventId,
    reportEventId: a.reportEventId ?? b.reportEventId,
    complete: a.complete || b.complete,
  };
  finishInvocation(merged);
  const loser = bWins ? a : b;
  borrowCause(merged, loser.errorType, loser.errorMessage);
  settlePendingCause(merged, loser);
  return merged;
}

/**
 * JSON format: a batch that ends before runtimeDone keeps the last error record as a pending cause, an error
 * type and message without a status (Draft.settle). A failure told by a later batch's runtimeDone, which has
 * no message of its own, takes that cause; a success outranks the pending view and drops it.
 */
function settlePendingCause(merged: ParsedInvocation, loser: ParsedInvocation): void {
  if (merged.status !== "error" || merged.errorMessage !== null || loser.errorMessage === null) return;
  merged.errorType = loser.errorType;
  merged.errorMessage = loser.errorMessage;
}
