/**
 * Where a function's handler time goes, from its X-Ray subsegments: its own code against each downstream
 * service it waits on (the Serverless Lens PERF 1 question: processing-heavy, where more memory helps, or
 * waiting on another service, where it does not).
 *
 * - Handler time is the Lambda `Invocation` subsegment: initialization and the runtime's overhead are not
 *   the handler's and do not scale the same way.
 * - Waiting time is the union of the AWS and remote (HTTP) subsegments inside it, clipped to it; two calls
 *   in parallel wait once. A stretch where several services are awaited at once is split evenly among them,
 *   so the services' shares add up to the waiting share and a bar can show them side by side.
 * - Own code is the rest: handler time not spent waiting. Lambda gives CPU in proportion to memory, so only
 *   this share speeds up with more memory.
 */

export type DownstreamKind = "aws" | "http" | "lambda";

export interface TracedCall {
  /** The subsegment's name: "DynamoDB", "S3", "Lambda", or the remote host. */
  name: string;
  namespace: "aws" | "remote";
  operation: string | null;
  /** Table, bucket, queue or function the call names, when it names one. */
  resource: string | null;
  /** Offsets in ms on the same clock as the invocation's. */
  startMs: number;
  endMs: number;
}

export interface TracedInvocation {
  startMs: number;
  durationMs: number;
  calls: TracedCall[];
}

export interface DownstreamShare {
  /** "DynamoDB orders", "api.stripe.com": what the advice names. */
  label: string;
  kind: DownstreamKind;
  /** Handler time attributed to this service, summed over the invocations. */
  totalMs: number;
  /** totalMs over the handler time (0..1). */
  share: number;
  calls: number;
  /** Mean duration of one call, as the subsegments measured it. */
  avgCallMs: number;
}

export type PerformanceLever = "memory" | "downstream" | "balanced";

export interface TraceBreakdown {
  invocations: number;
  handlerMs: number;
  ownCodeMs: number;
  /** Share of handler time in the function's own code (0..1): what the memory what-if scales. */
  ownCodeShare: number;
  /** Share of handler time waiting on downstream services (0..1); ownCodeShare + waitingShare = 1. */
  waitingShare: number;
  /** Most time first. */
  downstream: DownstreamShare[];
  /** The service the function waits on longest; null when it calls none. */
  slowest: DownstreamShare | null;
  /** Share of handler time waiting synchronously on another function or on HTTP (0..1). */
  synchronousWaitShare: number;
  lever: PerformanceLever;
}

/** Own code at or above this share of handler time: memory (CPU) is the lever. */
export const MEMORY_LEVER_SHARE = 0.6;
/** Waiting at or above this share of handler time: the downstream is the lever, more memory barely helps. */
export const DOWNSTREAM_LEVER_SHARE = 0.6;

function kindOf(call: TracedCall): DownstreamKind {
  if (call.namespace === "remote") return "http";
  return call.name === "Lambda" ? "lambda" : "aws";
}

function labelOf(call: TracedCall): string {
  if (call.namespace === "remote") return call.name;
  // A queue URL or an ARN names the resource by its last part.
  const resource = call.resource?.split(/[/:]/).filter(Boolean).at(-1);
  return resource ? `${call.name} ${resource}` : call.name;
}

export function leverOf(ownCodeShare: number): PerformanceLever {
  if (ownCodeShare >= MEMORY_LEVER_SHARE) return "memory";
  if (1 - ownCodeShare >= DOWNSTREAM_LEVER_SHARE) return "downstream";
  return "balanced";
}

/**
 * Handler time per service label for one invocation: each stretch between two call boundaries is split
 * evenly among the calls open during it (two calls to one service count once).
 */
function attribute(inv: TracedInvocation): Map<string, number> {
  const end = inv.startMs + inv.durationMs;
  const calls = inv.calls
    .map((c) => ({ label: labelOf(c), start: Math.max(inv.startMs, c.startMs), end: Math.min(end, c.endMs) }))
    .filter((c) => c.end > c.start);
  const bounds = [...new Set(calls.flatMap((c) => [c.start, c.end]))].sort((a, b) => a - b);
  const out = new Map<string, number>();
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [from, to] = [bounds[i], bounds[i + 1]];
    const open = new Set(calls.filter((c) => c.start <= from && c.end >= to).map((c) => c.label));
    for (const label of open) out.set(label, (out.get(label) ?? 0) + (to - from) / open.size);
  }
  return out;
}

