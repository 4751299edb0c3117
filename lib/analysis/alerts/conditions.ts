/**
 * Conditions beyond the Lambda rollup sums, pure: CloudWatch metrics (metric_points) against a
 * threshold or the resource's configuration, and event conditions (error groups, insights, silence,
 * ingest freshness). lib/db/alerts/condition-inputs.ts reads their inputs for every policy in a few
 * queries; lib/db/alerts/evaluate-alerts.ts hands them here and runs the shared incident state machine.
 *
 * A value missing from the window (no points, no configured limit, a function that never ran) is
 * null: not evaluable, so not firing. A 0 is never made up.
 */
import type { AlertSeverity } from "./notice";
import { conditionValue, type Evaluation, type MetricPointKind, type WindowTotals } from "./evaluate";

/** The start of a policy's window: [start, now], the minute being written included (as windowTotals). */
export function windowStart(now: number, windowMinutes: number): number {
  return Math.floor(now / 60_000) * 60_000 - (windowMinutes - 1) * 60_000;
}

/** What one condition needs to judge a value. */
export interface Judged {
  threshold: number;
  criticalThreshold: number | null;
  severity: AlertSeverity;
}

/** value >= threshold fires (unless not evaluable or below the minimum count); critical at the critical threshold. */
export function judge(c: Judged, value: number | null, count = 0, enough = true): Evaluation {
  const firing = enough && value !== null && value >= c.threshold;
  const critical = firing && c.criticalThreshold !== null && value !== null && value >= c.criticalThreshold;
  return { firing, value, invocations: count, severity: critical ? "critical" : c.severity };
}

// ---- CloudWatch metrics ----

/** A metric's points in a window, for one resource: sum, maximum and how many points. */
export interface PointAgg {
  sum: number;
  max: number;
  n: number;
}

/** One resource's window: "Metric:Stat" -> aggregate (only metrics with points in the window). */
export type ResourcePoints = ReadonlyMap<string, PointAgg>;

export const pointKey = (metric: string, stat: string) => `${metric}:${stat}`;

/** The (metric, stat) pairs each CloudWatch condition reads (lib/ingest/metrics/catalog.ts collects them). */
export const METRIC_INPUTS: Record<MetricPointKind, readonly { metric: string; stat: string }[]> = {
  throttles: [{ metric: "Throttles", stat: "Sum" }],
  p95_timeout_pct: [],
  concurrency_pct: [{ metric: "ConcurrentExecutions", stat: "Maximum" }],
  iterator_age: [{ metric: "IteratorAge", stat: "Maximum" }],
  sqs_oldest_age: [{ metric: "ApproximateAgeOfOldestMessage", stat: "Maximum" }],
  dlq_messages: [{ metric: "ApproximateNumberOfMessagesVisible", stat: "Maximum" }],
  api_5xx_rate: [
    { metric: "5XXError", stat: "Sum" },
    { metric: "Count", stat: "Sum" },
  ],
  api_latency_p99: [{ metric: "Latency", stat: "p99" }],
  dynamodb_throttles: [
    { metric: "ThrottledRequests", stat: "Sum" },
    { metric: "ReadThrottleEvents", stat: "Sum" },
    { metric: "WriteThrottleEvents", stat: "Sum" },
  ],
  dynamodb_system_errors: [{ metric: "SystemErrors", stat: "Sum" }],
};

/** The configuration a condition may compare against (resources.config, as discovery stores it). */
export interface ResourceLimits {
  /** Lambda timeoutS */
  timeoutS: number | null;
  /** Lambda reservedConcurrency */
  reservedConcurrency: number | null;
  /** The account's concurrency limit, when Osprey stores one (it does not today: then null). */
  accountConcurrencyLimit: number | null;
}

/** Peak concurrency as a % of its limit (the alert condition's and the function page's figure); null without either. */
export function concurrencyPct(peak: number | null, limit: number | null): number | null {
  // Reserved concurrency 0 means the function is switched off: any execution is over it, but a % of 0 is no figure.
  return peak === null || limit === null || limit <= 0 ? null : (peak / limit) * 100;
}

export interface MetricPointCondition extends Judged {
  kind: MetricPointKind;
  minInvocations: number;
}

/**
 * A CloudWatch condition's value for one resource's window. Counts are sums over the window; gauges
 * (ages, visible messages, concurrency) the highest point; API latency the highest per-period p99
 * (percentiles of periods cannot be merged). p95_timeout_pct takes the rollups' p95 (the one pages show).
 */
