import { demoQueues, type ErrorKind, type FunctionSpec, type Status } from "./catalog";
import type { Invocation, WindowResult } from "./model";
import { Rng, hashString, mix, rngFor } from "./random";

export const MINUTE = 60_000;
export const WINDOW_MS = 60 * MINUTE;

const MEM_FLOOR: Record<string, number> = { nodejs: 62, python: 38, java: 105, provided: 14 };

interface Attempt {
  requestId: string;
  attempt: number;
  start: number;
  durationMs: number;
  status: Status;
  kind?: ErrorKind;
  memoryUsedMb: number;
  key: number;
  sqsMessage?: { messageId: string; receiveCount: number };
}

/** How long an SQS message stays invisible after a receive: a failed batch comes back after it. */
function visibilityTimeoutMs(spec: FunctionSpec): number {
  const q = spec.eventSource?.kind === "sqs" ? demoQueues().find((d) => d.name === spec.eventSource!.name && d.region === spec.region) : undefined;
  return (q?.visibilityTimeout ?? 30) * 1000;
}

export interface GeneratorOptions {
  seed: number;
  rateMultiplier: number;
  historyStart: number;
  /** start of one incident burst (minute-aligned); the others are whole hours before and after it */
  incidentAnchor?: number;
}

export type DrillKind = "timeout" | "error" | "throttle";

/** A fire drill: every invocation arriving in [from, until) times out, fails or is throttled. */
export interface Drill {
  kind: DrillKind;
  from: number;
  until: number;
}

/** The fewest invocations a minute a drilled function gets, whatever its own rate then. */
export const DRILL_MIN_ARRIVALS_PER_MINUTE = 10;

/** The error a drilled handler throws, in its runtime's terms. */
export function drillError(runtime: string): ErrorKind {
  const message = "Fire drill: failure induced by `osprey sandbox drill`";
  if (runtime.startsWith("python")) return { type: "RuntimeError", message, weight: 1 };
  if (runtime.startsWith("java")) return { type: "java.lang.RuntimeException", message, weight: 1 };
  if (runtime.startsWith("provided")) return { type: "DrillError", message, weight: 1 };
  return { type: "Error", message, weight: 1 };
}

/** Whether t falls in an hourly burst of `lengthMinutes` that starts at `anchor` (and every hour from it). */
export function inIncidentBurst(t: number, anchor: number, lengthMinutes: number): boolean {
  const pos = (((t - anchor) % WINDOW_MS) + WINDOW_MS) % WINDOW_MS;
  return pos < lengthMinutes * MINUTE;
}

/** How many of the spec's deploys have happened by t, and when the latest did (null before the first). */
export function deploysBy(spec: FunctionSpec, anchor: number | undefined, t: number): { count: number; lastAt: number | null } {
  const times = anchor === undefined ? [] : (spec.deploys?.afterAnchorMinutes ?? []).map((m) => anchor + m * MINUTE).filter((at) => at <= t);
  return { count: times.length, lastAt: times.length ? times[times.length - 1] : null };
}

/** Everything about one function, generated per hour-long window of its own. */
export class FunctionGenerator {
  readonly fnKey: number;
  readonly offsetMs: number;
  private readonly lookbackMinutes: number;
  private readonly memFloor: number;
  private readonly visibilityMs: number;
  private drillList: Drill[] = [];
  /** changes with every drill, so cached windows generated before it are not reused */
  drillEpoch = 0;

  constructor(readonly spec: FunctionSpec, readonly index: number, private readonly opts: GeneratorOptions) {
    this.fnKey = hashString(`${spec.region}/${spec.name}`, opts.seed);
    this.offsetMs = (this.fnKey % 60) * MINUTE;
    this.lookbackMinutes = spec.async ? Math.ceil((3 * spec.timeoutS * 1000 + 200_000) / MINUTE) + 1 : 0;
    this.visibilityMs = visibilityTimeoutMs(spec);
    const family = Object.keys(MEM_FLOOR).find((k) => spec.runtime.startsWith(k)) ?? "nodejs";
    this.memFloor = MEM_FLOOR[family];
  }

  get drills(): readonly Drill[] {
    return this.drillList;
  }

  /** Adds a drill; it changes only invocations that arrive from `d.from` on. */
  addDrill(d: Drill): void {
    this.drillList = [...this.drillList, d];
    this.drillEpoch++;
  }

