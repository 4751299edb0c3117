import {
  ACCOUNT_ID, benchFunctions, demoApis, demoFunctions, demoQueues, demoTables, functionArn, logGroupOf,
  type ApiSpec, type FunctionSpec, type QueueSpec, type TableSpec,
} from "./workload/catalog";
import { FunctionGenerator, MINUTE, deploysBy, WINDOW_MS, parseTraceId, type Drill, type DrillKind } from "./workload/generator";
import { formatInvocation } from "./workload/log-format";
import { Lru } from "./workload/lru";
import { hashString } from "./workload/random";
import type { FunctionInfo, Invocation, LogEvent, WindowResult } from "./workload/model";
import { traceOf, type Trace } from "./workload/traces";

export type { FunctionInfo, Invocation, LogEvent } from "./workload/model";
export type { ApiSpec, FunctionSpec, QueueSpec, Status, TableSpec } from "./workload/catalog";
export type { Trace } from "./workload/traces";
export type { Drill, DrillKind } from "./workload/generator";

/** The first incident burst of checkout-api starts this long after the sandbox starts (whole minutes). */
export const FIRST_INCIDENT_AFTER_MS = 3 * MINUTE;

export interface DrillInfo extends Drill {
  functionName: string;
  region: string;
}

export interface WorkloadOptions {
  seed?: number;
  now?: () => number;
  /** first instant that has history; nothing before it exists */
  historyStart: number;
  scale?: { functions?: number; rate?: number; activeShare?: number };
  cacheWindows?: number;
  /** when set, every log event becomes visible (its ingestionTime) this long after its timestamp */
  ingestionDelayMs?: number;
  /** share (0-1) of application log lines that carry a NUL byte and an unpaired surrogate, as a buggy logger can write */
  poisonRate?: number;
  /** when the sandbox started (default: the clock at construction); the hourly incident bursts are timed from it */
  startedAt?: number;
}

// What a poisoned line carries: a NUL (Postgres text refuses it) and a lone high surrogate.
export const POISON_TEXT = "bad\u0000byte \uD800 ";

export interface LogGroupInfo {
  name: string;
  region: string;
  createdAt: number;
  retentionDays?: number;
  fn?: FunctionInfo;
}

export interface LogStreamInfo {
  logStreamName: string;
  creationTime: number;
  firstEventTimestamp: number;
  lastEventTimestamp: number;
  lastIngestionTime: number;
}

const GROUP_CREATED = Date.UTC(2024, 2, 11, 9, 30, 0);
// Log events of an invocation precede START by at most its init phase.
const MAX_INIT_MS = 15_000;
// Traces become readable shortly after the invocation ends.
const TRACE_DELAY_MS = 10_000;

/** Ground truth of the simulated account, generated lazily per function and hour. */
export class Workload {
  readonly seed: number;
  readonly historyStart: number;
  /** start of the first incident burst after the sandbox started; the others are whole hours from it */
  readonly incidentAnchor: number;
  private readonly clock: () => number;
  private readonly generators: FunctionGenerator[] = [];
  private readonly byName = new Map<string, FunctionGenerator>();
  private readonly byGroup = new Map<string, FunctionGenerator>();
  private readonly windows: Lru<string, WindowResult>;
  private readonly streamSummaries = new Lru<string, LogStreamInfo[]>(4096);
  private poisonRate = 0;
  private readonly ingestionDelayMs: number | undefined;

  constructor(opts: WorkloadOptions) {
    this.seed = opts.seed ?? 1;
    this.clock = opts.now ?? Date.now;
    this.historyStart = opts.historyStart;
    const bench = benchFunctions(opts.scale?.functions ?? 0, this.seed, opts.scale?.activeShare ?? 1);
    // An hour window per function, and a pass reads across two of them: room for every active function's.
    const active = bench.filter((f) => f.ratePerMin > 0).length;
    this.windows = new Lru(opts.cacheWindows ?? Math.max(96, 2 * active + 32));
    this.poisonRate = opts.poisonRate ?? 0;
    this.ingestionDelayMs = opts.ingestionDelayMs;
    this.incidentAnchor = Math.floor((opts.startedAt ?? this.clock()) / MINUTE) * MINUTE + FIRST_INCIDENT_AFTER_MS;
    const specs = [...demoFunctions(), ...bench];
    specs.forEach((spec, index) => {
      const gen = new FunctionGenerator(spec, index, { seed: this.seed, rateMultiplier: opts.scale?.rate ?? 1, historyStart: this.historyStart, incidentAnchor: this.incidentAnchor });
      this.generators.push(gen);
      this.byName.set(`${spec.region}/${spec.name}`, gen);
      this.byGroup.set(`${spec.region}|${logGroupOf(spec)}`, gen);
    });
  }

