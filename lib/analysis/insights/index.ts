export { RULES, evaluateInsights, getRule, resolveThresholds, thresholdOverrideProblems, findingKey } from "./engine";
export { reconcileFindings } from "./reconcile";
export type { InsightState, StoredInsight, Reconciliation, InsightToInsert, InsightToUpdate, InsightToResolve } from "./reconcile";
export { RUNTIME_DEPRECATION_DATES, runtimeDeprecation } from "./runtimes";
export type * from "./types";
