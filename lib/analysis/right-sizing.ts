import { formatMb } from "@/lib/util/units";
/**
 * The one right-sizing engine: the memory insight card and the cost page's right-sizing table both ask it,
 * so a function gets the same advice, and the same monthly figures, in both places.
 *
 * - Recommended size: the highest memory used plus 30 % headroom, rounded up to 64 MB (insights/memory.ts).
 * - Never less memory for a function that times out or runs near its timeout: less memory is less CPU, and
 *   a slower run would time out more. Out of memory, or a peak above 95 % of memory, asks for more.
 * - Monthly figures extrapolate the window's invocation rate to 30 days at the window's average billed
 *   duration; `basis` says so in words, for the reader to reconcile them with other projections.
 * - How duration moves with memory: with the own-code share of the function's X-Ray traces (trace-breakdown.ts),
 *   only that share scales with memory (Lambda gives CPU in proportion to memory; waiting on a downstream does
 *   not speed up). Without traces the options assume I/O-bound (duration unchanged), the cautious one for savings.
 */
import { costAtMemory, type Architecture } from "./cost";
import { MAX_MEMORY_MB, MEMORY_HEADROOM, memoryWithHeadroomMB } from "./insights/memory";
import { HOURS_PER_MONTH } from "./insights/prices";

const MONTH_MS = HOURS_PER_MONTH * 3_600_000;
export const RIGHT_SIZING_MONTH_DAYS = HOURS_PER_MONTH / 24;

/** A window's invocation count at a month's length, the basis of every monthly Lambda figure. */
export function monthlyInvocations(invocations: number, windowMs: number): number {
  return (invocations * MONTH_MS) / windowMs;
}
/** p99 at or above this share of the timeout counts as running near it. */
export const NEAR_TIMEOUT_RATIO = 0.8;
/** A peak above this share of memory is one heavier request from running out (the memory-nearly-exhausted card's default). */
export const NEARLY_EXHAUSTED_RATIO = 0.95;
/** Familiar sizes offered next to the recommendation on the cost page. */
export const COMMON_MEMORY_SIZES_MB = [128, 256, 512, 1024, 1536, 2048, 3008, 4096, 6144, 8192, 10240];

export interface RightSizingInput {
  memorySizeMB: number;
  /** Highest Max Memory Used in the window; null when no REPORT carried it. */
  maxMemoryUsedMB: number | null;
  timeoutS: number | null;
  invocations: number;
  timeouts: number;
  outOfMemory: number;
  p99Ms: number | null;
  /** Billed duration summed over the window's invocations. */
  billedMs: number;
  windowMs: number;
  architecture: Architecture;
  region?: string | null;
  /** Share of handler time in the function's own code, from its traces (0..1); null or absent without traces. */
  ownCodeShare?: number | null;
}

export type RightSizingAction = "cut" | "raise" | "keep";

/** Why the engine does not advise a smaller size although the memory used would allow one. */
export type RightSizingHold = "timeouts" | "near-timeout" | "out-of-memory";

export interface RightSizingOption {
  memoryMB: number;
  avgBilledDurationMs: number;
  /** With the traces' own-code share scaling with memory; without traces, I/O-bound (duration unchanged by memory). */
  monthlyCostUsd: number;
  /** CPU-bound estimate: duration inversely proportional to memory. */
  monthlyCostUsdIfCpuBound: number;
  current: boolean;
  recommended: boolean;
  /** Leaves the headroom above the peak and is not a cut the engine holds back. */
  fits: boolean;
}

export interface RightSizing {
  currentMemoryMB: number;
  recommendedMemoryMB: number;
  action: RightSizingAction;
  hold: RightSizingHold | null;
  /** One sentence: what to do and why. */
  reason: string;
  monthlyInvocations: number;
  avgBilledDurationMs: number;
  currentMonthlyCostUsd: number;
  recommendedMonthlyCostUsd: number;
  /** current - recommended (as monthlyCostUsd), negative when more memory costs more. */
  monthlySavingUsd: number;
  /** The own-code share the options scale with memory; null when they assume I/O-bound. */
  ownCodeShare: number | null;
  /** What the monthly figures extrapolate from. */
  basis: string;
  options: RightSizingOption[];
}

function describeSpan(windowMs: number): string {
  const hours = windowMs / 3_600_000;
  if (hours >= 48 && hours % 24 === 0) return `the last ${hours / 24} days`;
  return `the last ${Math.round(hours * 10) / 10} h`;
}

function holdOf(i: RightSizingInput): RightSizingHold | null {
  if (i.outOfMemory > 0) return "out-of-memory";
  if (i.timeouts > 0) return "timeouts";
  if (i.timeoutS !== null && i.p99Ms !== null && i.p99Ms >= NEAR_TIMEOUT_RATIO * i.timeoutS * 1000) return "near-timeout";
  return null;
}

