import type { Signal } from "./signals";
import { EXIT_ERROR_TYPE, isOutOfMemoryKill, statusForErrorType, statusRank, TIMEOUT_ERROR_TYPE } from "./status";
import type { ColdStartKind, InvocationStatus, ParsedInvocation } from "./types";

/** An invocation of which nothing is known yet but its request id and stream. */
export function emptyInvocation(requestId: string, logStreamName: string, functionName: string | null): ParsedInvocation {
  return {
    requestId,
    functionName,
    logStreamName,
    attempt: 1,
    startedAt: null,
    endedAt: null,
    durationMs: null,
    billedDurationMs: null,
    memorySizeMB: null,
    maxMemoryUsedMB: null,
    initDurationMs: null,
    restoreDurationMs: null,
    billedRestoreDurationMs: null,
    coldStart: false,
    coldStartKind: null,
    status: null,
    errorType: null,
    errorMessage: null,
    traceId: null,
    startEventId: null,
    reportEventId: null,
    complete: false,
  };
}

/** An invocation being assembled from its signals, with what resolution needs besides the public fields. */
export class Draft {
  readonly inv: ParsedInvocation;
  /** Input position of the START line: breaks same-millisecond ties on a stream. */
  startIndex = -1;
  firstSeen = Infinity;
  lastSeen = -Infinity;
  hasEnd = false;
  hasOccurrence = false;
  /** Another attempt of this batch has the same request id (a retry). */
  sharesRequestId = false;
  spanStart = 0;
  spanEnd = 0;
  /** The most severe error that came with a message, for a crash that only says Runtime.ExitError. */
  private causeRank = 0;
  private causeType: string | null = null;
  private causeMessage: string | null = null;
  /** JSON format: error records that may be handled logging, and what the platform said about the outcome. */
  private candidates: Signal[] | null = null;
  private runtimeDone: Signal | null = null;
  private reportFailedAt: number | null = null;

  constructor(requestId: string, logStreamName: string, functionName: string | null) {
    this.inv = emptyInvocation(requestId, logStreamName, functionName);
  }

  /** Where this invocation sits in time on its stream, for lines that carry no request id. */
  computeSpan(): void {
    const inv = this.inv;
    if (inv.startedAt !== null) this.spanStart = inv.startedAt;
    else if (inv.endedAt !== null && inv.durationMs !== null) this.spanStart = inv.endedAt - inv.durationMs;
    else this.spanStart = this.firstSeen;
    if (inv.endedAt !== null) this.spanEnd = inv.endedAt;
    else if (inv.startedAt !== null) this.spanEnd = Infinity;
    else this.spanEnd = this.lastSeen;
  }

  /** When the invocation began, as far as this batch tells: a REPORT without its START still gives it. */
  anchor(): number {
    const inv = this.inv;
    if (inv.startedAt !== null) return inv.startedAt;
    if (inv.endedAt !== null) return inv.durationMs !== null ? inv.endedAt - inv.durationMs : inv.endedAt;
    return this.firstSeen;
  }

  apply(signal: Signal): void {
    const ts = signal.line.timestamp;
    if (ts < this.firstSeen) this.firstSeen = ts;
    if (ts > this.lastSeen) this.lastSeen = ts;
    const inv = this.inv;
    switch (signal.kind) {
      case "start":
        if (inv.startedAt === null || ts < inv.startedAt) inv.startedAt = ts;
        inv.startEventId ??= signal.line.eventId;
        inv.traceId ??= signal.fields?.traceId ?? null;
        this.startIndex = signal.index;
        return;
      case "end":
        this.hasEnd = true;
        this.extendEnd(ts);
        return;
      case "report":
        this.applyReport(signal);
        return;
      case "failure":
        if (signal.tentative) {
          (this.candidates ??= []).push(signal);
          return;
        }
        this.fail(signal.status ?? "error", signal.errorType, signal.errorMessage);
        this.noteCause(signal);
        return;
      case "runtime-done":
        if (this.runtimeDone === null || ts > this.runtimeDone.line.timestamp) this.runtimeDone = signal;
        return;
      case "init-start":
        this.markCold("init");
        return;
      case "restore-start":
        this.markCold("snapstart");
        return;
      case "init-report":
      case "restore-report":
        this.applyPhaseReport(signal);
        return;
      case "xray":
        inv.traceId ??= signal.fields?.traceId ?? null;
        return;
    }
  }

  fail(status: InvocationStatus, errorType: string | null, errorMessage: string | null): void {
    const inv = this.inv;
    const rank = statusRank(status);
    const current = statusRank(inv.status);
    if (rank > current) {
      inv.status = status;
      inv.errorType = errorType;
      inv.errorMessage = errorMessage;
    } else if (rank === current) {
      inv.errorType ??= errorType;
      inv.errorMessage ??= errorMessage;
    }
  }

  markCold(kind: ColdStartKind): void {
    this.inv.coldStart = true;
    if (this.inv.coldStartKind !== "snapstart") this.inv.coldStartKind = kind;
  }

