import { hashString, mix, Rng } from "./workload/random";

export interface FaultRule {
  throttleRate?: number;
  http500Rate?: number;
  http503Rate?: number;
  slowMs?: number;
  slowRate?: number;
  /** the answer starts, then the connection is cut halfway through its body */
  cutRate?: number;
  /** the connection is reset before any answer */
  resetRate?: number;
}

/** Per operation name (e.g. "FilterLogEvents") or "*" for every operation. */
export interface FaultConfig {
  [operation: string]: FaultRule;
}

export interface FaultDecision {
  delayMs: number;
  outcome?: "throttle" | "http500" | "http503" | "cut" | "reset";
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
    let x = r.next();
    const outcomes: [NonNullable<FaultDecision["outcome"]>, number | undefined][] = [
      ["throttle", rule.throttleRate],
      ["http500", rule.http500Rate],
      ["http503", rule.http503Rate],
      ["cut", rule.cutRate],
      ["reset", rule.resetRate],
    ];
    for (const [outcome, rate] of outcomes) {
      if (x < (rate ?? 0)) return { delayMs: slow, outcome };
      x -= rate ?? 0;
    }
    return { delayMs: slow };
  }
}

export interface FaultSpec {
  faults: FaultConfig;
  seed?: number;
}

const RATE_KEYS: Record<string, (rule: FaultRule, rate: number) => void> = {
  throttle: (r, v) => (r.throttleRate = v),
  // "5xx" is split evenly between the two answers AWS gives when it fails: 500 and 503.
  "5xx": (r, v) => ((r.http500Rate = v / 2), (r.http503Rate = v / 2)),
  "500": (r, v) => (r.http500Rate = v),
  "503": (r, v) => (r.http503Rate = v),
  cut: (r, v) => (r.cutRate = v),
  reset: (r, v) => (r.resetRate = v),
  slowrate: (r, v) => (r.slowRate = v),
};

/**
 * Parses a fault spec such as "throttle=0.3,5xx=0.1,reset=0.05,cut=0.05,slow=200,seed=42" (the
 * `sandbox --faults` option and OSPREY_SANDBOX_FAULTS): rates apply to every operation.
 */
export function parseFaultSpec(spec: string): FaultSpec {
  const rule: FaultRule = {};
  let seed: number | undefined;
  for (const part of spec.split(",").map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z0-9]+)=(\d+(?:\.\d+)?)$/i.exec(part);
    if (!m) throw new Error(`invalid fault "${part}": expected name=value, e.g. throttle=0.3`);
    const [name, value] = [m[1].toLowerCase(), Number(m[2])];
    if (name === "seed") seed = Math.floor(value);
    else if (name === "slow") rule.slowMs = value;
    else if (RATE_KEYS[name]) {
      if (value > 1) throw new Error(`invalid fault "${part}": a rate is between 0 and 1`);
      RATE_KEYS[name](rule, value);
    } else throw new Error(`unknown fault "${name}" (known: ${[...Object.keys(RATE_KEYS), "slow", "seed"].join(", ")})`);
  }
  const total = (rule.throttleRate ?? 0) + (rule.http500Rate ?? 0) + (rule.http503Rate ?? 0) + (rule.cutRate ?? 0) + (rule.resetRate ?? 0);
  if (total > 1) throw new Error(`fault rates add up to ${total}, more than 1`);
  return { faults: Object.keys(rule).length ? { "*": rule } : {}, seed };
}
