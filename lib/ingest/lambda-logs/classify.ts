import {
  emptyFields,
  idEndAfter,
  markerFromText,
  parseReport,
  parseRequestIdMarker,
  parseSpacedTimeout,
  readFields,
  type FailureMarker,
} from "./platform-text";
import {
  fromErrorRecord,
  NODE_HEAP_OOM,
  parseDotnetErrorText,
  parseJavaErrorText,
  parseNodeErrorJson,
  parsePythonErrorText,
  startsWithNodeMarker,
  startsWithRubyMarker,
  type UnhandledError,
} from "./runtime-errors";
import { newSignal, SignalLists, type Signal, type SignalKind } from "./signals";
import { EXIT_ERROR_TYPE, OUT_OF_MEMORY_ERROR_TYPE, statusForErrorType, TIMEOUT_ERROR_TYPE } from "./status";
import type { InvocationStatus, LogEventInput, ParsedLogLine } from "./types";

const TAB = 9;
const SPACE = 32;

/** Request ids the runtimes print when there is none: Node during init, Node 24, Python's LAMBDA_WARNING. */
export function realRequestId(value: unknown): string | null {
  if (typeof value !== "string") return null;
  if (value === "" || value === "undefined" || value === "-" || value === "null") return null;
  return value;
}

function normalizeLevel(raw: string): string | null {
  switch (raw) {
    case "INFO":
    case "info":
    case "Information":
      return "INFO";
    case "ERROR":
    case "error":
    case "fail":
    case "Error":
      return "ERROR";
    case "WARN":
    case "WARNING":
    case "warn":
    case "warning":
    case "Warning":
      return "WARN";
    case "DEBUG":
    case "debug":
    case "dbug":
    case "Debug":
      return "DEBUG";
    case "TRACE":
    case "trace":
    case "trce":
    case "Trace":
      return "TRACE";
    case "FATAL":
    case "fatal":
    case "CRITICAL":
    case "crit":
    case "Critical":
      return "FATAL";
    default:
      return null;
  }
}

const LEVEL_WORDS = ["INFO", "ERROR", "WARN", "DEBUG", "TRACE", "FATAL", "fail", "info", "warn", "dbug", "trce", "crit", "WARNING", "CRITICAL"];