  drillAt(t: number): Drill | undefined {
    for (let i = this.drillList.length - 1; i >= 0; i--) {
      const d = this.drillList[i];
      if (t >= d.from && t < d.until) return d;
    }
    return undefined;
  }

  windowIndex(t: number): number {
    return Math.floor((t - this.offsetMs) / WINDOW_MS);
  }

  windowStart(w: number): number {
    return this.offsetMs + w * WINDOW_MS;
  }

  /** Mean primary arrivals in epoch minute m. */
  rate(m: number): number {
    const s = this.spec;
    if (s.everyMinutes) return m % s.everyMinutes === this.fnKey % s.everyMinutes ? 1 : 0;
    const hour = ((m / 60) % 24 + 24) % 24;
    const peak = s.region.startsWith("eu") ? 11 : 16;
    const daily = s.flat ? 1 : 0.2 + 0.8 * (0.5 + 0.5 * Math.cos((2 * Math.PI * (hour - peak)) / 24));
    const noise = rngFor(this.fnKey, 1, Math.floor(m / 10)).logNormal(1, 0.3);
    let burst = 1;
    if (s.bursty) {
      const r = rngFor(this.fnKey, 2, Math.floor(m / 30));
      if (r.chance(0.25)) {
        const from = r.int(26);
        const len = 2 + r.int(4);
        const pos = ((m % 30) + 30) % 30;
        if (pos >= from && pos < from + len) burst = 4 + r.int(4);
      }
    }
    return s.ratePerMin * daily * noise * burst * this.opts.rateMultiplier;
  }

  /**
   * Arrival times in minute m: the function's own traffic, and while a drill runs at least
   * DRILL_MIN_ARRIVALS_PER_MINUTE, so a drill at the trough of a function's day (or on a function
   * scheduled every few minutes) still fails visibly. The extra arrivals start no earlier than the
   * drill, so nothing already served before it changes.
   */
  private arrivals(m: number): { start: number; r: Rng }[] {
    const s = this.spec;
    const n = s.everyMinutes ? Math.round(this.rate(m)) : rngFor(this.fnKey, 3, m).poisson(this.rate(m));
    const starts: { start: number; r: Rng }[] = [];
    for (let i = 0; i < n; i++) {
      const r = rngFor(this.fnKey, 4, m, i);
      starts.push({ start: m * MINUTE + (s.everyMinutes ? r.int(2000) : r.int(MINUTE)), r });
    }
    for (const d of this.drillList) {
      const from = Math.max(d.from, m * MINUTE);
      const until = Math.min(d.until, (m + 1) * MINUTE);
      if (until <= from) continue;
      const own = starts.filter((a) => a.start >= from && a.start < until).length;
      const wanted = Math.ceil((DRILL_MIN_ARRIVALS_PER_MINUTE * (until - from)) / MINUTE);
      for (let i = own; i < wanted; i++) {
        const r = rngFor(this.fnKey, 6, Math.floor(d.from / 1000), m, starts.length);
        starts.push({ start: from + r.int(until - from), r });
      }
    }
    return starts;
  }

  private primaries(m: number): Attempt[][] {
    const s = this.spec;
    const chains: Attempt[][] = [];
    const starts = this.arrivals(m);
    for (let i = 0; i < starts.length; i++) {
      const { start, r } = starts[i];
      if (start < this.opts.historyStart) continue;
      // Lambda retries a failed asynchronous event under the same request id. An SQS message whose batch
      // failed is received again once its visibility timeout ends: a new invocation, a new request id,
      // and the message's ApproximateReceiveCount one higher.
      const sqs = s.eventSource?.kind === "sqs";
      let requestId = r.uuid();
      const messageId = sqs ? rngFor(this.fnKey, 7, m, i).uuid() : undefined;
      const chain: Attempt[] = [];
      let at = start;
      let prev: Attempt | undefined;
      for (let a = 1; a <= 3; a++) {
        // Each receive of an SQS message is a first attempt to Lambda: its own request id, no retry of another.
        const att = this.attempt(requestId, sqs ? 1 : a, at, mix(this.fnKey, 5, m, i, a), prev);
        if (messageId) att.sqsMessage = { messageId, receiveCount: a };
        chain.push(att);
        if (!s.async || att.status === "success") break;
        if (sqs) {
          at = att.start + Math.max(this.visibilityMs, Math.round(att.durationMs)) + rngFor(att.key, 1).int(2000);
          requestId = rngFor(att.key, 4).uuid();
        } else {
          at = att.start + Math.round(att.durationMs) + (a === 1 ? 60_000 : 120_000) + rngFor(att.key, 1).int(8000);
        }
        prev = att;
      }
      chains.push(chain);
    }
    return chains;
  }

