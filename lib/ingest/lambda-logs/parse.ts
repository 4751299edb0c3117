import { fingerprintError } from "@/lib/analysis/fingerprint";
import { LineClassifier } from "./classify";
import { Draft } from "./draft";
import type { Signal, SignalLists } from "./signals";
import { TIMEOUT_ERROR_TYPE } from "./status";
import type { ErrorOccurrence, LogEventInput, ParsedLogLine, ParseResult } from "./types";

const LAMBDA_GROUP_PREFIX = "/aws/lambda/";

export function functionNameFromLogGroup(logGroupName: string | undefined): string | null {
  if (!logGroupName || !logGroupName.startsWith(LAMBDA_GROUP_PREFIX)) return null;
  const name = logGroupName.slice(LAMBDA_GROUP_PREFIX.length);
  return name.length > 0 ? name : null;
}

/**
 * CloudWatch Logs events of Lambda functions -> invocations, log lines tied to their request id, and
 * error occurrences. Events may come in any order, with duplicates and interleaved streams.
 */
export function parseLambdaLogEvents(events: LogEventInput[], ctx?: { functionName?: string }): ParseResult {
  const classifier = new LineClassifier();
  const seen = new SeenEventIds(events);
  const logLines: ParsedLogLine[] = [];
  const orphanLines: ParsedLogLine[] = [];
  const orphanIndexes: number[] = [];

  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    const eventId = event.eventId;
    if (eventId && seen.isRepeat(eventId, i)) continue;
    const line = classifier.classify(event, i);
    logLines.push(line);
    if (line.requestId === null) {
      orphanLines.push(line);
      orphanIndexes.push(i);
    }
  }

  const resolver = new InvocationResolver(ctx?.functionName ?? null);
  const errors = resolver.resolve(classifier.signals, orphanLines, orphanIndexes);
  return { invocations: resolver.invocations(), logLines, errors };
}

/**
 * The event ids taken so far, to drop duplicates. Events usually arrive in id order, and while every id
 * is greater than the one before it none can repeat an earlier one: no set is needed (a set of a million
 * ids costs more than classifying the lines). The first id out of order fills the set with the ids so far,
 * and from then on the set decides.
 */
class SeenEventIds {
  private last = "";
  private set: Set<string> | null = null;

  constructor(private readonly events: LogEventInput[]) {}

  /** Whether `eventId`, the id of events[index], was taken before; takes it if not. */
  isRepeat(eventId: string, index: number): boolean {
    if (this.set === null) {
      // Strings only: ids of other types do not compare in a total order.
      if (typeof eventId === "string" && eventId > this.last) {
        this.last = eventId;
        return false;
      }
      this.set = this.idsBefore(index);
    }
    // One lookup instead of has() then add(): the set grew only if the id is new.
    const size = this.set.size;
    this.set.add(eventId);
    return this.set.size === size;
  }

  /** Until the first id out of order no event was a duplicate: every id before it was taken. */
  private idsBefore(index: number): Set<string> {
    const set = new Set<string>();
    for (let i = 0; i < index; i++) {
      const eventId = this.events[i].eventId;
      if (eventId) set.add(eventId);
    }
    return set;
  }
}

class InvocationResolver {
  // Most request ids have one attempt: store the draft itself and make a list only for retries.
  private readonly byRequest = new Map<string, Draft | Draft[]>();
  private readonly byStream = new Map<string, Draft[]>();
  private readonly drafts: Draft[] = [];
  /** The attempt each START opened, by the START's position in the batch's STARTs. */
  private readonly startDrafts: Draft[] = [];
  private lastGroup: string | undefined = undefined;
  private lastGroupFunction: string | null = null;

  constructor(private readonly functionName: string | null) {}

