import { hashString, mix, Rng } from "./workload/random";

export interface FaultRule {
  throttleRate?: number;
  http500Rate?: number;
  slowMs?: number;
  slowRate?: number;
  cutRate?: number;
}

/** Per operation name (e.g. "FilterLogEvents") or "*" for every operation. */
export interface FaultConfig {
  [operation: string]: FaultRule;
}

export interface FaultDecision {
  delayMs: number;
  outcome?: "throttle" | "http500" | "cut";
}

/** Decides faults per call from a seeded sequence per operation, so a run is reproducible. */
export class FaultInjector {
  private config: FaultConfig = {};
  private readonly counters = new Map<string, number>();

  constructor(private readonly seed: number, config?: FaultConfig) {
    this.set(config ?? {});
  }

  set(config: FaultConfig): void {
    this.config = { ...config };
    this.counters.clear();
  }

  decide(operation: string): FaultDecision {
    const rule = this.config[operation] ?? this.config["*"];
    if (!rule) return { delayMs: 0 };
    const n = this.counters.get(operation) ?? 0;
    this.counters.set(operation, n + 1);
    const r = new Rng(mix(this.seed, hashString(operation), n));
    const slow = rule.slowMs && r.next() < (rule.slowRate ?? 1) ? rule.slowMs : 0;
    const x = r.next();
    const t = rule.throttleRate ?? 0;
    const e = rule.http500Rate ?? 0;
    const c = rule.cutRate ?? 0;
    const outcome = x < t ? "throttle" : x < t + e ? "http500" : x < t + e + c ? "cut" : undefined;
    return { delayMs: slow, outcome };
  }
}