/** The level written between `from` and `to`, compared in place: this runs for nearly every line. */
function levelAt(message: string, from: number, to: number): string | null {
  const length = to - from;
  if (length < 4 || length > 8) return null;
  for (const word of LEVEL_WORDS) {
    if (word.length === length && message.startsWith(word, from)) return normalizeLevel(word);
  }
  return null;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function hasLineBreak(text: string): boolean {
  return text.indexOf("\n") !== -1 || text.indexOf("\r") !== -1;
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}

/** `Root=1-5e1b4151-...;Parent=...;Sampled=1` -> `1-5e1b4151-...` */
function traceIdFromHeader(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const root = value.indexOf("Root=");
  if (root === -1) return value.startsWith("1-") ? value : null;
  const end = value.indexOf(";", root);
  return value.slice(root + 5, end === -1 ? undefined : end);
}

/**
 * Turns each CloudWatch event into a log line, and the lines that say something about an invocation
 * into signals. Looks at the first characters before anything more expensive.
 */
export class LineClassifier {
  readonly signals = new SignalLists();
  /** The request id of the latest line that had one (see idBetween). */
  private recentId = "";

  classify(event: LogEventInput, index: number): ParsedLogLine {
    const message = typeof event.message === "string" ? event.message : String(event.message ?? "");
    const line: ParsedLogLine = {
      eventId: event.eventId,
      logStreamName: event.logStreamName,
      timestamp: event.timestamp,
      requestId: null,
      level: null,
      kind: "unknown",
      message,
    };
    if (message.length === 0) return line;
    const group = event.logGroupName;
    switch (message.charCodeAt(0)) {
      case 83: // S
        if (this.start(message, line, index, group)) return line;
        break;
      case 69: // E
        if (this.endOrExtension(message, line, index, group)) return line;
        break;
      case 82: // R
        if (this.startingWithR(message, line, index, group)) return line;
        break;
      case 73: // I
        if (this.init(message, line, index, group)) return line;
        break;
      case 84: // T
        if (message.startsWith("TELEMETRY")) return this.platform(line, null);
        break;
      case 76: // L
        if (message.startsWith("LAMBDA_WARNING")) return this.platform(line, null);
        break;
      case 88: // X
        if (message.startsWith("XRAY TraceId: ")) {
          const fields = readFields(message, 0, emptyFields());
          const signal = this.signal("xray", line, index, null, group);
          signal.fields = fields;
          return this.platform(line, null);
        }
        break;
      case 123: // {
        this.json(message, line, index, group);
        return line;
      case 91: // [
        if (this.bracketed(message, line, index, group)) return line;
        break;
      default:
        if (isDigit(message.charCodeAt(0)) && this.timestamped(message, line, index, group)) return line;
    }
    this.freeText(message, line, index, group);
    return line;
  }

  private signal(kind: SignalKind, line: ParsedLogLine, index: number, requestId: string | null, group: string | undefined): Signal {
    const signal = newSignal(kind, line, index, requestId, group, this.signals.starts.length - 1);
    this.signals.add(signal);
    return signal;
  }

  /**
   * The request id written between `from` and `to`. The lines of an invocation mostly follow each other:
   * reusing the string of the line before saves a copy per line, and the resolver's map lookups find its
   * hash already computed.
   */
  private idBetween(message: string, from: number, to: number): string {
    const recent = this.recentId;
    if (to - from === recent.length && message.startsWith(recent, from)) return recent;
    this.recentId = message.slice(from, to);
    return this.recentId;
  }

  /** `requestId`, or the recent id's string when they are equal (see idBetween). */
  private sameId(requestId: string): string {
    if (requestId === this.recentId) return this.recentId;
    this.recentId = requestId;
    return requestId;
  }

  /** The id after `prefix` (e.g. "START RequestId: "), or null when the line does not have that shape. */
  private idAfter(message: string, prefix: string): string | null {
    const end = idEndAfter(message, prefix);
    return end === -1 ? null : this.idBetween(message, prefix.length, end);
  }

  private platform(line: ParsedLogLine, requestId: string | null): ParsedLogLine {
    line.kind = "platform";
    line.requestId = requestId;
    return line;
  }

  private failure(
    line: ParsedLogLine,
    index: number,
    requestId: string | null,
    group: string | undefined,
    status: InvocationStatus,
    errorType: string | null,
    errorMessage: string | null,
    stack: string[] | null,
    occurrence: boolean,
  ): Signal {
    const signal = this.signal("failure", line, index, requestId, group);
    signal.status = status;
    signal.errorType = errorType;
    signal.errorMessage = errorMessage;
    signal.stack = stack;
    signal.occurrence = occurrence && errorType !== null;
    return signal;
  }

  private unhandled(line: ParsedLogLine, index: number, requestId: string | null, group: string | undefined, error: UnhandledError): Signal {
    line.kind = "app";
    line.level = "ERROR";
    return this.failure(line, index, requestId, group, statusForErrorType(error.errorType), error.errorType, error.errorMessage, error.stack, true);
  }

  private marker(line: ParsedLogLine, index: number, group: string | undefined, marker: FailureMarker): void {
    this.platform(line, marker.requestId);
    if (marker.kind === "timeout") {
      this.failure(line, index, marker.requestId, group, "timeout", TIMEOUT_ERROR_TYPE, marker.message, null, true);
    } else {
      this.failure(line, index, marker.requestId, group, "crash", EXIT_ERROR_TYPE, marker.message, null, true);
    }
  }

  private start(message: string, line: ParsedLogLine, index: number, group: string | undefined): boolean {
    const requestId = this.idAfter(message, "START RequestId: ");
    if (requestId === null) return false;
    this.signal("start", line, index, requestId, group);
    this.platform(line, requestId);
    return true;
  }

  private endOrExtension(message: string, line: ParsedLogLine, index: number, group: string | undefined): boolean {
    if (message.startsWith("EXTENSION")) {
      this.platform(line, null);
      return true;
    }
    const requestId = this.idAfter(message, "END RequestId: ");
    if (requestId === null) return false;
    this.signal("end", line, index, requestId, group);
    this.platform(line, requestId);
    return true;
  }

  private startingWithR(message: string, line: ParsedLogLine, index: number, group: string | undefined): boolean {
    if (message.startsWith("REPORT ")) {
      const fields = parseReport(message);
      if (fields === null) return false;
      fields.requestId = this.sameId(fields.requestId as string);
      const signal = this.signal("report", line, index, fields.requestId, group);
      signal.fields = fields;
      this.platform(line, fields.requestId);
      return true;
    }
    if (message.startsWith("RESTORE_START")) {
      this.signal("restore-start", line, index, null, group);
      this.platform(line, null);
      return true;
    }
    if (message.startsWith("RESTORE_REPORT")) {
      const fields = readFields(message, 14, emptyFields());
      if (fields.restoreDurationMs === null && fields.status === null) return false;
      this.signal("restore-report", line, index, null, group).fields = fields;
      this.platform(line, null);
      return true;
    }
    if (message.startsWith("RequestId: ")) {
      const marker = parseRequestIdMarker(message);
      if (marker === null) return false;
      this.marker(line, index, group, marker);
      return true;
    }
    if (message.startsWith("Runtime.")) {
      // The error type printed on its own after "Runtime exited with error".
      this.platform(line, null);
      return true;
    }
    return false;
  }

  private init(message: string, line: ParsedLogLine, index: number, group: string | undefined): boolean {
    if (message.startsWith("INIT_START")) {
      this.signal("init-start", line, index, null, group);
      this.platform(line, null);
      return true;
    }
    if (message.startsWith("INIT_REPORT")) {
      const fields = readFields(message, 11, emptyFields());
      if (fields.initDurationMs === null && fields.status === null) return false;
      this.signal("init-report", line, index, null, group).fields = fields;
      this.platform(line, null);
      return true;
    }
    if (message.startsWith("INIT_RUNTIME_DONE")) {
      this.platform(line, null);
      return true;
    }
    return false;
  }

  /** Python logging `[LEVEL]\t<ts>\t<requestId>\t<message>`, the Python runtime's `[ERROR] Type: msg`, Java `[LEVEL] msg`. */
  private bracketed(message: string, line: ParsedLogLine, index: number, group: string | undefined): boolean {
    const close = message.indexOf("]");
    if (close < 2 || close > 12) return false;
    const level = normalizeLevel(message.slice(1, close));
    if (level === null) return false;
    const next = message.charCodeAt(close + 1);
    line.kind = "app";
    line.level = level;
    if (next === TAB) {
      const timestampEnd = message.indexOf("\t", close + 2);
      const idEnd = timestampEnd === -1 ? -1 : message.indexOf("\t", timestampEnd + 1);
      if (idEnd !== -1) line.requestId = realRequestId(this.idBetween(message, timestampEnd + 1, idEnd));
      return true;
    }
    if (next === SPACE && level === "ERROR") {
      const python = parsePythonErrorText(message);
      if (python !== null) this.unhandled(line, index, null, group, python);
    }
    return true;
  }

  /** `<ISO ts>\t<requestId>\t<LEVEL>\t<message>` (Node.js, .NET), the old spaced timeout line, Go's `log`. */
  private timestamped(message: string, line: ParsedLogLine, index: number, group: string | undefined): boolean {
    const c4 = message.charCodeAt(4);
    if (c4 === 47 /* / */) return this.goLog(message, line, index, group);
    if (c4 !== 45 /* - */) return false;
    let timestampEnd = -1;
    const limit = Math.min(message.length, 40);
    for (let i = 19; i < limit; i++) {
      const c = message.charCodeAt(i);
      if (c === TAB || c === SPACE) {
        timestampEnd = i;
        break;
      }
    }
    if (timestampEnd === -1) return false;
    if (message.charCodeAt(timestampEnd) === SPACE) {
      const marker = parseSpacedTimeout(message, timestampEnd);
      if (marker === null) return false;
      this.marker(line, index, group, marker);
      return true;
    }
    const idEnd = message.indexOf("\t", timestampEnd + 1);
    line.kind = "app";
    if (idEnd === -1) return true;
    const requestId = realRequestId(this.idBetween(message, timestampEnd + 1, idEnd));
    line.requestId = requestId;
    const levelEnd = message.indexOf("\t", idEnd + 1);
    if (levelEnd === -1 || levelEnd - idEnd > 12) return true;
    const level = levelAt(message, idEnd + 1, levelEnd);
    line.level = level;
    if (level !== "ERROR") return true;
    const body = message.slice(levelEnd + 1);
    if (message.startsWith("fail", idEnd + 1)) {
      const dotnet = parseDotnetErrorText(body);
      if (dotnet !== null) this.unhandled(line, index, requestId, group, dotnet);
    } else if (startsWithNodeMarker(body)) {
      const node = parseNodeErrorJson(body);
      if (node !== null) this.unhandled(line, index, requestId, group, node);
    }
    return true;
  }

  /** aws-lambda-go logs the error it returns: `2024/01/02 15:04:05 {"errorMessage":"...","errorType":"..."}`. */
  private goLog(message: string, line: ParsedLogLine, index: number, group: string | undefined): boolean {
    if (message.charCodeAt(7) !== 47 || message.charCodeAt(10) !== SPACE || message.charCodeAt(19) !== SPACE) return false;
    line.kind = "app";
    if (message.charCodeAt(20) !== 123) return true;
    try {
      const record = asRecord(JSON.parse(message.slice(20)));
      if (record !== null && typeof record.errorType === "string" && "errorMessage" in record) {
        const error = fromErrorRecord(record);
        if (error !== null) this.unhandled(line, index, null, group, error);
      }
    } catch {
      // An ordinary log line that happens to start with a brace.
    }
    return true;
  }

  private json(message: string, line: ParsedLogLine, index: number, group: string | undefined): void {
    let record: Record<string, unknown> | null;
    try {
      record = asRecord(JSON.parse(message));
    } catch {
      record = null;
    }
    if (record === null) {
      line.kind = "unknown";
      return;
    }
    const type = record.type;
    if (typeof type === "string" && type.startsWith("platform.")) {
      this.platformRecord(type, asRecord(record.record) ?? {}, line, index, group);
      return;
    }
    this.appRecord(record, line, index, group);
  }

  private appRecord(record: Record<string, unknown>, line: ParsedLogLine, index: number, group: string | undefined): void {
    line.kind = "app";
    const rawLevel = record.level ?? record.log_level;
    line.level = typeof rawLevel === "string" ? normalizeLevel(rawLevel) : null;
    const requestId = realRequestId(record.requestId ?? record.AWSRequestId ?? record.request_id);
    line.requestId = requestId;

    // Python's runtime error record has no "message"; logger.exception() output always has one.
    if (typeof record.errorType === "string" && !("message" in record)) {
      const error = fromErrorRecord(record);
      if (error !== null) this.unhandled(line, index, requestId, group, error);
      return;
    }
    const message = record.message;
    if (line.level !== "ERROR" && line.level !== "FATAL") return;
    const nested = asRecord(message);
    if (nested !== null) {
      if (typeof nested.errorType === "string") {
        const error = fromErrorRecord(nested);
        if (error === null) return;
        const signal = this.unhandled(line, index, requestId, group, error);
        // Node writes a handled console.error(err) exactly like the runtime's unhandled error; only runtimeDone
        // tells them apart. Runtime.* errors are the runtime's own: no handler logs one.
        if (!error.errorType.startsWith("Runtime.")) {
          signal.tentative = true;
          signal.occurrence = false;
        }
      }
      return;
    }
    if (typeof message !== "string") return;
    if (startsWithNodeMarker(message)) {
      const node = parseNodeErrorJson(message);
      if (node !== null) this.unhandled(line, index, requestId, group, node);
      return;
    }
    if (hasLineBreak(message)) {
      const error = parseJavaErrorText(message) ?? parseDotnetErrorText(message);
      if (error !== null) this.unhandled(line, index, requestId, group, error);
    }
  }

  private platformRecord(type: string, record: Record<string, unknown>, line: ParsedLogLine, index: number, group: string | undefined): void {
    const requestId = realRequestId(record.requestId);
    this.platform(line, requestId);
    const metrics = asRecord(record.metrics) ?? {};
    switch (type) {
      case "platform.start": {
        if (requestId === null) return;
        const start = this.signal("start", line, index, requestId, group);
        // platform.start carries the trace header too: a report cut off or logged without it still gets its trace.
        const traceId = traceIdFromHeader(asRecord(record.tracing)?.value);
        if (traceId !== null) {
          start.fields = emptyFields();
          start.fields.traceId = traceId;
        }
        return;
      }
      case "platform.report": {
        if (requestId === null) return;
        const fields = emptyFields();
        fields.requestId = requestId;
        fields.durationMs = numberOrNull(metrics.durationMs);
        fields.billedDurationMs = numberOrNull(metrics.billedDurationMs);
        fields.memorySizeMB = numberOrNull(metrics.memorySizeMB);
        fields.maxMemoryUsedMB = numberOrNull(metrics.maxMemoryUsedMB);
        fields.initDurationMs = numberOrNull(metrics.initDurationMs);
        fields.restoreDurationMs = numberOrNull(metrics.restoreDurationMs);
        fields.billedRestoreDurationMs = numberOrNull(metrics.billedRestoreDurationMs);
        fields.status = stringOrNull(record.status);
        fields.errorType = stringOrNull(record.errorType);
        fields.traceId = traceIdFromHeader(asRecord(record.tracing)?.value);
        this.signal("report", line, index, requestId, group).fields = fields;
        return;
      }
      case "platform.runtimeDone": {
        const status = stringOrNull(record.status);
        if (status === null) return;
        const errorType = stringOrNull(record.errorType);
        const signal = this.signal("runtime-done", line, index, requestId, group);
        if (status === "success") {
          signal.status = "success";
        } else if (status === "timeout") {
          signal.status = "timeout";
          signal.errorType = TIMEOUT_ERROR_TYPE;
        } else {
          signal.status = errorType ? statusForErrorType(errorType) : "error";
          signal.errorType = errorType;
        }
        return;
      }
      case "platform.initStart":
        // Provisioned environments initialise ahead of traffic: that is not a cold start of an invocation.
        if (record.initializationType === "provisioned-concurrency") return;
        this.signal("init-start", line, index, null, group);
        return;
      case "platform.initReport":
      case "platform.restoreReport": {
        const fields = emptyFields();
        fields.phase = stringOrNull(record.phase);
        fields.status = stringOrNull(record.status);
        fields.errorType = stringOrNull(record.errorType);
        if (type === "platform.initReport") fields.initDurationMs = numberOrNull(metrics.durationMs);
        else fields.restoreDurationMs = numberOrNull(metrics.durationMs);
        this.signal(type === "platform.initReport" ? "init-report" : "restore-report", line, index, null, group).fields = fields;
        return;
      }
      case "platform.restoreStart":
        this.signal("restore-start", line, index, null, group);
        return;
    }
  }

  /** Lines without a recognised prefix: plain prints, Java and .NET stack traces, Ruby's error lines, OOM. */
  private freeText(message: string, line: ParsedLogLine, index: number, group: string | undefined): void {
    const marker = markerFromText(null, message);
    if (marker !== null) {
      this.marker(line, index, group, marker);
      return;
    }
    if (hasLineBreak(message)) {
      const error = parseJavaErrorText(message) ?? parseDotnetErrorText(message);
      if (error !== null) {
        this.unhandled(line, index, null, group, error);
        return;
      }
    }
    if (startsWithRubyMarker(message)) {
      line.kind = "app";
      line.level = "ERROR";
      // The type and message follow in the next event, as JSON.
      this.failure(line, index, null, group, "error", null, null, null, false);
      return;
    }
    if (message.includes(NODE_HEAP_OOM)) {
      line.kind = "app";
      line.level = "FATAL";
      const firstBreak = message.search(/[\r\n]/);
      const text = (firstBreak === -1 ? message : message.slice(0, firstBreak)).trim();
      this.failure(line, index, null, group, "out_of_memory", OUT_OF_MEMORY_ERROR_TYPE, text, null, true);
    }
  }
}
