/**
 * A code deploy's verdict: the function's error rate, p95 duration and cost per invocation in a window before
 * the deploy against the same length after it.
 *
 * - Too few invocations: under MIN_DEPLOY_INVOCATIONS on either side the verdict says so and judges nothing.
 * - Error rate: a two-proportion z-test (pooled), two-sided at 5 % (|z| >= 1.96). A change that passes it is
 *   unlikely to be chance at these counts.
 * - p95 and cost per invocation: percentiles of two windows have no test as simple; a change of
 *   DEPLOY_CHANGE_RATIO (20 %) or more either way counts.
 */
export const MIN_DEPLOY_INVOCATIONS = 100;
export const Z_CRITICAL = 1.96;
export const DEPLOY_CHANGE_RATIO = 0.2;

export interface DeployWindow {
  invocations: number;
  /** Failed invocations of every kind (errors, timeouts, out of memory, crashes), as the error rate counts them. */
  errors: number;
  p95Ms: number | null;
  costUsd: number;
}

export type Direction = "worse" | "better" | "same";

export interface DeployVerdict {
  verdict: "worse" | "better" | "no-change" | "too-few-invocations";
  errorRate: { before: number; after: number; z: number; direction: Direction };
  p95: { beforeMs: number | null; afterMs: number | null; direction: Direction };
  costPerInvocation: { beforeUsd: number; afterUsd: number; direction: Direction };
  text: string;
}

/** z of the after-rate against the before-rate, pooled; 0 when neither side has an error (or both only errors). */
export function twoProportionZ(errorsBefore: number, nBefore: number, errorsAfter: number, nAfter: number): number {
  if (nBefore <= 0 || nAfter <= 0) return 0;
  const pooled = (errorsBefore + errorsAfter) / (nBefore + nAfter);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nBefore + 1 / nAfter));
  return se === 0 ? 0 : (errorsAfter / nAfter - errorsBefore / nBefore) / se;
}

function byRatio(before: number | null, after: number | null): Direction {
  if (before === null || after === null || before <= 0) return "same";
  if (after >= before * (1 + DEPLOY_CHANGE_RATIO)) return "worse";
  if (after <= before * (1 - DEPLOY_CHANGE_RATIO)) return "better";
  return "same";
}

const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 2 : 1)} %`;
const ms = (x: number | null) => (x === null ? "–" : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`);

export function deployVerdict(before: DeployWindow, after: DeployWindow): DeployVerdict {
  const rate = (w: DeployWindow) => (w.invocations > 0 ? w.errors / w.invocations : 0);
  const perInvocation = (w: DeployWindow) => (w.invocations > 0 ? w.costUsd / w.invocations : 0);
  const z = twoProportionZ(before.errors, before.invocations, after.errors, after.invocations);
  const enough = before.invocations >= MIN_DEPLOY_INVOCATIONS && after.invocations >= MIN_DEPLOY_INVOCATIONS;
  const errorDirection: Direction = !enough || Math.abs(z) < Z_CRITICAL ? "same" : z > 0 ? "worse" : "better";
  const p95Direction = enough ? byRatio(before.p95Ms, after.p95Ms) : "same";
  const costDirection = enough ? byRatio(perInvocation(before), perInvocation(after)) : "same";
  const directions = [errorDirection, p95Direction, costDirection];
  const verdict = !enough ? "too-few-invocations" : directions.includes("worse") ? "worse" : directions.includes("better") ? "better" : "no-change";
  const parts = [
    `error rate ${pct(rate(before))} → ${pct(rate(after))}${errorDirection === "same" ? "" : ` (${errorDirection}, z = ${z.toFixed(1)})`}`,
    `p95 ${ms(before.p95Ms)} → ${ms(after.p95Ms)}${p95Direction === "same" ? "" : ` (${p95Direction})`}`,
    `cost per million invocations $${(perInvocation(before) * 1e6).toFixed(2)} → $${(perInvocation(after) * 1e6).toFixed(2)}${costDirection === "same" ? "" : ` (${costDirection})`}`,
  ];
  const head = {
    "too-few-invocations": `Too few invocations to judge (${before.invocations} before, ${after.invocations} after; ${MIN_DEPLOY_INVOCATIONS} needed on each side)`,
    worse: "Worse after the deploy",
    better: "Better after the deploy",
    "no-change": "No significant change after the deploy",
  }[verdict];
  return {
    verdict,
    errorRate: { before: rate(before), after: rate(after), z, direction: errorDirection },
    p95: { beforeMs: before.p95Ms, afterMs: after.p95Ms, direction: p95Direction },
    costPerInvocation: { beforeUsd: perInvocation(before), afterUsd: perInvocation(after), direction: costDirection },
    text: `${head}: ${parts.join("; ")}.`,
  };
}