  private attempt(requestId: string, attempt: number, start: number, key: number, prev?: Attempt): Attempt {
    const s = this.spec;
    const r = new Rng(key);
    let durationMs = Math.max(0.8, r.logNormal(s.durationMedianMs, s.durationSigma));
    let status: Status = "success";
    let kind: ErrorKind | undefined;
    let memFraction = r.logNormal(s.memFraction, s.memSigma);
    const roll = r.next();
    const drill = this.drillList.length ? this.drillAt(start) : undefined;
    const burst = s.incident && this.opts.incidentAnchor !== undefined && inIncidentBurst(start, this.opts.incidentAnchor, s.incident.lengthMinutes) ? s.incident : undefined;
    const worse = s.deploys?.worse;
    const badCode = worse && deploysBy(s, this.opts.incidentAnchor, start).count - 1 === worse.index ? worse : undefined;
    if (badCode) durationMs *= badCode.durationFactor;
    if (drill?.kind === "timeout") {
      status = "timeout";
      durationMs = s.timeoutS * 1000 + r.range(0.5, 20);
    } else if (drill?.kind === "error") {
      status = "error";
      kind = drillError(s.runtime);
    } else if (roll < s.crashRate) {
      status = "crash";
      durationMs *= r.range(0.1, 0.9);
    } else if (roll < s.crashRate + s.oomRate) {
      status = "out_of_memory";
      durationMs *= r.range(0.3, 0.95);
      memFraction = 1;
    } else if (durationMs >= s.timeoutS * 1000) {
      status = "timeout";
      durationMs = s.timeoutS * 1000 + r.range(0.5, 20);
    } else if (burst && r.chance(burst.errorRate)) {
      status = "error";
      kind = burst.kind;
    } else if (badCode && r.chance(badCode.crashRate)) {
      status = "crash";
      durationMs *= r.range(0.1, 0.9);
    } else if (prev?.kind?.permanent ? r.chance(0.9) : r.chance(s.errorRate)) {
      status = "error";
      kind = prev?.kind?.permanent ? prev.kind : pickWeighted(r, s.errorKinds);
    }
    durationMs = Math.round(durationMs * 100) / 100;
    const memoryUsedMb = status === "out_of_memory"
      ? s.memoryMb
      : Math.min(s.memoryMb - 1, Math.max(this.memFloor, Math.round(s.memoryMb * memFraction)));
    return { requestId, attempt, start, durationMs, status, kind, memoryUsedMb, key };
  }

