/**
 * Lambda's own text-format lines: START, END, REPORT, INIT_*, RESTORE_*, XRAY and the failure markers.
 * Fields are tab separated; old lines put a space before some tabs, newer REPORT lines may end without
 * a tab and carry the XRAY trailer on the next line of the same event.
 */

export interface PlatformFields {
  requestId: string | null;
  durationMs: number | null;
  billedDurationMs: number | null;
  memorySizeMB: number | null;
  maxMemoryUsedMB: number | null;
  initDurationMs: number | null;
  restoreDurationMs: number | null;
  billedRestoreDurationMs: number | null;
  phase: string | null;
  status: string | null;
  errorType: string | null;
  traceId: string | null;
}

export function emptyFields(): PlatformFields {
  return {
    requestId: null,
    durationMs: null,
    billedDurationMs: null,
    memorySizeMB: null,
    maxMemoryUsedMB: null,
    initDurationMs: null,
    restoreDurationMs: null,
    billedRestoreDurationMs: null,
    phase: null,
    status: null,
    errorType: null,
    traceId: null,
  };
}

const TAB = 9;
const LF = 10;
const CR = 13;

/** A decimal number written between `from` and `to` ("3.10 ms" -> 3.1), read without allocating. */
function readNumber(message: string, from: number, to: number): number | null {
  let i = from;
  while (i < to && message.charCodeAt(i) === 32) i++;
  let value = 0;
  let digits = 0;
  let scale = 0;
  for (; i < to; i++) {
    const c = message.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      digits++;
      if (scale > 0) scale *= 10;
    } else if (c === 46 && scale === 0) {
      scale = 1;
    } else {
      break;
    }
  }
  if (digits === 0) return null;
  return scale > 1 ? value / scale : value;
}

function trimmedValue(message: string, from: number, to: number): string {
  return message.slice(from, to).trim();
}

/** Sets one field; keys are told apart by length and a few characters, without slicing them out. */
function setField(out: PlatformFields, message: string, keyStart: number, keyEnd: number, valueStart: number, valueEnd: number): void {
  const length = keyEnd - keyStart;
  const first = message.charCodeAt(keyStart);
  switch (length) {
    case 9: // RequestId
      if (first === 82) out.requestId = trimmedValue(message, valueStart, valueEnd);
      return;
    case 8: // Duration
      if (first === 68) out.durationMs = readNumber(message, valueStart, valueEnd);
      return;
    case 15: // Billed Duration
      if (first === 66) out.billedDurationMs = readNumber(message, valueStart, valueEnd);
      else if (first === 77) out.maxMemoryUsedMB = readNumber(message, valueStart, valueEnd); // Max Memory Used
      return;
    case 11: // Memory Size
      if (first === 77) out.memorySizeMB = readNumber(message, valueStart, valueEnd);
      return;
    case 13: // Init Duration
      if (first === 73) out.initDurationMs = readNumber(message, valueStart, valueEnd);
      return;
    case 16: // Restore Duration
      if (first === 82) out.restoreDurationMs = readNumber(message, valueStart, valueEnd);
      return;
    case 23: // Billed Restore Duration
      if (first === 66) out.billedRestoreDurationMs = readNumber(message, valueStart, valueEnd);
      return;
    case 5: // Phase
      if (first === 80) out.phase = trimmedValue(message, valueStart, valueEnd);
      return;
    case 6: // Status
      if (first === 83) out.status = trimmedValue(message, valueStart, valueEnd);
      return;
    case 10: // Error Type
      if (first === 69) out.errorType = trimmedValue(message, valueStart, valueEnd);
      return;
    case 12: // XRAY TraceId
      if (first === 88) out.traceId = trimmedValue(message, valueStart, valueEnd);
      return;
  }
}

/**
 * Reads `Key: value` fields separated by tabs or line breaks, starting at `from`. The separators are found
 * with indexOf, which scans much faster than a loop over every character; each is searched for again only
 * once passed, so a message is scanned once whatever its shape.
 */