  resolve(signals: SignalLists, orphanLines: ParsedLogLine[], orphanIndexes: number[]): ErrorOccurrence[] {
    for (const signal of signals.starts) {
      const draft = this.create(signal);
      draft.apply(signal);
      this.startDrafts.push(draft);
    }
    for (const signal of signals.reports) this.closing(signal, true).apply(signal);
    for (const signal of signals.ends) this.closing(signal, false).apply(signal);
    // STARTs, REPORTs and ENDs always have a request id and are no failures: the rest of the work is in the others.
    const others = signals.others;
    for (const signal of others) if (signal.requestId !== null) this.byTime(signal).apply(signal);

    for (const draft of this.drafts) draft.computeSpan();
    for (const list of this.byStream.values()) {
      if (!isSorted(list, bySpan)) list.sort(bySpan);
    }

    for (let i = 0; i < orphanLines.length; i++) {
      const line = orphanLines[i];
      const draft = this.activeAt(line.logStreamName, line.timestamp, orphanIndexes[i]);
      if (draft !== null) line.requestId = draft.inv.requestId;
    }

    const errors: ErrorOccurrence[] = [];
    const phaseFailures: PhaseFailure[] = [];
    for (const signal of others) {
      if (signal.requestId === null) this.collectOccurrence(signal, this.attachOrphan(signal), errors, phaseFailures);
      else if (signal.kind === "failure") this.collectOccurrence(signal, this.draftOf(signal), errors, phaseFailures);
    }
    keepUnexplainedPhaseFailures(phaseFailures, errors);

    for (const draft of this.drafts) {
      const confirmed = draft.settle();
      if (confirmed !== null && confirmed.errorType !== null) {
        draft.hasOccurrence = true;
        errors.push(occurrence(draft.inv.requestId, confirmed.line, confirmed.errorType, confirmed.errorMessage ?? "", confirmed.stack ?? []));
      }
      draft.finish();
      this.synthesizeOccurrence(draft, errors);
    }
    this.numberAttempts();
    errors.sort((a, b) => a.timestamp - b.timestamp || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
    return errors;
  }

  invocations() {
    const drafts = isSorted(this.drafts, byOutputOrder) ? this.drafts : this.drafts.slice().sort(byOutputOrder);
    return drafts.map((draft) => draft.inv);
  }

  private functionFor(signal: Signal): string | null {
    if (this.functionName !== null) return this.functionName;
    if (signal.logGroupName !== this.lastGroup) {
      this.lastGroup = signal.logGroupName;
      this.lastGroupFunction = functionNameFromLogGroup(signal.logGroupName);
    }
    return this.lastGroupFunction;
  }

  private create(signal: Signal): Draft {
    const requestId = signal.requestId as string;
    const draft = new Draft(requestId, signal.line.logStreamName, this.functionFor(signal));
    this.drafts.push(draft);
    const same = this.byRequest.get(requestId);
    if (same === undefined) {
      this.byRequest.set(requestId, draft);
    } else if (same instanceof Draft) {
      same.sharesRequestId = true;
      draft.sharesRequestId = true;
      this.byRequest.set(requestId, [same, draft]);
    } else {
      draft.sharesRequestId = true;
      same.push(draft);
    }
    const stream = this.byStream.get(draft.inv.logStreamName);
    if (stream === undefined) this.byStream.set(draft.inv.logStreamName, [draft]);
    else stream.push(draft);
    return draft;
  }

  /**
   * REPORT and END close the attempt of the latest START before them on their stream. With no START before
   * them in this batch, the attempt began in an earlier batch: they close one of this batch's attempts that
   * has no START, or make one. A retry keeps its request id, so only time tells the attempts apart.
   */
  private closing(signal: Signal, isReport: boolean): Draft {
    const candidates = this.soleAttemptOfStartBefore(signal) ?? this.byRequest.get(signal.requestId as string);
    if (candidates === undefined) return this.create(signal);
    const stream = signal.line.logStreamName;
    const ts = signal.line.timestamp;
    // The usual case, one attempt seen with its START: no list to build.
    if (candidates instanceof Draft) {
      const at = candidates.inv.startedAt;
      if (candidates.inv.logStreamName === stream && at !== null && at <= ts) return isClosed(candidates, isReport) ? this.create(signal) : candidates;
    }
    const list = candidates instanceof Draft ? [candidates] : candidates;

    let started: Draft | null = null;
    for (const draft of list) {
      const at = draft.inv.startedAt;
      if (draft.inv.logStreamName !== stream || at === null || at > ts) continue;
      if (started === null || at > (started.inv.startedAt as number)) started = draft;
    }
    if (started !== null) return isClosed(started, isReport) ? this.create(signal) : started;

    // Without a START, END and REPORT of one attempt pair up: END is written just before its REPORT.
    let best: Draft | null = null;
    let bestGap = Infinity;
    for (const draft of list) {
      if (draft.inv.logStreamName !== stream || draft.inv.startedAt !== null || isClosed(draft, isReport)) continue;
      const other = draft.inv.endedAt;
      if (other === null) continue;
      const gap = isReport ? ts - other : other - ts;
      if (gap >= 0 && gap < bestGap) {
        best = draft;
        bestGap = gap;
      }
    }
    return best ?? this.create(signal);
  }

  /**
   * END and REPORT mostly follow the START of their attempt with no other START between: when that attempt is
   * the only one of the request id, it is what the request id lookup would find, without the lookup.
   */
  private soleAttemptOfStartBefore(signal: Signal): Draft | undefined {
    if (signal.startBefore === -1) return undefined;
    const draft = this.startDrafts[signal.startBefore];
    return draft.inv.requestId === signal.requestId && !draft.sharesRequestId ? draft : undefined;
  }

  /** Other lines with a request id belong to the latest attempt started before them. */
  private byTime(signal: Signal): Draft {
    const candidates = this.byRequest.get(signal.requestId as string);
    if (candidates === undefined) return this.create(signal);
    if (candidates instanceof Draft) return candidates;
    const ts = signal.line.timestamp;
    let best: Draft = candidates[0];
    let bestScore = Infinity;
    for (const draft of candidates) {
      const anchor = draft.anchor();
      let score = anchor <= ts ? ts - anchor : 1e12 + anchor - ts;
      if (draft.inv.logStreamName !== signal.line.logStreamName) score += 1e13;
      if (score < bestScore) {
        best = draft;
        bestScore = score;
      }
    }
    return best;
  }

  private draftOf(signal: Signal): Draft | null {
    const candidates = this.byRequest.get(signal.requestId as string);
    if (candidates === undefined) return null;
    if (candidates instanceof Draft) return candidates;
    const ts = signal.line.timestamp;
    for (const draft of candidates) {
      if (draft.inv.logStreamName === signal.line.logStreamName && draft.spanStart <= ts && ts <= draft.spanEnd) return draft;
    }
    return this.byTime(signal);
  }

  /** The invocation running on the stream at that moment (between its START and its END/REPORT), if any. */
  private activeAt(stream: string, ts: number, index: number): Draft | null {
    const list = this.byStream.get(stream);
    if (list === undefined) return null;
    const found = lastStartingAtOrBefore(list, ts);
    if (found === -1) return null;
    const draft = list[found];
    if (draft.spanStart === ts && draft.startIndex > index) {
      const previous = found > 0 ? list[found - 1] : null;
      return previous !== null && previous.spanEnd >= ts ? previous : null;
    }
    return ts <= draft.spanEnd ? draft : null;
  }

  /** The first invocation on the stream after that moment (the one an INIT_START prepares). */
  private nextAfter(stream: string, ts: number, index: number): Draft | null {
    const list = this.byStream.get(stream);
    if (list === undefined) return null;
    for (const draft of list) {
      if (draft.spanStart > ts || (draft.spanStart === ts && (draft.startIndex > index || draft.startIndex === -1))) return draft;
    }
    return null;
  }

  private attachOrphan(signal: Signal): Draft | null {
    const stream = signal.line.logStreamName;
    const ts = signal.line.timestamp;
    let draft: Draft | null = null;
    switch (signal.kind) {
      case "init-start":
      case "restore-start":
        draft = this.activeAt(stream, ts, signal.index) ?? this.nextAfter(stream, ts, signal.index);
        // An init marker inside a running invocation prepares the next one, not this one.
        if (draft !== null && draft.inv.startedAt !== null && draft.inv.startedAt < ts) draft = this.nextAfter(stream, ts, signal.index);
        break;
      case "init-report":
      case "restore-report": {
        const phase = signal.fields?.phase ?? null;
        if (phase === "init") return null;
        draft = this.activeAt(stream, ts, signal.index) ?? this.nextAfter(stream, ts, signal.index);
        break;
      }
      case "xray":
        draft = this.justEnded(stream, ts);
        break;
      default:
        draft = this.activeAt(stream, ts, signal.index);
    }
    if (draft !== null) {
      draft.apply(signal);
      if (signal.kind === "xray") signal.line.requestId ??= draft.inv.requestId;
    }
    return draft;
  }

  /** A standalone XRAY line follows the REPORT it belongs to. */
  private justEnded(stream: string, ts: number): Draft | null {
    const list = this.byStream.get(stream);
    if (list === undefined) return null;
    const found = lastStartingAtOrBefore(list, ts);
    if (found === -1) return null;
    const draft = list[found];
    if (draft.inv.traceId !== null) return null;
    return ts <= draft.spanEnd + 1000 ? draft : null;
  }

  private collectOccurrence(signal: Signal, draft: Draft | null, errors: ErrorOccurrence[], phaseFailures: PhaseFailure[]): void {
    let errorType: string | null = null;
    let errorMessage = "";
    let stack: string[] = [];
    if (signal.kind === "failure" && signal.occurrence) {
      errorType = signal.errorType;
      errorMessage = signal.errorMessage ?? "";
      stack = signal.stack ?? [];
    } else if ((signal.kind === "init-report" || signal.kind === "restore-report") && signal.fields !== null) {
      const { status, errorType: type, phase } = signal.fields;
      if (status !== "error" && status !== "failure" && status !== "timeout") return;
      const what = signal.kind === "init-report" ? "Init" : "Restore";
      errorType = status === "timeout" ? TIMEOUT_ERROR_TYPE : (type ?? "Runtime.Unknown");
      errorMessage = `${what} ${status === "timeout" ? "timed out" : "failed"}${phase ? ` (phase ${phase})` : ""}`;
      const found = occurrence(draft?.inv.requestId ?? signal.requestId, signal.line, errorType, errorMessage, stack);
      const durationMs = signal.fields.initDurationMs ?? signal.fields.restoreDurationMs ?? 0;
      phaseFailures.push({ occurrence: found, windowStart: signal.line.timestamp - durationMs - 1, draft });
      return;
    }
    if (errorType === null) return;
    if (draft !== null) draft.hasOccurrence = true;
    errors.push(occurrence(draft?.inv.requestId ?? signal.requestId, signal.line, errorType, errorMessage, stack));
  }

  /** Timeouts, out-of-memory and crashes told only by REPORT still count as error occurrences. */
  private synthesizeOccurrence(draft: Draft, errors: ErrorOccurrence[]): void {
    const inv = draft.inv;
    if (draft.hasOccurrence || inv.reportEventId === null) return;
    if (inv.status !== "timeout" && inv.status !== "out_of_memory" && inv.status !== "crash") return;
    const defaults = { timeout: "Task timed out", out_of_memory: "Out of memory", crash: "Runtime exited with error" };
    const errorType = inv.errorType ?? (inv.status === "timeout" ? TIMEOUT_ERROR_TYPE : "Runtime.ExitError");
    const line = { eventId: inv.reportEventId, logStreamName: inv.logStreamName, timestamp: inv.endedAt ?? draft.lastSeen };
    errors.push(occurrence(inv.requestId, line, errorType, inv.errorMessage ?? defaults[inv.status], []));
  }

  private numberAttempts(): void {
    for (const list of this.byRequest.values()) {
      if (list instanceof Draft) continue;
      list.sort((a, b) => a.spanStart - b.spanStart || a.startIndex - b.startIndex);
      for (let i = 0; i < list.length; i++) list[i].inv.attempt = i + 1;
    }
  }
}

interface PhaseFailure {
  occurrence: ErrorOccurrence;
  windowStart: number;
  draft: Draft | null;
}

/**
 * An INIT_REPORT error usually follows the runtime's own error line (ImportModuleError and the like),
 * which already is the occurrence; only failures nothing else explains (init timeouts, exits) are added.
 */
function keepUnexplainedPhaseFailures(phaseFailures: PhaseFailure[], errors: ErrorOccurrence[]): void {
  if (phaseFailures.length === 0) return;
  const explained = (failure: PhaseFailure) =>
    errors.some(
      (error) =>
        error.logStreamName === failure.occurrence.logStreamName &&
        error.timestamp >= failure.windowStart &&
        error.timestamp <= failure.occurrence.timestamp,
    );
  const kept = phaseFailures.filter((failure) => !explained(failure));
  for (const failure of kept) {
    errors.push(failure.occurrence);
    if (failure.draft !== null) failure.draft.hasOccurrence = true;
  }
  for (const failure of phaseFailures) if (failure.draft !== null && !kept.includes(failure)) failure.draft.hasOccurrence = true;
}

/** Whether the attempt already has its REPORT (or its END): a second one belongs to another attempt. */
function isClosed(draft: Draft, byReport: boolean): boolean {
  return byReport ? draft.inv.complete : draft.hasEnd;
}

function lastStartingAtOrBefore(list: Draft[], ts: number): number {
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].spanStart <= ts) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

function bySpan(a: Draft, b: Draft): number {
  return a.spanStart - b.spanStart || a.startIndex - b.startIndex;
}

function byOutputOrder(a: Draft, b: Draft): number {
  return (
    a.spanStart - b.spanStart ||
    compareStrings(a.inv.logStreamName, b.inv.logStreamName) ||
    compareStrings(a.inv.requestId, b.inv.requestId) ||
    a.inv.attempt - b.inv.attempt
  );
}

/** Input usually arrives in time order: checking costs one pass, sorting many comparisons. */
function isSorted(list: Draft[], compare: (a: Draft, b: Draft) => number): boolean {
  for (let i = 1; i < list.length; i++) if (compare(list[i - 1], list[i]) > 0) return false;
  return true;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function occurrence(
  requestId: string | null,
  line: { eventId: string; logStreamName: string; timestamp: number },
  errorType: string,
  errorMessage: string,
  stack: string[],
): ErrorOccurrence {
  return {
    requestId,
    logStreamName: line.logStreamName,
    timestamp: line.timestamp,
    eventId: line.eventId,
    errorType,
    errorMessage,
    stack,
    fingerprint: fingerprintError({ errorType, errorMessage, stack }),
  };
}