  /**
   * JSON format: a handled console.error(err) looks like the runtime's unhandled error, and only the platform
   * tells them apart. When runtimeDone or REPORT says the invocation failed (not timed out), the last error
   * record before that, the one the runtime writes as it fails, is the failure. Otherwise error records were
   * handled logging: a failed runtimeDone always comes before REPORT, while a successful one may not be
   * logged at all. Without runtimeDone or REPORT in this batch, the last record stays a pending cause (error
   * type and message, no status) for the batch that holds the verdict (see merge).
   * Returns the confirmed record, if any. Call once every signal is applied.
   */
  settle(): Signal | null {
    const done = this.runtimeDone;
    // Text format, and JSON without error records: nothing to settle (the common case, kept cheap).
    if (this.candidates === null && done === null) return null;
    let failedAt = this.reportFailedAt;
    if (done !== null && done.status !== "success" && done.status !== "timeout") failedAt = Math.max(failedAt ?? -Infinity, done.line.timestamp);
    let last: Signal | null = null;
    for (const candidate of this.candidates ?? []) {
      if (failedAt !== null && candidate.line.timestamp > failedAt) continue;
      if (last === null || isLater(candidate, last)) last = candidate;
    }
    if (failedAt !== null && last !== null) {
      this.fail(last.status ?? "error", last.errorType, last.errorMessage);
      this.noteCause(last);
    } else if (done === null && last !== null && !this.inv.complete && this.inv.status === null) {
      this.inv.errorType = last.errorType;
      this.inv.errorMessage = last.errorMessage;
    }
    if (done !== null && done.status !== "success") this.fail(done.status ?? "error", done.errorType, done.errorMessage);
    return failedAt !== null ? last : null;
  }

  finish(): void {
    finishInvocation(this.inv);
    borrowCause(this.inv, this.causeType, this.causeMessage);
  }

  private noteCause(signal: Signal): void {
    if (signal.errorType === null || signal.errorMessage === null) return;
    const rank = statusRank(signal.status);
    if (rank > this.causeRank) {
      this.causeRank = rank;
      this.causeType = signal.errorType;
      this.causeMessage = signal.errorMessage;
    }
  }

  private extendEnd(ts: number): void {
    if (this.inv.endedAt === null || ts > this.inv.endedAt) this.inv.endedAt = ts;
  }

  private applyReport(signal: Signal): void {
    const fields = signal.fields;
    if (fields === null) return;
    const inv = this.inv;
    inv.complete = true;
    inv.reportEventId ??= signal.line.eventId;
    this.extendEnd(signal.line.timestamp);
    inv.durationMs ??= fields.durationMs;
    inv.billedDurationMs ??= fields.billedDurationMs;
    inv.memorySizeMB ??= fields.memorySizeMB;
    inv.maxMemoryUsedMB ??= fields.maxMemoryUsedMB;
    inv.initDurationMs ??= fields.initDurationMs;
    inv.restoreDurationMs ??= fields.restoreDurationMs;
    inv.billedRestoreDurationMs ??= fields.billedRestoreDurationMs;
    inv.traceId ??= fields.traceId;
    if (fields.restoreDurationMs !== null) this.markCold("snapstart");
    else if (fields.initDurationMs !== null) this.markCold("init");
    if (fields.status === "timeout") this.fail("timeout", fields.errorType ?? TIMEOUT_ERROR_TYPE, null);
    else if (fields.status === "error" || fields.status === "failure") {
      this.reportFailedAt = signal.line.timestamp;
      // A REPORT only says error when the runtime itself failed; a thrown exception leaves it alone.
      this.fail(fields.errorType ? worstOf(statusForErrorType(fields.errorType), "crash") : "crash", fields.errorType, null);
    }
  }

  private applyPhaseReport(signal: Signal): void {
    const fields = signal.fields;
    if (fields === null) return;
    const inv = this.inv;
    if (signal.kind === "init-report") {
      this.markCold("init");
      inv.initDurationMs ??= fields.initDurationMs;
    } else {
      this.markCold("snapstart");
      inv.restoreDurationMs ??= fields.restoreDurationMs;
    }
    if (fields.status === "timeout") this.fail("timeout", TIMEOUT_ERROR_TYPE, null);
    else if (fields.status === "error" || fields.status === "failure") this.fail("crash", fields.errorType ?? "Runtime.Unknown", null);
  }
}

function isLater(a: Signal, b: Signal): boolean {
  return a.line.timestamp > b.line.timestamp || (a.line.timestamp === b.line.timestamp && a.line.eventId > b.line.eventId);
}

function worstOf(a: InvocationStatus, b: InvocationStatus): InvocationStatus {
  return statusRank(a) >= statusRank(b) ? a : b;
}

/**
 * A runtime that exits after an uncaught exception reports only Runtime.ExitError: the exception that
 * caused the exit says more, so the invocation shows it (the status stays crash).
 */
export function borrowCause(inv: ParsedInvocation, type: string | null, message: string | null): void {
  if (inv.status !== "crash" || inv.errorType !== EXIT_ERROR_TYPE || inv.errorMessage !== null) return;
  if (type === null || message === null) return;
  inv.errorType = type;
  inv.errorMessage = message;
}

/** Rules that depend on several facts at once; applied after parsing and after every merge. */
export function finishInvocation(inv: ParsedInvocation): void {
  if (inv.status === null && inv.complete) inv.status = "success";
  if (isOutOfMemoryKill(inv)) inv.status = "out_of_memory";
  if (inv.coldStartKind === null && inv.coldStart) inv.coldStartKind = "init";
}

