/**
 * Unhandled-error lines written by the Lambda runtimes themselves (not by application logging).
 * Shapes come from the runtime interface clients; see __fixtures__/README.md.
 */

export interface UnhandledError {
  errorType: string;
  errorMessage: string;
  stack: string[];
}

const NBSP = /\u00a0/g;
const LINE_BREAK = /\r\n|\r|\n/;

export const NODE_ERROR_MARKERS = ["Invoke Error", "Uncaught Exception", "Unhandled Promise Rejection"] as const;

function asString(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function stackFrom(value: unknown): string[] {
  if (typeof value === "string") return value.split(LINE_BREAK).filter((l) => l.trim().length > 0);
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const item of value) {
    if (typeof item === "string") {
      for (const line of item.split(LINE_BREAK)) if (line.trim().length > 0) out.push(line.replace(NBSP, " "));
    } else if (item && typeof item === "object") {
      // aws-lambda-go frames: {path, line, label}
      const frame = item as Record<string, unknown>;
      const label = asString(frame.label) ?? "";
      const path = asString(frame.path) ?? "";
      const line = typeof frame.line === "number" ? `:${frame.line}` : "";
      out.push(`${label} (${path}${line})`);
    }
  }
  return out;
}

/** `{errorType, errorMessage, stack|stackTrace|trace}` as Node, Python (JSON), Go and Ruby write it. */
export function fromErrorRecord(record: Record<string, unknown>): UnhandledError | null {
  const errorType = asString(record.errorType);
  const errorMessage = asString(record.errorMessage);
  if (errorType === null && errorMessage === null) return null;
  return {
    errorType: errorType || "UnknownError",
    errorMessage: errorMessage ?? "",
    stack: stackFrom(record.stack ?? record.stackTrace ?? record.trace),
  };
}

function unescapeJsonString(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

const TYPE_FIELD = /"errorType"\s*:\s*"((?:[^"\\]|\\.)*)"/;
const MESSAGE_FIELD = /"errorMessage"\s*:\s*"((?:[^"\\]|\\.)*)"/;

/** The JSON after a Node marker (`ERROR\tInvoke Error \t{...}`); tolerant of truncated events. */
export function parseNodeErrorJson(text: string): UnhandledError | null {
  const brace = text.indexOf("{");
  if (brace === -1) return null;
  const json = text.slice(brace);
  try {
    const parsed: unknown = JSON.parse(json);
    if (parsed && typeof parsed === "object") return fromErrorRecord(parsed as Record<string, unknown>);
  } catch {
    // CloudWatch truncates events at 256 KB: read what is there.
  }
  const type = TYPE_FIELD.exec(json);
  const message = MESSAGE_FIELD.exec(json);
  if (!type && !message) return null;
  return {
    errorType: type ? unescapeJsonString(type[1]) : "UnknownError",
    errorMessage: message ? unescapeJsonString(message[1]) : "",
    stack: [],
  };
}

export function startsWithNodeMarker(body: string): boolean {
  for (const marker of NODE_ERROR_MARKERS) if (body.startsWith(marker)) return true;
  return false;
}

export const PYTHON_TRACEBACK = "Traceback (most recent call last):";

function splitTypeAndMessage(header: string): { errorType: string; errorMessage: string } {
  const colon = header.indexOf(": ");
  const candidate = colon === -1 ? header : header.slice(0, colon);
  if (candidate.length > 0 && !/\s/.test(candidate)) {
    return { errorType: candidate, errorMessage: colon === -1 ? "" : header.slice(colon + 2) };
  }
  return { errorType: "UnknownError", errorMessage: header };
}

/** awslambdaric: `[ERROR] Type: message` + `\r` + `Traceback (most recent call last):` + frames indented with U+00A0. */
export function parsePythonErrorText(message: string): UnhandledError | null {
  if (!message.startsWith("[ERROR] ")) return null;
  const traceback = message.indexOf(PYTHON_TRACEBACK);
  if (traceback === -1) return null;
  const header = message.slice(8, traceback).replace(/[\r\n]+$/, "").trim();
  const { errorType, errorMessage } = splitTypeAndMessage(header);
  const stack = message
    .slice(traceback + PYTHON_TRACEBACK.length)
    .split(LINE_BREAK)
    .map((line) => line.replace(NBSP, " ").trimEnd())
    .filter((line) => line.length > 0);
  return { errorType, errorMessage, stack };
}

const JAVA_CLASS = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/;

/** aws-lambda-java-libs UserFault.reportableError(): `message: fqcn`, then the printed stack trace. */
export function parseJavaErrorText(text: string): UnhandledError | null {
  const lines = text.split(LINE_BREAK);
  if (lines.length < 2) return null;
  const first = lines[0];
  const colon = first.lastIndexOf(": ");
  if (colon === -1) return null;
  const errorType = first.slice(colon + 2).trim();
  if (!JAVA_CLASS.test(errorType) || !lines[1].startsWith(errorType)) return null;
  const stack = lines.slice(1).filter((line) => line.trim().length > 0);
  return { errorType, errorMessage: first.slice(0, colon), stack };
}

const DOTNET_HEADER = /^([A-Za-z_][\w`]*(?:\.[A-Za-z_][\w`]*)*(?:Exception|Error)): ?(.*)$/;

/** Amazon.Lambda.RuntimeSupport writes `exception.ToString()`: `Ns.TypeException: message` then `   at ...` frames. */
export function parseDotnetErrorText(text: string): UnhandledError | null {
  if (!text.includes("\n   at ") && !text.includes("\r   at ")) return null;
  const lines = text.split(LINE_BREAK);
  const header = DOTNET_HEADER.exec(lines[0].trim());
  if (!header) return null;
  const innerMarker = header[2].indexOf(" ---> ");
  const errorMessage = innerMarker === -1 ? header[2] : header[2].slice(0, innerMarker);
  const stack = lines.slice(1).filter((line) => line.trim().length > 0);
  return { errorType: header[1], errorMessage, stack };
}

export const RUBY_MARKERS = ["Error raised from handler method", "Critical exception from handler", "Init error when loading handler"];

export function startsWithRubyMarker(text: string): boolean {
  for (const marker of RUBY_MARKERS) if (text.startsWith(marker)) return true;
  return false;
}

export const NODE_HEAP_OOM = "JavaScript heap out of memory";