/** The advice for one function over one window; null without invocations to judge by. */
export function rightSize(i: RightSizingInput): RightSizing | null {
  if (i.invocations <= 0 || i.windowMs <= 0 || i.memorySizeMB <= 0) return null;
  const current = i.memorySizeMB;
  const hold = holdOf(i);
  const fitted = i.maxMemoryUsedMB === null ? null : memoryWithHeadroomMB(i.maxMemoryUsedMB);

  let recommended = current;
  let action: RightSizingAction = "keep";
  let reason: string;
  if (hold === "out-of-memory") {
    recommended = Math.min(MAX_MEMORY_MB, Math.max(current, memoryWithHeadroomMB(Math.max(current, i.maxMemoryUsedMB ?? 0))));
    action = recommended > current ? "raise" : "keep";
    reason = `${i.outOfMemory} invocation${i.outOfMemory === 1 ? "" : "s"} ran out of memory: ` +
      (action === "raise" ? `raise memory to ${formatMb(recommended)}.` : `it already has the maximum; reduce what one invocation holds.`);
  } else if (fitted === null) {
    reason = "No memory use was reported: keep the current size.";
  } else if (fitted < current && hold !== null) {
    reason = hold === "timeouts"
      ? `Keep ${formatMb(current)}: ${i.timeouts} invocation${i.timeouts === 1 ? "" : "s"} timed out, and less memory means less CPU and slower runs.`
      : `Keep ${formatMb(current)}: the p99 duration is at ${Math.round((i.p99Ms! / (i.timeoutS! * 1000)) * 100)} % of the timeout, and less memory means less CPU and slower runs.`;
  } else if (fitted < current) {
    recommended = fitted;
    action = "cut";
    reason = `Cut to ${formatMb(fitted)}: the highest use was ${formatMb(i.maxMemoryUsedMB)}, plus ${Math.round((MEMORY_HEADROOM - 1) * 100)} % headroom.`;
  } else if (fitted > current && i.maxMemoryUsedMB! > NEARLY_EXHAUSTED_RATIO * current) {
    recommended = Math.min(MAX_MEMORY_MB, fitted);
    action = recommended > current ? "raise" : "keep";
    reason = `Raise to ${formatMb(recommended)}: the highest use was ${formatMb(i.maxMemoryUsedMB)} of ${formatMb(current)}, one heavier request from running out.`;
  } else {
    reason = `Keep ${formatMb(current)}: the highest use was ${formatMb(i.maxMemoryUsedMB)}, which leaves no smaller size with ${Math.round((MEMORY_HEADROOM - 1) * 100)} % headroom.`;
  }

  const perMonth = monthlyInvocations(i.invocations, i.windowMs);
  const avgBilledDurationMs = i.billedMs / i.invocations;
  const base = { invocations: perMonth, avgBilledDurationMs, currentMemoryMB: current, architecture: i.architecture, region: i.region };
  const sizes = [...new Set([...COMMON_MEMORY_SIZES_MB, current, recommended])].sort((a, b) => a - b);
  const ownCodeShare = i.ownCodeShare ?? null;
  const options = sizes.map((memoryMB): RightSizingOption => {
    const io = costAtMemory({ ...base, targetMemoryMB: memoryMB, cpuBoundFraction: ownCodeShare ?? 0 });
    const cpu = costAtMemory({ ...base, targetMemoryMB: memoryMB, cpuBoundFraction: 1 });
    const leavesHeadroom = i.maxMemoryUsedMB === null || memoryMB >= i.maxMemoryUsedMB * MEMORY_HEADROOM;
    const heldCut = hold !== null && memoryMB < current;
    return {
      memoryMB,
      avgBilledDurationMs: io.avgBilledDurationMs,
      monthlyCostUsd: io.costUsd,
      monthlyCostUsdIfCpuBound: cpu.costUsd,
      current: memoryMB === current,
      recommended: memoryMB === recommended,
      fits: leavesHeadroom && !heldCut,
    };
  });
  const currentMonthlyCostUsd = options.find((o) => o.current)!.monthlyCostUsd;
  const recommendedMonthlyCostUsd = options.find((o) => o.recommended)!.monthlyCostUsd;
  return {
    currentMemoryMB: current,
    recommendedMemoryMB: recommended,
    action,
    hold,
    reason,
    monthlyInvocations: perMonth,
    avgBilledDurationMs,
    currentMonthlyCostUsd,
    recommendedMonthlyCostUsd,
    monthlySavingUsd: currentMonthlyCostUsd - recommendedMonthlyCostUsd,
    ownCodeShare,
    basis:
      `${RIGHT_SIZING_MONTH_DAYS} days at the rate of ${describeSpan(i.windowMs)} (${i.invocations} invocations, average billed duration as measured` +
      (ownCodeShare === null ? ")" : `; the ${Math.round(ownCodeShare * 100)} % of it in the function's own code, from its traces, scales with memory)`),
    options,
  };
}
