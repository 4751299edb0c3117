import { coveredSpanMs, coveredWindow } from "../../covered-window";
import type { DynamoTableStats, Evidence, Finding, FunctionInsightInput, FunctionWindowStats, InsightContext, InsightRule, Severity } from "../types";

export function createFinding(
  rule: Pick<InsightRule, "id" | "title" | "service" | "pillar">,
  resourceArn: string,
  severity: Severity,
  evidence: Evidence,
  recommendation: string,
  monthlySavingUsd: number | null = null,
): Finding {
  return {
    ruleId: rule.id,
    service: rule.service,
    resourceArn,
    severity,
    pillar: rule.pillar,
    title: rule.title,
    evidence,
    recommendation,
    monthlySavingUsd: monthlySavingUsd === null ? null : roundTo(monthlySavingUsd, 2),
  };
}

/** Functions that recorded stats in the window, for rules that read traffic. */
export function functionsWithStats(ctx: InsightContext): (FunctionInsightInput & { stats: FunctionWindowStats })[] {
  return ctx.functions.filter((f): f is FunctionInsightInput & { stats: FunctionWindowStats } => f.stats !== null);
}

export function roundTo(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

export function percent(part: number, whole: number): number {
  return whole > 0 ? (part / whole) * 100 : 0;
}

/** A percentage as evidence and text show it: two decimals below 10 %, one above. */
export function roundPercent(value: number): number {
  return roundTo(value, value < 10 ? 2 : 1);
}

export function formatPercent(value: number): string {
  return `${roundPercent(value)}%`;
}

export function formatUsd(value: number): string {
  if (value > 0 && value < 0.01) return "less than $0.01";
  return `$${value.toFixed(2)}`;
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${roundTo(ms / 1000, 2)} s` : `${roundTo(ms, 1)} ms`;
}

export function windowHours(stats: { windowStart: Date; windowEnd: Date }): number {
  return (stats.windowEnd.getTime() - stats.windowStart.getTime()) / 3_600_000;
}

export { coveredSpanMs, coveredWindow };

/**
 * Consumed over provisioned capacity of a provisioned table, over the hours Osprey covers: the one utilisation the
 * under-used check and the capacity-mode advice both state. Null without capacity units or covered hours.
 */
export function tableUtilisation(table: DynamoTableStats): { readPct: number; writePct: number; hours: number } | null {
  const hours = coveredHours(table);
  if (hours <= 0 || !table.readCapacityUnits || !table.writeCapacityUnits) return null;
  return {
    readPct: percent(sum(table.consumedReadPerHour), table.readCapacityUnits * hours * 3600),
    writePct: percent(sum(table.consumedWritePerHour), table.writeCapacityUnits * hours * 3600),
    hours,
  };
}

/** Hours of the window Osprey covers (coveredWindow). */
export function coveredHours(stats: { windowStart: Date; windowEnd: Date; coveredSince: Date | null }): number {
  return coveredSpanMs(stats) / 3_600_000;
}

export function describeWindow(stats: { windowStart: Date; windowEnd: Date }): string {
  const hours = windowHours(stats);
  if (hours >= 48 && hours % 24 === 0) return `the last ${hours / 24} days`;
  return `the last ${roundTo(hours, 1)} hours`;
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** One finding or none per item: the shape of a check that looks at each resource on its own. */
export function eachResource<T>(items: readonly T[], check: (item: T) => Finding | null): Finding[] {
  return items.flatMap((item) => {
    const finding = check(item);
    return finding ? [finding] : [];
  });
}

/** The tag CloudFormation (and so SAM, CDK and the Serverless Framework) puts on every resource of a stack. */
export const STACK_NAME_TAG = "aws:cloudformation:stack-name";

/** Tags a team set itself: AWS's own `aws:` tags do not say who owns a resource. */
export function ownTags(tags: Record<string, string>): string[] {
  return Object.keys(tags).filter((k) => !k.startsWith("aws:"));
}

/** For a check with nothing to tune: it flags a configuration or a count above zero. */
export const NO_THRESHOLDS: Pick<InsightRule, "defaults" | "thresholdSources"> = { defaults: {}, thresholdSources: {} };