  now(): number {
    return this.clock();
  }

  get cachedWindows(): number {
    return this.windows.size;
  }

  private info(gen: FunctionGenerator): FunctionInfo {
    const spec = { ...gen.spec, ...this.configChanges.get(gen.index) };
    return { spec, arn: functionArn(gen.spec), logGroupName: logGroupOf(gen.spec), index: gen.index, deploys: deploysBy(gen.spec, this.incidentAnchor, this.clock()) };
  }

  // Control-plane changes made by tests (a function deleted, its memory resized). They change
  // what the Lambda API reports, not the history already generated.
  private readonly deleted = new Set<number>();
  private readonly configChanges = new Map<number, Partial<FunctionSpec>>();

  deleteFunction(name: string, region: string): void {
    const gen = this.gen(name, region);
    if (gen) this.deleted.add(gen.index);
  }

  updateFunctionConfiguration(name: string, region: string, change: Partial<Pick<FunctionSpec, "memoryMb" | "timeoutS">>): void {
    const gen = this.gen(name, region);
    if (gen) this.configChanges.set(gen.index, { ...this.configChanges.get(gen.index), ...change });
  }

  listFunctions(region: string): FunctionInfo[] {
    return this.generators.filter((g) => g.spec.region === region && !this.deleted.has(g.index)).map((g) => this.info(g));
  }

  getFunction(nameOrArn: string, region: string): FunctionInfo | undefined {
    const name = nameOrArn.startsWith("arn:") ? nameOrArn.split(":")[6] : nameOrArn.split(":")[0];
    const gen = this.byName.get(`${region}/${name}`);
    return gen && !this.deleted.has(gen.index) ? this.info(gen) : undefined;
  }

  functionByIndex(index: number): FunctionInfo | undefined {
    const gen = this.generators[index];
    return gen && this.info(gen);
  }

  private window(gen: FunctionGenerator, w: number): WindowResult {
    return this.windows.getOrCreate(`${gen.index}:${w}:${gen.drillEpoch}`, () => gen.window(w));
  }

  /**
   * Starts a fire drill on a function from now for `minutes`: invocations arriving meanwhile time out,
   * fail or are throttled. Returns undefined when there is no such function (in `region`, or in any).
   */
  startDrill(functionName: string, kind: DrillKind, minutes: number, region?: string): DrillInfo | undefined {
    const gen = region ? this.gen(functionName, region) : this.generators.find((g) => g.spec.name === functionName);
    if (!gen || this.deleted.has(gen.index)) return undefined;
    const from = this.now();
    const drill: Drill = { kind, from, until: from + minutes * MINUTE };
    gen.addDrill(drill);
    return { ...drill, functionName: gen.spec.name, region: gen.spec.region };
  }

  /** Drills still running now, oldest first. */
  activeDrills(): DrillInfo[] {
    const now = this.now();
    return this.generators.flatMap((g) => g.drills.filter((d) => d.until > now && d.from <= now).map((d) => ({ ...d, functionName: g.spec.name, region: g.spec.region })));
  }

  private gen(functionName: string, region: string): FunctionGenerator | undefined {
    return this.byName.get(`${region}/${functionName}`);
  }

  private *windowsBetween(gen: FunctionGenerator, fromMs: number, toMs: number): Generator<WindowResult> {
    const from = Math.max(fromMs, this.historyStart);
    const to = Math.min(toMs, this.now() + 1);
    if (to <= from) return;
    for (let w = gen.windowIndex(from); w <= gen.windowIndex(to - 1); w++) yield this.window(gen, w);
  }

