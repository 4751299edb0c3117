import { runtimeVersion, runtimeVersionArn, type FunctionSpec } from "./catalog";
import type { Invocation, LogEvent } from "./model";
import { Rng, rngFor } from "./random";

// Python tracebacks in Lambda's text logs are indented with no-break spaces.
const NBSP = "\u00a0";

interface Line {
  t: number;
  message: string;
}

const iso = (t: number) => new Date(t).toISOString();
const isoSeconds = (t: number) => new Date(Math.floor(t / 1000) * 1000).toISOString().replace(".000Z", "Z");
const ms = (n: number) => n.toFixed(2);

const family = (runtime: string) =>
  runtime.startsWith("nodejs") ? "node" : runtime.startsWith("python") ? "python" : runtime.startsWith("java") ? "java" : "custom";

// What a handler logs, as alternative stories told in order: each invocation logs one story's lines,
// once each, in that order (a failed one stops part-way).
const APP_STORIES: Record<string, string[][]> = {
  "api-backend": [["GET /orders/{id} 200"], ["POST /cart 201"], ["cache miss for product list", "GET /products 200"]],
  "orders-consumer": [["processing batch of 10 messages", "order persisted", "invoice uploaded to S3"]],
  "image-processor": [["downloading s3://osprey-demo-uploads/u/42/photo.jpg", "resized to 3 variants"]],
  "report-generator": [["building report for region us-east-1", "report rows: 182344", "uploaded report.csv"]],
  default: [["handling event", "done"]],
};

/** The application lines of one invocation, in order, none repeated. */
export function appMessages(functionName: string, inv: Pick<Invocation, "status" | "sqsMessage">, r: Rng): string[] {
  const story = r.pick(APP_STORIES[functionName] ?? APP_STORIES.default);
  const told = inv.status === "success" || story.length === 1 ? story : story.slice(0, 1 + r.int(story.length - 1));
  const m = inv.sqsMessage;
  return m ? [`received message ${m.messageId} (ApproximateReceiveCount ${m.receiveCount})`, ...told] : told;
}

/** Every CloudWatch log event one invocation writes, exactly as Lambda writes them. */
export function formatInvocation(spec: FunctionSpec, inv: Invocation): LogEvent[] {
  const lines = spec.logFormat === "JSON" ? jsonLines(spec, inv) : textLines(spec, inv);
  // One delivery batch per invocation: 1-20 s late, a few minutes late now and then.
  const r = rngFor(inv.key, 40, inv.attempt);
  const delay = r.chance(0.01) ? 60_000 + r.int(540_000) : 1000 + r.int(19_000);
  let ingested = 0;
  return lines.map((l, i) => {
    const t = Math.floor(l.t);
    ingested = Math.max(ingested, t + delay + i);
    return {
      logStreamName: inv.logStreamName,
      timestamp: t,
      ingestionTime: ingested,
      message: l.message,
      eventId: String(t).padStart(16, "0") + String(i).padStart(2, "0") + r.digits(38),
    };
  });
}

function appTimes(inv: Invocation, n: number, r: Rng): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(inv.start + (inv.durationMs * (i + r.next())) / (n + 1));
  return out.sort((a, b) => a - b);
}

function textLines(spec: FunctionSpec, inv: Invocation): Line[] {
  const r = rngFor(inv.key, 41, inv.attempt);
  const lines: Line[] = [];
  const id = inv.requestId;
  const fam = family(spec.runtime);
  const initMs = inv.initDurationMs ?? inv.restoreDurationMs ?? inv.failedInitMs ?? 0;
  const initAt = inv.start - initMs;
  const rv = `Runtime Version: ${runtimeVersion(spec.runtime)}\tRuntime Version ARN: ${runtimeVersionArn(spec.runtime, spec.region)}\n`;
  if (inv.coldStart && inv.restoreDurationMs !== undefined) {
    lines.push({ t: initAt, message: `RESTORE_START ${rv}` });
    lines.push({ t: inv.start - 1, message: `RESTORE_REPORT Restore Duration: ${ms(inv.restoreDurationMs)} ms\n` });
  } else if (inv.coldStart) {
    lines.push({ t: initAt, message: `INIT_START ${rv}` });
    for (const ext of spec.extensions) {
      lines.push({ t: initAt + 5, message: `EXTENSION\tName: ${ext}\tState: Ready\tEvents: [INVOKE, SHUTDOWN]\n` });
    }
  }
  if (inv.initFailed) {
    const err = `[ERROR] Runtime.ImportModuleError: ${inv.errorMessage}\nTraceback (most recent call last):`;
    lines.push({ t: inv.start - 2, message: err });
    lines.push({ t: inv.start - 1, message: `INIT_REPORT Init Duration: ${ms(inv.failedInitMs ?? 0)} ms\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError\n` });
  }
  lines.push({ t: inv.start, message: `START RequestId: ${id} Version: ${inv.version}\n` });
  if (inv.initFailed) {
    lines.push({ t: inv.end - 2, message: `[ERROR] Runtime.ImportModuleError: ${inv.errorMessage}\nTraceback (most recent call last):` });
    lines.push({ t: inv.end - 1, message: `INIT_REPORT Init Duration: ${ms(inv.durationMs)} ms\tPhase: invoke\tStatus: error\tError Type: Runtime.ImportModuleError\n` });
  } else {
    const msgs = appMessages(spec.name, inv, r);
    appTimes(inv, msgs.length, r).forEach((t, i) => lines.push({ t, message: textAppLine(fam, t, id, msgs[i]) }));
    if (inv.status === "error") lines.push({ t: inv.end - 1, message: textErrorEvent(fam, spec, inv) });
    if (inv.status === "crash") {
      lines.push({ t: inv.end - 1, message: "thread 'main' panicked at src/main.rs:88:14:\ncalled `Option::unwrap()` on a `None` value\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n" });
    }
    if (inv.status === "timeout") {
      lines.push({ t: inv.end - 1, message: `${iso(inv.end - 1)} ${id} Task timed out after ${(inv.durationMs / 1000).toFixed(2)} seconds\n` });
    }
  }
  lines.push({ t: inv.end, message: `END RequestId: ${id}\n` });
  lines.push({ t: inv.end, message: reportLine(inv) });
  return lines;
}

