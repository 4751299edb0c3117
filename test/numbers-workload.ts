import type { LogEventInput } from "@/lib/ingest/lambda-logs";

/**
 * A deterministic Lambda workload as CloudWatch Logs events in AWS's text format (../shared/AWS-FACTS.md):
 * START / END / REPORT, Node `Invoke Error` lines for function errors, `Status: timeout` and
 * `Status: error	Error Type: Runtime.OutOfMemory | Runtime.ExitError` REPORTs, Init Duration for cold
 * starts, and async retries (same RequestId about a minute later). Invocations are spread over a
 * long span with dense stretches around chosen instants (the edges of the ranges a test reads), so
 * rows fall on both sides of every edge, never on a minute boundary by design.
 */
export interface WorkloadFunction {
  name: string;
  memoryMB: number;
  timeoutS: number;
  /** Share of invocations that time out at the configured timeout. */
  timeoutShare: number;
}

/** Small, seedable PRNG (mulberry32): the same seed gives the same workload on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0").slice(-width);

function requestId(fn: number, i: number): string {
  return `${hex(fn, 8)}-${hex(i >>> 16, 4)}-4${hex(i, 3)}-8${hex(fn * 7 + i, 3)}-${hex(i * 2654435761, 12)}`;
}

function streamName(t: number, fn: number, env: number): string {
  const d = new Date(t);
  const day = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${String(d.getUTCDate()).padStart(2, "0")}`;
  return `${day}/[$LATEST]${hex(fn, 8)}${hex(env, 24)}`;
}

/** Start times: one every `baseGapMs` on average over [from, to), denser (every `edgeGapMs`) within `edgeSpanMs` of each edge. */
export function startTimes(from: number, to: number, edges: number[], seed: number, baseGapMs = 47 * 60_000, edgeGapMs = 83_000, edgeSpanMs = 80 * 60_000): number[] {
  const rnd = prng(seed);
  const out: number[] = [];
  for (let t = from + rnd() * baseGapMs; t < to; t += baseGapMs * (0.5 + rnd())) out.push(Math.floor(t));
  for (const e of edges) {
    for (let t = e - edgeSpanMs + rnd() * edgeGapMs; t < e + edgeSpanMs; t += edgeGapMs * (0.5 + rnd())) if (t >= from && t < to) out.push(Math.floor(t));
  }
  return out.sort((a, b) => a - b);
}

/** Log events of one function's invocations started at `starts`, in timestamp order. */
export function workloadEvents(fn: WorkloadFunction, fnIndex: number, starts: number[], seed: number): LogEventInput[] {
  const rnd = prng(seed);
  const group = `/aws/lambda/${fn.name}`;
  const events: LogEventInput[] = [];
  let seq = 0;
  const push = (stream: string, timestamp: number, message: string) => {
    seq++;
    events.push({ eventId: `${String(timestamp).padStart(20, "0")}${hex(fnIndex, 4)}${String(seq).padStart(12, "0")}`, logGroupName: group, logStreamName: stream, timestamp, message });
  };
  const iso = (t: number) => new Date(t).toISOString();
  starts.forEach((start, i) => {
    const req = requestId(fnIndex, i);
    const attempts = 1 + (rnd() < 0.08 ? 1 : 0);
    for (let a = 0; a < attempts; a++) {
      const t0 = start + a * (60_000 + Math.floor(rnd() * 10_000));
      const env = Math.floor(rnd() * 6);
      const stream = streamName(t0, fnIndex, env);
      const cold = rnd() < 0.12;
      const init = cold ? 150 + rnd() * 900 : 0;
      const u = rnd();
      const kind = u < fn.timeoutShare ? "timeout" : u < fn.timeoutShare + 0.05 ? "error" : u < fn.timeoutShare + 0.06 ? "oom" : u < fn.timeoutShare + 0.07 ? "crash" : "success";
      // Durations spread over four decades: lognormal-ish around 120 ms, the timeout's own just above the limit.
      const duration = kind === "timeout" ? fn.timeoutS * 1000 + rnd() * 2 : Math.min(fn.timeoutS * 1000 - 1, Math.exp(Math.log(120) + 1.4 * (rnd() + rnd() + rnd() - 1.5)));
      const d = Math.round(duration * 100) / 100;
      const billed = Math.ceil(d + init);
      const used = kind === "oom" ? fn.memoryMB : Math.min(fn.memoryMB, 40 + Math.floor(rnd() * fn.memoryMB * 0.6));
      push(stream, t0, `START RequestId: ${req} Version: $LATEST\n`);
      if (kind === "error") {
        push(stream, t0 + Math.floor(d / 2), `${iso(t0 + Math.floor(d / 2))}\t${req}\tERROR\tInvoke Error \t{"errorType":"ValidationError","errorMessage":"order ${i} is invalid","stack":["ValidationError: order ${i} is invalid","    at handler (/var/task/index.js:12:11)"]}\n`);
      }
      const end = t0 + Math.ceil(d);
      const initText = cold ? `Init Duration: ${init.toFixed(2)} ms\t` : "";
      const head = `REPORT RequestId: ${req}\tDuration: ${d.toFixed(2)} ms\tBilled Duration: ${billed} ms\tMemory Size: ${fn.memoryMB} MB\tMax Memory Used: ${used} MB\t${initText}`;
      const tail = kind === "timeout" ? "Status: timeout" : kind === "oom" ? "Status: error\tError Type: Runtime.OutOfMemory" : kind === "crash" ? "Status: error\tError Type: Runtime.ExitError" : "";
      push(stream, end, `END RequestId: ${req}\n`);
      push(stream, end, `${head}${tail}\n`);
    }
  });
  return events.sort((x, y) => x.timestamp - y.timestamp || (x.eventId < y.eventId ? -1 : 1));
}
