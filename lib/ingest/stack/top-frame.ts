/**
 * The first frame of the user's own code in a stack, for every runtime the log parser knows.
 * Shapes follow each runtime's documented stack format (see __fixtures__/README.md).
 */

export interface StackFrame {
  fn: string;
  file: string | null;
  line: number | null;
  column: number | null;
}

const NBSP = /\u00a0/g;

// Node: `at fn (file:line:col)`, `at async fn (file:line:col)`, anonymous `at file:line:col`.
const NODE_NAMED = /^\s*at (?:async )?(.+?) \((.+?):(\d+):(\d+)\)$/;
const NODE_ANONYMOUS = /^\s*at (?:async )?([^\s()]+?):(\d+):(\d+)$/;
// Java: `at pkg.Class.method(File.java:N)`, with an optional module (`java.base/`) and loader prefix.
const JAVA = /^\s*at (?:[\w.$-]+(?:@[\w.-]+)?\/)*([\w$.<>]+)\(([\w$.-]+\.\w+(?::(\d+))?|Unknown Source|Native Method)\)$/;
// .NET: `at Ns.Class.Method(args) in /path/File.cs:line N`, or without ` in ...` when no symbols were shipped.
const DOTNET = /^\s*at (.+?\(.*?\))(?: in (.+):line (\d+))?$/;
// Python: `File "/var/task/app.py", line 27, in handler`.
const PYTHON = /^\s*File "(.+)", line (\d+), in (.+)$/;
// Ruby: `/var/task/app.rb:8:in 'method'` (3.4) or ``in `method'`` (older), `Class#method` in 3.4.
const RUBY = /^\s*(.+?\.rb):(\d+):in [`'](.+)'$/;
// Go, as aws-lambda-go's {path, line, label} frames are rendered: `label (path.go:N)`.
const GO_LABEL = /^\s*(\S+) \((.+\.go):(\d+)\)$/;
// Go panic dump: `main.handler(...)` then `\t/path/file.go:N +0x1d`.
const GO_FILE_LINE = /^\t(.+\.go):(\d+)(?: \+0x[0-9a-f]+)?$/;
const GO_FUNCTION = /^(\S+?)\(.*\)$/;

type Runtime = "node" | "java" | "dotnet" | "python" | "ruby" | "go";

interface Candidate {
  frame: StackFrame;
  runtime: Runtime;
}

const NODE_SKIP = [/^node:/, /^internal\//, /(^|\/)node_modules\//, /^(file:\/\/)?\/var\/runtime\//, /^<anonymous>$/, /^native$/];
const JAVA_SKIP = /^(java|javax|jdk|sun|com\.sun|com\.amazonaws|software\.amazon\.awssdk|lambdainternal)\./;
const DOTNET_SKIP = /^(System|Microsoft|Amazon)\.|^lambda_method\d*\(/;
const PYTHON_SKIP = [/^\/var\/runtime\//, /\/site-packages\//, /^\/var\/lang\/lib\//, /^<frozen /];
const RUBY_SKIP = [/^\/var\/runtime\//, /^\/var\/lang\//, /\/gems\//];
const GO_SKIP_PATH = [/(^|\/)github\.com\/aws\/aws-lambda-go[@/]/, /^runtime\//, /\/go\/src\/runtime\//, /^\/usr\/local\/go\//];
const GO_SKIP_FN = /^(runtime|reflect)\./;

function stripFileScheme(file: string): string {
  return file.startsWith("file://") ? file.slice("file://".length) : file;
}

function nodeFrame(line: string): StackFrame | null {
  const named = NODE_NAMED.exec(line);
  if (named) return { fn: named[1], file: stripFileScheme(named[2]), line: Number(named[3]), column: Number(named[4]) };
  const anonymous = NODE_ANONYMOUS.exec(line);
  if (anonymous) return { fn: "<anonymous>", file: stripFileScheme(anonymous[1]), line: Number(anonymous[2]), column: Number(anonymous[3]) };
  return null;
}

function javaFrame(line: string): StackFrame | null {
  const m = JAVA.exec(line);
  if (!m) return null;
  const location = m[2];
  const file = location === "Unknown Source" || location === "Native Method" ? null : location.replace(/:\d+$/, "");
  return { fn: m[1], file, line: m[3] === undefined ? null : Number(m[3]), column: null };
}

function dotnetFrame(line: string): StackFrame | null {
  const m = DOTNET.exec(line);
  if (!m) return null;
  return { fn: m[1].replace(/\(.*\)$/, ""), file: m[2] ?? null, line: m[3] === undefined ? null : Number(m[3]), column: null };
}

function rubyFrame(line: string): StackFrame | null {
  const m = RUBY.exec(line);
  return m ? { fn: m[3], file: m[1], line: Number(m[2]), column: null } : null;
}

function goLabelFrame(line: string): StackFrame | null {
  const m = GO_LABEL.exec(line);
  return m ? { fn: m[1], file: m[2], line: Number(m[3]), column: null } : null;
}

// Tried in this order: a Java frame never has a space before its parenthesis, a Node frame always does.
const LINE_PARSERS: [Runtime, (line: string) => StackFrame | null][] = [
  ["node", nodeFrame],
  ["java", javaFrame],
  ["dotnet", dotnetFrame],
  ["ruby", rubyFrame],
  ["go", goLabelFrame],
];

function isUserFrame(c: Candidate): boolean {
  const { fn, file } = c.frame;
  switch (c.runtime) {
    case "node":
      return file !== null && !NODE_SKIP.some((re) => re.test(file));
    case "java":
      return !JAVA_SKIP.test(fn);
    case "dotnet":
      return !DOTNET_SKIP.test(`${fn}(`);
    case "python":
      return file !== null && !PYTHON_SKIP.some((re) => re.test(file));
    case "ruby":
      return file !== null && !RUBY_SKIP.some((re) => re.test(file));
    case "go":
      return !GO_SKIP_FN.test(fn) && fn !== "panic" && (file === null || !GO_SKIP_PATH.some((re) => re.test(file)));
  }
}

/** Every frame the stack's lines hold, innermost first, whatever the runtime. */
export function parseFrames(stack: readonly string[]): Candidate[] {
  const lines = stack.flatMap((l) => l.replace(NBSP, " ").split(/\r\n|\r|\n/)).filter((l) => l.trim().length > 0);
  const out: Candidate[] = [];
  const python: Candidate[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const py = PYTHON.exec(line);
    if (py) {
      python.push({ runtime: "python", frame: { fn: py[3].trim(), file: py[1], line: Number(py[2]), column: null } });
      continue;
    }
    const goFile = GO_FILE_LINE.exec(line);
    if (goFile) {
      const fn = i > 0 ? GO_FUNCTION.exec(lines[i - 1].trim()) : null;
      if (fn) out.push({ runtime: "go", frame: { fn: fn[1], file: goFile[1], line: Number(goFile[2]), column: null } });
      continue;
    }
    for (const [runtime, parse] of LINE_PARSERS) {
      const frame = parse(line);
      if (frame) {
        out.push({ runtime, frame });
        break;
      }
    }
  }
  // A Python traceback lists the innermost call last.
  return [...python.reverse(), ...out];
}

/** The innermost frame of the user's code (runtime, library and standard-library frames skipped), or null. */
export function findTopFrame(stack: readonly string[]): StackFrame | null {
  return parseFrames(stack).find(isUserFrame)?.frame ?? null;
}

/** `fn (file:line:col)`, the way Node prints a frame, for every runtime. */
export function formatFrame(frame: StackFrame): string {
  if (frame.file === null) return frame.fn;
  const position = [frame.line, frame.column].filter((n): n is number => n !== null).join(":");
  return `${frame.fn} (${frame.file}${position ? `:${position}` : ""})`;
}

export function topFrameOf(stack: readonly string[]): string | null {
  const frame = findTopFrame(stack);
  return frame ? formatFrame(frame) : null;
}