function reportLine(inv: Invocation): string {
  let s = `REPORT RequestId: ${inv.requestId}\tDuration: ${ms(inv.durationMs)} ms\tBilled Duration: ${inv.billedMs} ms\tMemory Size: ${inv.memorySizeMb} MB\tMax Memory Used: ${inv.memoryUsedMb} MB\t`;
  if (inv.initDurationMs !== undefined) s += `Init Duration: ${ms(inv.initDurationMs)} ms\t`;
  if (inv.restoreDurationMs !== undefined) {
    s += `Restore Duration: ${ms(inv.restoreDurationMs)} ms\tBilled Restore Duration: ${inv.billedRestoreDurationMs} ms\t`;
  }
  const platformStatus = inv.status === "timeout" ? "Status: timeout" : inv.status === "out_of_memory" || inv.status === "crash" ? `Status: error\tError Type: ${inv.errorType}` : undefined;
  if (platformStatus) s += platformStatus;
  if (inv.traceId) {
    s += `\nXRAY TraceId: ${inv.traceId}\tSegmentId: ${inv.segmentId}\tSampled: true`;
    if (!platformStatus) s += "\t";
  }
  return s + "\n";
}

function textAppLine(fam: string, t: number, id: string, msg: string): string {
  switch (fam) {
    case "node":
      return `${iso(t)}\t${id}\tINFO\t${msg}\n`;
    case "python":
      return `[INFO]\t${iso(t)}\t${id}\t${msg}\n`;
    case "java":
      return `${iso(t).replace("T", " ").replace("Z", "")} ${id} INFO  com.example.Handler - ${msg}\n`;
    default:
      return `${iso(t)}  INFO authorizer: ${msg} request_id=${id}\n`;
  }
}

function nodeStack(inv: Invocation): string[] {
  return [
    `${inv.errorType}: ${inv.errorMessage}`,
    "    at Runtime.handler (file:///var/task/index.mjs:42:17)",
    "    at async processOrder (file:///var/task/lib/orders.mjs:88:5)",
    "    at async Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)",
  ];
}

function pythonFrames(spec: FunctionSpec): string[] {
  const pyVer = spec.runtime.replace("python", "");
  return [
    `  File "/var/task/app.py", line 57, in handler`,
    `    record = parse(event["Records"][0])`,
    `  File "/var/task/lib/parse.py", line 23, in parse`,
    `    return {"customer": body["customer_id"], "qty": int(body["qty"])}`,
    `  File "/var/lang/lib/python${pyVer}/json/__init__.py", line 346, in loads`,
  ].slice(0, 4);
}

function textErrorEvent(fam: string, spec: FunctionSpec, inv: Invocation): string {
  const t = iso(inv.end - 1);
  switch (fam) {
    case "node":
      return `${t}\t${inv.requestId}\tERROR\tInvoke Error \t${JSON.stringify({ errorType: inv.errorType, errorMessage: inv.errorMessage, stack: nodeStack(inv) })}\n`;
    case "python": {
      const tb = pythonFrames(spec).map((l) => l.replace(/^ +/, (sp) => NBSP.repeat(sp.length)));
      return `[ERROR] ${inv.errorType}: ${inv.errorMessage}\nTraceback (most recent call last):\n${tb.join("\n")}\n`;
    }
    case "java":
      return [
        `${inv.errorMessage}: ${inv.errorType}`,
        `${inv.errorType}: ${inv.errorMessage}`,
        "\tat com.example.payments.Authorizer.authorize(Authorizer.java:88)",
        "\tat com.example.Handler.handleRequest(Handler.java:42)",
        "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(Unknown Source)",
        "Caused by: java.io.IOException: upstream closed connection",
        "\tat com.example.payments.Client.send(Client.java:131)",
        "\t... 3 more",
      ].join("\n") + "\n";
    default:
      return `${t}  ERROR authorizer: ${inv.errorType}: ${inv.errorMessage} request_id=${inv.requestId}\n`;
  }
}