export function readFields(message: string, from: number, out: PlatformFields): PlatformFields {
  const length = message.length;
  let tab = -1;
  let lf = -1;
  let cr = -1;
  for (let start = from; start <= length; ) {
    if (tab < start) tab = indexOrLength(message, "\t", start);
    if (lf < start) lf = indexOrLength(message, "\n", start);
    if (cr < start) cr = indexOrLength(message, "\r", start);
    const end = Math.min(tab, lf, cr);
    if (end > start) readField(out, message, start, end);
    start = end + 1;
  }
  return out;
}

function indexOrLength(message: string, search: string, from: number): number {
  const at = message.indexOf(search, from);
  return at === -1 ? message.length : at;
}

/** One `Key: value` between `start` and `end`; text without ": " in it is no field. */
function readField(out: PlatformFields, message: string, start: number, end: number): void {
  const colon = message.indexOf(": ", start);
  if (colon === -1 || colon >= end) return;
  let keyStart = start;
  let keyEnd = colon;
  while (keyStart < keyEnd && message.charCodeAt(keyStart) === 32) keyStart++;
  while (keyEnd > keyStart && message.charCodeAt(keyEnd - 1) === 32) keyEnd--;
  if (end > colon + 2) setField(out, message, keyStart, keyEnd, colon + 2, end);
}

function isIdEnd(c: number): boolean {
  return c === 32 || c === TAB || c === LF || c === CR;
}

/** Where the id after `prefix` (e.g. "START RequestId: ") ends, or -1 when the line does not have that shape. */
export function idEndAfter(message: string, prefix: string): number {
  if (!message.startsWith(prefix)) return -1;
  const from = prefix.length;
  let end = from;
  const length = message.length;
  while (end < length && !isIdEnd(message.charCodeAt(end))) end++;
  return end > from ? end : -1;
}

/** The id after `prefix` (e.g. "START RequestId: "), or null when the line does not have that shape. */
export function readIdAfter(message: string, prefix: string): string | null {
  const end = idEndAfter(message, prefix);
  return end === -1 ? null : message.slice(prefix.length, end);
}

export function parseReport(message: string): PlatformFields | null {
  const fields = readFields(message, 7, emptyFields());
  return fields.requestId ? fields : null;
}

export const TIMED_OUT = "Task timed out after";
export const RUNTIME_EXITED = "Runtime exited with error";
export const PROCESS_EXITED = "Process exited before completing request";

export interface FailureMarker {
  requestId: string | null;
  kind: "timeout" | "exit";
  message: string;
}

function firstLine(text: string): string {
  let end = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR || c === TAB) {
      end = i;
      break;
    }
  }
  return text.slice(0, end).trim();
}

/**
 * `RequestId: <id> Error: Task timed out after 3.00 seconds`,
 * `RequestId: <id> Error: Runtime exited with error: signal: killed` (then `Runtime.ExitError`),
 * `RequestId: <id> Process exited before completing request`.
 */
export function parseRequestIdMarker(message: string): FailureMarker | null {
  const requestId = readIdAfter(message, "RequestId: ");
  if (requestId === null) return null;
  let rest = message.slice(11 + requestId.length).trimStart();
  if (rest.startsWith("Error: ")) rest = rest.slice(7);
  return markerFromText(requestId, rest);
}

export function markerFromText(requestId: string | null, text: string): FailureMarker | null {
  if (text.startsWith(TIMED_OUT)) return { requestId, kind: "timeout", message: firstLine(text) };
  if (text.startsWith(RUNTIME_EXITED) || text.startsWith(PROCESS_EXITED)) {
    return { requestId, kind: "exit", message: firstLine(text) };
  }
  return null;
}

/** The old timeout shape: `2019-06-07T19:11:20.562Z 6f8f5b1a-... Task timed out after 3.00 seconds`. */
export function parseSpacedTimeout(message: string, timestampEnd: number): FailureMarker | null {
  const idStart = timestampEnd + 1;
  const idEnd = message.indexOf(" ", idStart);
  if (idEnd <= idStart) return null;
  const rest = message.slice(idEnd + 1);
  if (!rest.startsWith(TIMED_OUT)) return null;
  return { requestId: message.slice(idStart, idEnd), kind: "timeout", message: firstLine(rest) };
}
