import { createHash } from "node:crypto";

export interface ErrorIdentity {
  errorType: string;
  errorMessage: string;
  stack: string[];
}

const MAX_MESSAGE = 500;

const MASKS: [RegExp, string][] = [
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)]+/gi, "<url>"],
  [/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, "<email>"],
  [/\barn:aws[\w-]*:[^\s"']+/g, "<arn>"],
  [/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, "<ts>"],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>"],
  [/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|“[^”]*”/g, "<str>"],
  [/\b0x[0-9a-f]+\b/gi, "<hex>"],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, "<hex>"],
  // Mixed ids such as req_8F2kd93 or order-77a1b: letters and digits together, six characters or more.
  [/\b(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9][\w-]{5,}\b/g, "<id>"],
  [/\d+(?:\.\d+)?/g, "<n>"],
];

/** The error message with what changes between occurrences of the same error masked. */
export function normalizeErrorMessage(message: string): string {
  let out = message.length > MAX_MESSAGE * 4 ? message.slice(0, MAX_MESSAGE * 4) : message;
  for (const [pattern, replacement] of MASKS) out = out.replace(pattern, replacement);
  out = out.replace(/\s+/g, " ").trim();
  return out.length > MAX_MESSAGE ? out.slice(0, MAX_MESSAGE) : out;
}

// Frames of the runtimes, the language's own library and dependencies: the error is rarely there.
const NON_APPLICATION_FRAME = [
  /node:internal|\(internal\/|^\s*at internal\//,
  /node_modules\//,
  /\/var\/runtime\//,
  /awslambdaric|bootstrap\.py|\/var\/lang\/lib\/|site-packages\/|dist-packages\//,
  /^\s*at (?:java|javax|jdk|sun|com\.sun|kotlin|scala)\./,
  /^\s*at (?:java\.base|jdk\.internal)\//,
  /com\.amazonaws\.services\.lambda\.runtime/,
  /^\s*at (?:System|Microsoft|Amazon\.Lambda)\./,
  /\/usr\/local\/go\/|^runtime\.|\bruntime\/|github\.com\/aws\/aws-lambda-go/,
  /\/gems\/|aws_lambda_ric|\/var\/lang\/lib\/ruby/,
  /^\s*at (?:async )?(?:Promise|process\.processTicksAndRejections|new Promise)\b/,
];

const NODE_FRAME = /^\s*at (?:async )?(?:(.*?) \()?(?:file:\/\/)?(.+?)(?::\d+)?(?::\d+)?\)?\s*$/;
const PYTHON_FRAME = /^\s*File "(.+?)", line \d+, in (.+)$/;
const JAVA_FRAME = /^\s*at ([\w$.<>/]+)\(([^:)]*)(?::\d+)?\)/;
const DOTNET_FRAME = /^\s*at (.+?)(?: in (.+?):line \d+)?\s*$/;
const RUBY_FRAME = /^(.+?):\d+:in [`'](.+?)'$/;
// aws-lambda-go frames as stackFrom writes them: `label (path.go:line)`. Only a Go file in the parentheses makes
// a frame: an error header such as "Order 1234 not found (customer 98765)" ends in parentheses too.
const GO_FRAME = /^(\S+) \(([^\s()]+\.go)(?::\d+)?\)$/;

function isFrame(line: string): boolean {
  const t = line.trimStart();
  return t.startsWith("at ") || t.startsWith("File \"") || RUBY_FRAME.test(t) || GO_FRAME.test(t);
}

/** `function @ file` without line and column: line numbers move with every deploy, the function does not. */
export function describeFrame(line: string): string {
  const t = line.trim();
  let m = PYTHON_FRAME.exec(t);
  if (m) return `${m[2]} @ ${m[1]}`;
  m = JAVA_FRAME.exec(t);
  if (m && !t.includes(" in ") && !/\.(?:js|mjs|cjs|ts)\b/.test(t)) return `${m[1]} @ ${m[2]}`;
  if (t.startsWith("at ") && / in .+:line \d+/.test(t)) {
    m = DOTNET_FRAME.exec(t);
    if (m) return `${m[1]} @ ${m[2] ?? ""}`;
  }
  m = RUBY_FRAME.exec(t);
  if (m) return `${m[2]} @ ${m[1]}`;
  if (t.startsWith("at ")) {
    m = NODE_FRAME.exec(t);
    if (m) return `${m[1] ?? "<anonymous>"} @ ${m[2]}`;
  }
  m = GO_FRAME.exec(t);
  if (m) return `${m[1]} @ ${m[2]}`;
  return t.replace(/:\d+/g, "");
}

/** The first frame of the application's own code, if the stack has one. */
export function topApplicationFrame(stack: string[]): string | null {
  for (const line of stack) {
    if (!isFrame(line)) continue;
    if (NON_APPLICATION_FRAME.some((pattern) => pattern.test(line))) continue;
    return describeFrame(line);
  }
  return null;
}

/** Same error type, same message once ids are masked, same top application frame -> same fingerprint. */
export function fingerprintError(error: ErrorIdentity): string {
  const frame = topApplicationFrame(error.stack) ?? "";
  return createHash("sha256")
    .update(`${error.errorType}\n${normalizeErrorMessage(error.errorMessage)}\n${frame}`)
    .digest("hex")
    .slice(0, 32);
}

export interface GroupableOccurrence extends ErrorIdentity {
  timestamp: number;
  fingerprint?: string;
  functionName?: string | null;
}

export interface ErrorGroup {
  fingerprint: string;
  errorType: string;
  message: string;
  sampleMessage: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
  functions: string[];
}

export function groupErrors(occurrences: GroupableOccurrence[], functionName?: string | null): ErrorGroup[] {
  const groups = new Map<string, ErrorGroup>();
  for (const occurrence of occurrences) {
    const fingerprint = occurrence.fingerprint ?? fingerprintError(occurrence);
    const fn = occurrence.functionName ?? functionName ?? null;
    let group = groups.get(fingerprint);
    if (group === undefined) {
      group = {
        fingerprint,
        errorType: occurrence.errorType,
        message: normalizeErrorMessage(occurrence.errorMessage),
        sampleMessage: occurrence.errorMessage,
        count: 0,
        firstSeen: occurrence.timestamp,
        lastSeen: occurrence.timestamp,
        functions: [],
      };
      groups.set(fingerprint, group);
    }
    group.count++;
    if (occurrence.timestamp < group.firstSeen) group.firstSeen = occurrence.timestamp;
    if (occurrence.timestamp >= group.lastSeen) {
      group.lastSeen = occurrence.timestamp;
      group.sampleMessage = occurrence.errorMessage;
    }
    if (fn !== null && !group.functions.includes(fn)) group.functions.push(fn);
  }
  for (const group of groups.values()) group.functions.sort();
  return [...groups.values()].sort((a, b) => b.count - a.count || b.lastSeen - a.lastSeen || (a.fingerprint < b.fingerprint ? -1 : 1));
}