  /** Simulates the execution environments of window w: pure in (seed, function, w). */
  window(w: number): WindowResult {
    const s = this.spec;
    const ws = this.windowStart(w);
    const we = ws + WINDOW_MS;
    const firstMinute = ws / MINUTE - this.lookbackMinutes;
    const attempts: Attempt[] = [];
    for (let m = firstMinute; m < we / MINUTE; m++) {
      for (const chain of this.primaries(m)) {
        for (const a of chain) if (a.start >= ws && a.start < we) attempts.push(a);
      }
    }
    attempts.sort((a, b) => a.start - b.start || (a.requestId < b.requestId ? -1 : 1));

    interface Slot { busyUntil: number; lastEnd: number; alive: boolean; idleLimit: number; stream: string }
    const slots: Slot[] = [];
    const invocations: Invocation[] = [];
    const throttles: number[] = [];
    const concurrency = new Int32Array(60);

    for (const a of attempts) {
      // A throttle drill: Lambda refuses every invocation, as with reserved concurrency 0; no log lines.
      if (this.drillList.length && this.drillAt(a.start)?.kind === "throttle") {
        throttles.push(a.start);
        continue;
      }
      let busy = 0;
      for (const sl of slots) if (sl.busyUntil > a.start) busy++;
      if (s.reservedConcurrency !== undefined && busy >= s.reservedConcurrency) {
        throttles.push(a.start);
        continue;
      }
      let slot = slots.find((sl) => sl.alive && sl.busyUntil <= a.start && a.start - sl.lastEnd <= sl.idleLimit);
      const r = rngFor(a.key, 2);
      let coldStart = false;
      let initDurationMs: number | undefined;
      let restoreDurationMs: number | undefined;
      let billedRestoreDurationMs: number | undefined;
      let status = a.status;
      let kind = a.kind;
      let durationMs = a.durationMs;
      let initFailed = false;
      let failedInitMs: number | undefined;
      if (!slot) {
        coldStart = true;
        const init = Math.round(r.logNormal(s.initMedianMs, 0.25) * 100) / 100;
        const envKey = mix(this.fnKey, 6, w, slots.length, a.start);
        let idx = slots.findIndex((sl) => sl.busyUntil <= a.start);
        if (idx < 0) idx = slots.length;
        const stream = streamName(a.start - init, s.version, envKey);
        slot = { busyUntil: 0, lastEnd: 0, alive: true, idleLimit: (6 + (envKey % 9)) * MINUTE, stream };
        slots[idx] = slot;
        if (s.snapStart) {
          restoreDurationMs = init;
          billedRestoreDurationMs = Math.ceil(init * 0.55);
        } else if (s.initErrorRate > 0 && r.chance(s.initErrorRate)) {
          initFailed = true;
          failedInitMs = init;
          status = "crash";
          kind = { type: "Runtime.ImportModuleError", message: "Unable to import module 'app': No module named 'pandas'", weight: 1 };
          durationMs = Math.round(init * r.range(0.9, 1.2) * 100) / 100;
        } else {
          initDurationMs = init;
        }
      }
      const end = a.start + durationMs;
      slot.busyUntil = end;
      slot.lastEnd = end;
      if (status !== "success" && status !== "error") slot.alive = false;
      const minute = Math.floor((a.start - ws) / MINUTE);
      concurrency[minute] = Math.max(concurrency[minute], busy + 1);

      const billedMs = s.snapStart
        ? Math.ceil(durationMs) + (billedRestoreDurationMs ?? 0)
        : Math.ceil(Math.round((durationMs + (initDurationMs ?? 0)) * 100) / 100);
      const traced = s.tracing === "Active";
      const tr = rngFor(a.key, 3);
      const arrival = a.start - (initDurationMs ?? restoreDurationMs ?? failedInitMs ?? 0);
      invocations.push({
        functionName: s.name,
        region: s.region,
        requestId: a.requestId,
        attempt: a.attempt,
        start: a.start,
        end,
        durationMs,
        billedMs,
        memorySizeMb: s.memoryMb,
        memoryUsedMb: initFailed ? this.memFloor : a.memoryUsedMb,
        initDurationMs,
        restoreDurationMs,
        billedRestoreDurationMs,
        coldStart,
        status,
        errorType: status === "error" || initFailed ? kind?.type : status === "timeout" ? "Sandbox.Timedout" : status === "out_of_memory" ? "Runtime.OutOfMemory" : status === "crash" ? "Runtime.ExitError" : undefined,
        errorMessage: status === "error" || initFailed ? kind?.message : undefined,
        traceId: traced ? traceIdFor(arrival, this.index, tr) : undefined,
        segmentId: traced ? tr.hex(16) : undefined,
        logStreamName: slot.stream,
        version: s.version,
        key: a.key,
        initFailed: initFailed || undefined,
        failedInitMs,
        sqsMessage: a.sqsMessage,
      });
    }
    return { start: ws, invocations, throttles, concurrency };
  }
}

function pickWeighted(r: Rng, kinds: ErrorKind[]): ErrorKind {
  const total = kinds.reduce((n, k) => n + k.weight, 0);
  let x = r.next() * total;
  for (const k of kinds) {
    x -= k.weight;
    if (x < 0) return k;
  }
  return kinds[kinds.length - 1];
}

function streamName(t: number, version: string, envKey: number): string {
  const d = new Date(t);
  const date = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${String(d.getUTCDate()).padStart(2, "0")}`;
  return `${date}/[${version}]${new Rng(envKey).hex(32)}`;
}

/** X-Ray trace ids carry the function index so BatchGetTraces can find the invocation again. */
function traceIdFor(arrival: number, fnIndex: number, r: Rng): string {
  const secs = Math.floor(arrival / 1000).toString(16).padStart(8, "0");
  return `1-${secs}-${fnIndex.toString(16).padStart(4, "0")}${r.hex(20)}`;
}

export function parseTraceId(id: string): { seconds: number; fnIndex: number } | undefined {
  const m = /^1-([0-9a-f]{8})-([0-9a-f]{4})[0-9a-f]{20}$/.exec(id);
  if (!m) return undefined;
  return { seconds: parseInt(m[1], 16), fnIndex: parseInt(m[2], 16) };
}