  /** Invocations (every attempt) that started in [fromMs, toMs) and no later than now. */
  invocations(functionName: string, region: string, fromMs: number, toMs: number): Invocation[] {
    const gen = this.gen(functionName, region);
    if (!gen) return [];
    const now = this.now();
    const out: Invocation[] = [];
    for (const win of this.windowsBetween(gen, fromMs, toMs)) {
      for (const inv of win.invocations) if (inv.start >= fromMs && inv.start < toMs && inv.start <= now) out.push(inv);
    }
    return out;
  }

  throttles(functionName: string, region: string, fromMs: number, toMs: number): number[] {
    const gen = this.gen(functionName, region);
    if (!gen) return [];
    const now = this.now();
    const out: number[] = [];
    for (const win of this.windowsBetween(gen, fromMs, toMs)) {
      for (const t of win.throttles) if (t >= fromMs && t < toMs && t <= now) out.push(t);
    }
    return out;
  }

  /** Highest concurrency per minute: [minute start, value] for minutes with activity. */
  concurrency(functionName: string, region: string, fromMs: number, toMs: number): [number, number][] {
    const gen = this.gen(functionName, region);
    if (!gen) return [];
    const now = this.now();
    const out: [number, number][] = [];
    for (const win of this.windowsBetween(gen, fromMs, toMs)) {
      win.concurrency.forEach((v, i) => {
        const t = win.start + i * MINUTE;
        if (v > 0 && t >= fromMs && t < toMs && t <= now) out.push([t, v]);
      });
    }
    return out;
  }

