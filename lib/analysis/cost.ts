import { lambdaPriceFor, type Architecture } from "./prices";

export type { Architecture };

export interface InvocationCostInput {
  billedDurationMs: number | null;
  memorySizeMB: number | null;
  architecture?: Architecture | null;
  region?: string | null;
}

export function gbSeconds(billedDurationMs: number, memorySizeMB: number): number {
  return (billedDurationMs / 1000) * (memorySizeMB / 1024);
}

/**
 * Request price plus GB-seconds at the first tier. Billed Duration is taken as REPORT states it: it
 * already includes the billed INIT where AWS bills it and, for SnapStart, the Billed Restore Duration
 * (ceil(Duration) + Billed Restore Duration, AWS-FACTS.md), so nothing is added to it.
 * The free tier is not subtracted: it is per account and month, so no single invocation owns it.
 */
export function invocationCostUsd(input: InvocationCostInput): number | null {
  if (input.billedDurationMs === null || input.memorySizeMB === null) return null;
  const price = lambdaPriceFor(input.region);
  const firstTier = price.tiers[input.architecture ?? "x86_64"][0].usdPerGbSecond;
  return price.usdPerRequest + gbSeconds(input.billedDurationMs, input.memorySizeMB) * firstTier;
}

/** Compute cost of a month's GB-seconds with the tiers applied, for projections. */
export function monthlyComputeCostUsd(totalGbSeconds: number, architecture: Architecture, region?: string | null): number {
  let remaining = Math.max(0, totalGbSeconds);
  let previousLimit = 0;
  let cost = 0;
  for (const tier of lambdaPriceFor(region).tiers[architecture]) {
    const inTier = Math.min(remaining, tier.upToGbSeconds - previousLimit);
    cost += inTier * tier.usdPerGbSecond;
    remaining -= inTier;
    previousLimit = tier.upToGbSeconds;
    if (remaining <= 0) break;
  }
  return cost;
}

export interface MemoryEstimateInput {
  invocations: number;
  /** Average billed duration observed at the current memory size. */
  avgBilledDurationMs: number;
  currentMemoryMB: number;
  targetMemoryMB: number;
  architecture: Architecture;
  region?: string | null;
  /**
   * How duration responds to memory: 0 = not at all (I/O bound), 1 = inversely proportional (CPU bound,
   * Lambda allocates CPU in proportion to memory). Defaults to 0, the cautious assumption for savings.
   */
  cpuBoundFraction?: number;
}

/** Estimated cost of the same workload at another memory size, for right-sizing. */
export function costAtMemory(input: MemoryEstimateInput): { avgBilledDurationMs: number; costUsd: number } {
  const fraction = Math.min(1, Math.max(0, input.cpuBoundFraction ?? 0));
  const scale = input.currentMemoryMB / input.targetMemoryMB;
  const avgBilledDurationMs = Math.max(1, Math.ceil(input.avgBilledDurationMs * (1 - fraction + fraction * scale)));
  const price = lambdaPriceFor(input.region);
  const compute = monthlyComputeCostUsd(
    input.invocations * gbSeconds(avgBilledDurationMs, input.targetMemoryMB),
    input.architecture,
    input.region,
  );
  return { avgBilledDurationMs, costUsd: input.invocations * price.usdPerRequest + compute };
}