/** The breakdown over a set of traced invocations; null without handler time to divide. */
export function traceBreakdown(invocations: readonly TracedInvocation[]): TraceBreakdown | null {
  const usable = invocations.filter((i) => i.durationMs > 0);
  const handlerMs = usable.reduce((a, i) => a + i.durationMs, 0);
  if (handlerMs <= 0) return null;
  const byLabel = new Map<string, { kind: DownstreamKind; totalMs: number; calls: number; callMs: number }>();
  for (const inv of usable) {
    for (const c of inv.calls) {
      const label = labelOf(c);
      const entry = byLabel.get(label) ?? { kind: kindOf(c), totalMs: 0, calls: 0, callMs: 0 };
      entry.calls += 1;
      entry.callMs += Math.max(0, c.endMs - c.startMs);
      byLabel.set(label, entry);
    }
    for (const [label, ms] of attribute(inv)) byLabel.get(label)!.totalMs += ms;
  }
  const downstream = [...byLabel.entries()]
    .map(([label, e]): DownstreamShare => ({ label, kind: e.kind, totalMs: e.totalMs, share: e.totalMs / handlerMs, calls: e.calls, avgCallMs: e.callMs / e.calls }))
    .sort((a, b) => b.totalMs - a.totalMs || a.label.localeCompare(b.label));
  const waitingMs = downstream.reduce((a, d) => a + d.totalMs, 0);
  const ownCodeMs = Math.max(0, handlerMs - waitingMs);
  const ownCodeShare = ownCodeMs / handlerMs;
  const synchronousMs = downstream.filter((d) => d.kind !== "aws").reduce((a, d) => a + d.totalMs, 0);
  return {
    invocations: usable.length,
    handlerMs,
    ownCodeMs,
    ownCodeShare,
    waitingShare: 1 - ownCodeShare,
    downstream,
    slowest: downstream.find((d) => d.totalMs > 0) ?? null,
    synchronousWaitShare: synchronousMs / handlerMs,
    lever: leverOf(ownCodeShare),
  };
}

/** At 1,769 MB a function has the equivalent of one vCPU (Lambda docs, "Configure Lambda function memory"). */
export const ONE_VCPU_MB = 1769;

export interface PerformanceAdvice {
  lever: PerformanceLever;
  /** The memory the what-if tries: twice the current, up to Lambda's maximum. */
  whatIfMemoryMB: number;
  /** Mean handler duration now and at whatIfMemoryMB, only own code scaling with memory. */
  avgDurationMs: number;
  avgDurationAtWhatIfMs: number;
  /** One or two sentences: what takes the time, which lever, what more memory would do. */
  text: string;
}

const pct = (x: number) => `${Math.round(x * 100)} %`;
const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);

/**
 * The advisor's sentence for one function. The what-if scales only the own-code share with memory:
 * duration' = duration x (waiting share + own share x current / target), the same model as costAtMemory's
 * cpuBoundFraction, fed with the measured share instead of an assumption.
 */
export function performanceAdvice(b: TraceBreakdown, memorySizeMB: number, maxMemoryMB = 10_240): PerformanceAdvice {
  const whatIfMemoryMB = Math.min(maxMemoryMB, memorySizeMB * 2);
  const avgDurationMs = b.handlerMs / b.invocations;
  const avgDurationAtWhatIfMs = avgDurationMs * (b.waitingShare + (b.ownCodeShare * memorySizeMB) / whatIfMemoryMB);
  const slowest = b.slowest;
  const waits = slowest
    ? `The slowest downstream is ${slowest.label} (${pct(slowest.share)} of handler time, ${ms(slowest.avgCallMs)} a call).`
    : "It calls no traced downstream service.";
  const whatIf = whatIfMemoryMB > memorySizeMB
    ? `At ${whatIfMemoryMB} MB its mean handler time would go from ${ms(avgDurationMs)} to about ${ms(avgDurationAtWhatIfMs)}.`
    : `It already has the most memory Lambda gives.`;
  let text: string;
  if (b.lever === "memory") {
    text = `Own code takes ${pct(b.ownCodeShare)} of handler time: memory is the lever, since Lambda gives CPU in proportion to memory. ${whatIf} ${waits}`;
    if (memorySizeMB >= ONE_VCPU_MB) text += ` Above ${ONE_VCPU_MB} MB only code that uses more than one thread gets faster.`;
  } else if (b.lever === "downstream") {
    text = `The function waits on downstream services for ${pct(b.waitingShare)} of handler time: the downstream is the lever, not memory. ${waits} ${whatIf}` +
      (slowest ? ` Make the ${slowest.label} calls faster, fewer, parallel or asynchronous.` : "");
  } else {
    text = `Own code takes ${pct(b.ownCodeShare)} of handler time and waiting ${pct(b.waitingShare)}: neither lever dominates. ${waits} ${whatIf}`;
  }
  return { lever: b.lever, whatIfMemoryMB, avgDurationMs, avgDurationAtWhatIfMs, text };
}