export function metricConditionValue(c: MetricPointCondition, points: ResourcePoints | undefined, limits: ResourceLimits, totals: WindowTotals | undefined): { value: number | null; count: number } {
  const get = (metric: string, stat: string) => points?.get(pointKey(metric, stat));
  const sumOf = (metric: string, stat = "Sum") => get(metric, stat)?.sum ?? null;
  const maxOf = (metric: string, stat = "Maximum") => get(metric, stat)?.max ?? null;
  switch (c.kind) {
    case "throttles":
      return { value: sumOf("Throttles"), count: 0 };
    case "p95_timeout_pct": {
      const p95 = totals && totals.invocations > 0 ? conditionValue("p95_duration", totals, 1) : null;
      const timeoutMs = limits.timeoutS !== null && limits.timeoutS > 0 ? limits.timeoutS * 1000 : null;
      return { value: p95 === null || timeoutMs === null ? null : (p95 / timeoutMs) * 100, count: totals?.invocations ?? 0 };
    }
    case "concurrency_pct": {
      const peak = maxOf("ConcurrentExecutions");
      return { value: concurrencyPct(peak, limits.reservedConcurrency ?? limits.accountConcurrencyLimit), count: 0 };
    }
    case "iterator_age":
      return { value: maxOf("IteratorAge"), count: 0 };
    case "sqs_oldest_age":
      return { value: maxOf("ApproximateAgeOfOldestMessage"), count: 0 };
    case "dlq_messages":
      return { value: maxOf("ApproximateNumberOfMessagesVisible"), count: 0 };
    case "api_5xx_rate": {
      const requests = sumOf("Count");
      const errors = sumOf("5XXError");
      // API Gateway publishes 5XXError as 0 with each Count point; a missing one next to requests is no figure either.
      return { value: requests === null || errors === null || requests <= 0 ? null : errors / requests, count: requests ?? 0 };
    }
    case "api_latency_p99":
      return { value: maxOf("Latency", "p99"), count: 0 };
    case "dynamodb_throttles": {
      const parts = [sumOf("ThrottledRequests"), sumOf("ReadThrottleEvents"), sumOf("WriteThrottleEvents")].filter((v): v is number => v !== null);
      return { value: parts.length ? parts.reduce((a, b) => a + b, 0) : null, count: 0 };
    }
    case "dynamodb_system_errors":
      return { value: sumOf("SystemErrors"), count: 0 };
  }
}

export function evaluateMetricCondition(c: MetricPointCondition, points: ResourcePoints | undefined, limits: ResourceLimits, totals?: WindowTotals): Evaluation {
  const { value, count } = metricConditionValue(c, points, limits, totals);
  const gated = c.kind === "api_5xx_rate" || c.kind === "p95_timeout_pct";
  return judge(c, value, count, !gated || count >= Math.max(1, c.minInvocations));
}

/**
 * Queues that are some queue's or function's dead-letter target: an SQS redrive policy's
 * deadLetterTargetArn, a function's DeadLetterConfig target, or its on-failure destination when that
 * is a queue (discovery stores all three in resources.config).
 */
export function deadLetterArns(configs: readonly Record<string, unknown>[]): Set<string> {
  const out = new Set<string>();
  for (const c of configs) {
    const redrive = c.redrivePolicy as { deadLetterTargetArn?: unknown } | null | undefined;
    for (const arn of [redrive?.deadLetterTargetArn, c.deadLetterTargetArn, c.onFailureDestination]) {
      if (typeof arn === "string" && arn.startsWith("arn:") && arn.split(":")[2] === "sqs") out.add(arn);
    }
  }
  return out;
}

// ---- events ----

/** One error group seen on one resource in the longest window read. */
export interface GroupOnResource {
  groupId: number;
  state: "new" | "ongoing" | "regressed" | "resolved" | "ignored";
  resolvedAt: number | null;
  /** First and last occurrence on the resource inside the window read. */
  firstIn: number;
  lastIn: number;
  /** Whether the group occurred on the resource before the window read. */
  seenBefore: boolean;
}

/** Groups first seen on the resource inside the window (never ignored ones). Clear once none occurred in it. */
export function newErrorGroups(groups: readonly GroupOnResource[], start: number): number {
  return groups.filter((g) => g.state !== "ignored" && !g.seenBefore && g.firstIn >= start).length;
}

/** Groups marked regressed (resolved, then seen again) with an occurrence in the window after their resolve. */
export function regressedErrorGroups(groups: readonly GroupOnResource[], start: number): number {
  return groups.filter((g) => g.state === "regressed" && g.lastIn >= Math.max(start, g.resolvedAt ?? 0)).length;
}

export const SEVERITY_RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

/** The highest severity rank (0 info, 1 warning, 2 critical) of the open insights opened in the window; null when none. */
export function insightRank(insights: readonly { severity: string; firstSeenAt: number }[], start: number): number | null {
  let best: number | null = null;
  for (const i of insights) {
    const rank = SEVERITY_RANK[i.severity as AlertSeverity];
    if (rank === undefined || i.firstSeenAt < start) continue;
    best = best === null ? rank : Math.max(best, rank);
  }
  return best;
}

/**
 * Silence over the window: minutes since the end of the last minute with invocations. Fires when no
 * invocation lies in the window; a function that never ran (no rollup with invocations) is not evaluable.
 */
export function evaluateSilence(c: { windowMinutes: number; severity: AlertSeverity }, lastInvocationMinute: number | null, now: number): Evaluation {
  if (lastInvocationMinute === null) return { firing: false, value: null, invocations: 0, severity: c.severity };
  const value = Math.max(0, Math.floor((now - (lastInvocationMinute + 60_000)) / 60_000));
  return { firing: lastInvocationMinute < windowStart(now, c.windowMinutes), value, invocations: 0, severity: c.severity };
}

/**
 * Ingest freshness of an account and region, by the ingest health definition (lib/db/queries/ingest-health.ts:
 * the newest finish of a run with status ok, over every job). Fires when that is older than the window;
 * an account/region with no successful run at all fires once it has existed for the window
 * (value: minutes since the account was added).
 */
export function evaluateStale(c: { windowMinutes: number; severity: AlertSeverity }, lastSuccessAt: number | null, accountCreatedAt: number, now: number): Evaluation {
  const since = lastSuccessAt ?? accountCreatedAt;
  const value = Math.max(0, Math.floor((now - since) / 60_000));
  return { firing: now - since >= c.windowMinutes * 60_000, value, invocations: 0, severity: c.severity };
}

/** The subject key of an account/region incident (incidents.subject). */
export const accountRegionSubject = (accountId: number, region: string) => `account:${accountId}/${region}`;
