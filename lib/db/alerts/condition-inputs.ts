import type pg from "pg";
import {
  evaluateMetricCondition,
  evaluateSilence,
  insightRank,
  judge,
  METRIC_INPUTS,
  newErrorGroups,
  regressedErrorGroups,
  windowStart,
  type GroupOnResource,
  type PointAgg,
} from "@/lib/analysis/alerts/conditions";
import { CONDITIONS, isRollupKind, type ConditionKind, type Evaluation, type MetricPointKind, type WindowTotals } from "@/lib/analysis/alerts/evaluate";
import type { PolicyRow } from "./evaluate-alerts";
import { readErrorGroupsOnResources, readLastInvocation, readOpenedInsights } from "./event-inputs";
import { readMetricPointTotals } from "./metric-point-totals";

/**
 * Inputs of every condition that is not a rollup sum (CloudWatch metrics, error groups, insights,
 * silence), read for all resources of all such policies at once: one query per input, in parallel.
 */
export interface ConditionInputs {
  /** window minutes -> resource -> "Metric:Stat" -> aggregate */
  points: Map<number, Map<number, Map<string, PointAgg>>>;
  groups: Map<number, GroupOnResource[]>;
  insights: Map<number, { severity: string; firstSeenAt: number }[]>;
  lastInvocation: Map<number, number>;
}

export interface ScopedPolicy {
  policy: PolicyRow;
  resources: readonly { id: number }[];
}

const kindOf = (p: PolicyRow) => p.condition_kind as ConditionKind;
const isMetricPoint = (k: ConditionKind): k is MetricPointKind => k in METRIC_INPUTS;

export async function readConditionInputs(db: Pick<pg.Pool, "query">, scoped: readonly ScopedPolicy[], now: number): Promise<ConditionInputs> {
  const of = (test: (k: ConditionKind) => boolean) => scoped.filter((s) => test(kindOf(s.policy)));
  const idsOf = (list: readonly ScopedPolicy[]) => [...new Set(list.flatMap((s) => s.resources.map((r) => r.id)))];
  const longest = (list: readonly ScopedPolicy[]) => windowStart(now, Math.max(1, ...list.map((s) => s.policy.window_minutes)));

  const metric = of((k) => isMetricPoint(k) && METRIC_INPUTS[k].length > 0);
  const groups = of((k) => k === "new_error_group" || k === "regressed_error_group");
  const insights = of((k) => k === "insight_opened");
  const silence = of((k) => k === "no_invocations");
  const [points, groupRows, insightRows, lastInvocation] = await Promise.all([
    readMetricPointTotals(db, idsOf(metric), metric.map((s) => ({ windowMinutes: s.policy.window_minutes, metrics: METRIC_INPUTS[kindOf(s.policy) as MetricPointKind] })), now),
    readErrorGroupsOnResources(db, idsOf(groups), longest(groups), now),
    readOpenedInsights(db, idsOf(insights), longest(insights), now),
    readLastInvocation(db, idsOf(silence), now),
  ]);
  return { points, groups: groupRows, insights: insightRows, lastInvocation };
}

/** The resource fields a condition compares against (resources.config as discovery stores it). */
export interface ConfigSubset {
  timeoutS?: unknown;
  reservedConcurrency?: unknown;
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** Evaluates a policy that is not a rollup sum for one resource (totals: its rollup window, for p95_timeout_pct). */
export function evaluateWithInputs(policy: PolicyRow, resource: { id: number; config: ConfigSubset }, inputs: ConditionInputs, totals: WindowTotals | undefined, now: number): Evaluation {
  const kind = kindOf(policy);
  const c = { threshold: policy.threshold, criticalThreshold: policy.critical_threshold, severity: policy.severity };
  const start = windowStart(now, policy.window_minutes);
  if (isRollupKind(kind) || CONDITIONS[kind].appliesTo === "account_region") throw new Error(`${kind} is not evaluated here`);
  if (isMetricPoint(kind)) {
    const limits = { timeoutS: num(resource.config.timeoutS), reservedConcurrency: num(resource.config.reservedConcurrency), accountConcurrencyLimit: null };
    return evaluateMetricCondition({ ...c, kind, minInvocations: policy.min_invocations }, inputs.points.get(policy.window_minutes)?.get(resource.id), limits, totals);
  }
  switch (kind) {
    case "new_error_group":
      return judge(c, newErrorGroups(inputs.groups.get(resource.id) ?? [], start));
    case "regressed_error_group":
      return judge(c, regressedErrorGroups(inputs.groups.get(resource.id) ?? [], start));
    case "insight_opened":
      return judge(c, insightRank(inputs.insights.get(resource.id) ?? [], start));
    case "no_invocations":
      return evaluateSilence({ windowMinutes: policy.window_minutes, severity: policy.severity }, inputs.lastInvocation.get(resource.id) ?? null, now);
  }
  throw new Error(`${kind} is not evaluated here`);
}