  logGroups(region: string): LogGroupInfo[] {
    const groups: LogGroupInfo[] = this.generators
      .filter((g) => g.spec.region === region)
      .map((g) => ({ name: logGroupOf(g.spec), region, createdAt: GROUP_CREATED + g.index * 3_600_000, retentionDays: g.spec.retentionDays, fn: this.info(g) }));
    groups.push({ name: `API-Gateway-Execution-Logs_${region === "us-east-1" ? "a1b2c3d4e5" : "e5u4r3o2p1"}/prod`, region, createdAt: GROUP_CREATED, retentionDays: 7 });
    groups.push({ name: "/aws/lambda/deleted-function", region, createdAt: GROUP_CREATED - 86_400_000 * 30 });
    return groups.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  functionForLogGroup(logGroupName: string, region: string): FunctionInfo | undefined {
    const gen = this.byGroup.get(`${region}|${logGroupName}`);
    return gen && this.info(gen);
  }

  /**
   * Every event of the group with a timestamp in [fromMs, toMs) that exists by now, including
   * those not yet visible (ingestionTime > now), sorted by timestamp, ingestion time, event id.
   */
  /** From now on, this share of application log lines carries POISON_TEXT (0 turns it off). */
  setPoisonRate(rate: number): void {
    this.poisonRate = rate;
  }

  /** Whether this event's message is poisoned: decided by its id, so every read agrees. */
  private poisoned(e: LogEvent): LogEvent {
    if (this.poisonRate <= 0 || !e.message.includes("\tINFO\t")) return e;
    if (hashString(e.eventId, this.seed) / 0x1_0000_0000 >= this.poisonRate) return e;
    return { ...e, message: e.message.replace("\tINFO\t", `\tINFO\t${POISON_TEXT}`) };
  }

  logEvents(logGroupName: string, region: string, fromMs: number, toMs: number): LogEvent[] {
    const gen = this.byGroup.get(`${region}|${logGroupName}`);
    if (!gen) return [];
    const now = this.now();
    const out: LogEvent[] = [];
    const span = gen.spec.timeoutS * 1000 + 2000;
    for (const inv of this.invocations(gen.spec.name, region, fromMs - span, toMs + MAX_INIT_MS)) {
      if (inv.end < fromMs - 1000) continue;
      for (const e of formatInvocation(gen.spec, inv)) {
        if (this.ingestionDelayMs !== undefined) e.ingestionTime = e.timestamp + this.ingestionDelayMs;
        if (e.timestamp >= fromMs && e.timestamp < toMs && e.timestamp <= now) out.push(this.poisoned(e));
      }
    }
    return out.sort(compareEvents);
  }

  logStreams(logGroupName: string, region: string): LogStreamInfo[] {
    const gen = this.byGroup.get(`${region}|${logGroupName}`);
    if (!gen) return [];
    const now = this.now();
    const byName = new Map<string, LogStreamInfo>();
    const first = gen.windowIndex(this.historyStart);
    const last = gen.windowIndex(now);
    const span = gen.spec.timeoutS * 1000 + 60_000;
    for (let w = first; w <= last; w++) {
      const complete = gen.windowStart(w) + WINDOW_MS + span < now;
      const key = `${gen.index}:${w}:${gen.drillEpoch}`;
      let summaries = complete ? this.streamSummaries.get(key) : undefined;
      if (!summaries) {
        summaries = this.summarise(gen, w, now);
        if (complete) this.streamSummaries.set(key, summaries);
      }
      for (const s of summaries) {
        const prev = byName.get(s.logStreamName);
        if (!prev) byName.set(s.logStreamName, { ...s });
        else {
          prev.lastEventTimestamp = Math.max(prev.lastEventTimestamp, s.lastEventTimestamp);
          prev.lastIngestionTime = Math.max(prev.lastIngestionTime, s.lastIngestionTime);
        }
      }
    }
    return [...byName.values()];
  }

  private summarise(gen: FunctionGenerator, w: number, now: number): LogStreamInfo[] {
    const ws = gen.windowStart(w);
    const streams = new Map<string, LogStreamInfo>();
    for (const inv of this.invocations(gen.spec.name, gen.spec.region, ws, ws + WINDOW_MS)) {
      const first = Math.floor(inv.start - (inv.initDurationMs ?? inv.restoreDurationMs ?? inv.failedInitMs ?? 0));
      const last = Math.min(now, Math.floor(inv.end));
      const s = streams.get(inv.logStreamName);
      if (!s) {
        streams.set(inv.logStreamName, { logStreamName: inv.logStreamName, creationTime: first, firstEventTimestamp: first, lastEventTimestamp: last, lastIngestionTime: Math.min(now, last + 5000) });
      } else {
        s.lastEventTimestamp = Math.max(s.lastEventTimestamp, last);
        s.lastIngestionTime = Math.max(s.lastIngestionTime, Math.min(now, last + 5000));
      }
    }
    return [...streams.values()];
  }

  /** Traces of traced functions whose trace started in [fromMs, toMs) and are complete by now. */
  traces(region: string, fromMs: number, toMs: number, functionNames?: string[]): Trace[] {
    const now = this.now();
    const out: Trace[] = [];
    for (const g of this.generators) {
      if (g.spec.region !== region || g.spec.tracing !== "Active") continue;
      if (functionNames && !functionNames.includes(g.spec.name)) continue;
      for (const inv of this.invocations(g.spec.name, region, fromMs - MAX_INIT_MS, toMs + MAX_INIT_MS)) {
        const t = traceOf(g.spec, inv);
        if (t && t.start >= fromMs && t.start < toMs && t.end + TRACE_DELAY_MS <= now) out.push(t);
      }
    }
    return out.sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1));
  }

  traceById(region: string, traceId: string): Trace | undefined {
    const p = parseTraceId(traceId);
    if (!p) return undefined;
    const fn = this.generators[p.fnIndex];
    if (!fn || fn.spec.region !== region) return undefined;
    const from = p.seconds * 1000;
    for (const inv of this.invocations(fn.spec.name, region, from - 1000, from + 1000 + MAX_INIT_MS)) {
      if (inv.traceId === traceId) {
        const t = traceOf(fn.spec, inv);
        return t && t.end + TRACE_DELAY_MS <= this.now() ? t : undefined;
      }
    }
    return undefined;
  }

  listQueues(region: string): QueueSpec[] {
    return demoQueues().filter((q) => q.region === region);
  }

  listTables(region: string): TableSpec[] {
    return demoTables().filter((t) => t.region === region);
  }

  listApis(region: string): ApiSpec[] {
    return demoApis().filter((a) => a.region === region);
  }

  get accountId(): string {
    return ACCOUNT_ID;
  }

  specs(): FunctionSpec[] {
    return this.generators.map((g) => g.spec);
  }
}

export function compareEvents(a: LogEvent, b: LogEvent): number {
  return a.timestamp - b.timestamp || a.ingestionTime - b.ingestionTime || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
}