function jsonLines(spec: FunctionSpec, inv: Invocation): Line[] {
  const r = rngFor(inv.key, 42, inv.attempt);
  const lines: Line[] = [];
  const id = inv.requestId;
  const fam = family(spec.runtime);
  const rec = (t: number, type: string, record: Record<string, unknown>): Line => ({ t, message: JSON.stringify({ time: iso(t), type, record }) });
  const tracing = inv.traceId ? { spanId: inv.segmentId, type: "X-Amzn-Trace-Id", value: `Root=${inv.traceId};Parent=${inv.segmentId};Sampled=1` } : undefined;
  if (inv.coldStart) {
    const initMs = inv.initDurationMs ?? inv.failedInitMs ?? 0;
    const initAt = inv.start - initMs;
    lines.push(rec(initAt, "platform.initStart", {
      initializationType: "on-demand", phase: "init", runtimeVersion: runtimeVersion(spec.runtime),
      runtimeVersionArn: runtimeVersionArn(spec.runtime, spec.region), functionName: spec.name, functionVersion: inv.version,
    }));
    for (const ext of spec.extensions) lines.push(rec(initAt + 5, "platform.extension", { name: ext, state: "Ready", events: ["INVOKE", "SHUTDOWN"] }));
    lines.push(rec(inv.start - 1, "platform.initRuntimeDone", { initializationType: "on-demand", phase: "init", status: "success" }));
    lines.push(rec(inv.start - 1, "platform.initReport", { initializationType: "on-demand", phase: "init", status: "success", metrics: { durationMs: initMs } }));
  }
  lines.push(rec(inv.start, "platform.start", { requestId: id, version: inv.version, ...(tracing ? { tracing } : {}) }));
  const msgs = appMessages(spec.name, inv, r);
  for (const [i, t] of appTimes(inv, msgs.length, r).entries()) {
    const message = msgs[i];
    lines.push({
      t,
      message: JSON.stringify(fam === "python"
        ? { timestamp: isoSeconds(t), level: "INFO", message, logger: "root", requestId: id }
        : { timestamp: iso(t), level: "INFO", requestId: id, message }),
    });
  }
  if (inv.status === "error") {
    const t = inv.end - 1;
    const stack = fam === "python" ? pythonFrames(spec) : nodeStack(inv);
    lines.push({
      t,
      message: JSON.stringify(fam === "python"
        ? { timestamp: isoSeconds(t), log_level: "ERROR", errorMessage: inv.errorMessage, errorType: inv.errorType, requestId: id, stackTrace: stack }
        // The Node runtime logs an unhandled error in JSON format as console.error(error): the error is the message
        // (aws-lambda-nodejs-runtime-interface-client, LogPatch.js: jsonErrorLogger and jsonErrorReplacer).
        : { timestamp: iso(t), level: "ERROR", requestId: id, message: { errorType: inv.errorType, errorMessage: inv.errorMessage, stackTrace: stack } }),
    });
  }
  const reportStatus = inv.status === "timeout" ? "timeout" : inv.status === "out_of_memory" || inv.status === "crash" ? "error" : "success";
  const doneStatus = inv.status === "error" ? "failure" : reportStatus;
  lines.push(rec(inv.end, "platform.runtimeDone", {
    requestId: id, status: doneStatus,
    ...(reportStatus === "error" ? { errorType: inv.errorType } : {}),
    spans: [
      { name: "responseLatency", start: iso(inv.end - 1), durationMs: 0.6 },
      { name: "responseDuration", start: iso(inv.end), durationMs: 0.08 },
    ],
    metrics: { durationMs: inv.durationMs, producedBytes: 40 + r.int(4000) },
  }));
  const metrics: Record<string, number> = {
    durationMs: inv.durationMs, billedDurationMs: inv.billedMs, memorySizeMB: inv.memorySizeMb, maxMemoryUsedMB: inv.memoryUsedMb,
  };
  if (inv.initDurationMs !== undefined) metrics.initDurationMs = inv.initDurationMs;
  if (inv.restoreDurationMs !== undefined) {
    metrics.restoreDurationMs = inv.restoreDurationMs;
    metrics.billedRestoreDurationMs = inv.billedRestoreDurationMs ?? 0;
  }
  lines.push(rec(inv.end, "platform.report", {
    requestId: id, status: reportStatus, ...(reportStatus === "error" ? { errorType: inv.errorType } : {}),
    metrics, ...(tracing ? { tracing } : {}),
  }));
  return lines;
}
