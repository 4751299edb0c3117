import { API_GATEWAY_RULES } from "./rules/apigateway";
import { DYNAMODB_RULES } from "./rules/dynamodb";
import { LAMBDA_OPERATIONS_SECURITY_RULES } from "./rules/lambda-operations-security";
import { LAMBDA_PERFORMANCE_COST_RULES } from "./rules/lambda-performance-cost";
import { LAMBDA_RELIABILITY_RULES } from "./rules/lambda-reliability";
import { REVIEW_COST_PERFORMANCE_RULES } from "./rules/review-cost-performance";
import { REVIEW_OPERATIONS_RULES } from "./rules/review-operations";
import { REVIEW_RELIABILITY_RULES } from "./rules/review-reliability";
import { REVIEW_SECURITY_RULES } from "./rules/review-security";
import { PERFORMANCE_ADVISOR_RULES } from "./rules/performance-advisor";
import { SQS_RULES } from "./rules/sqs";
import { EVENTBRIDGE_RULES } from "./rules/eventbridge";
import { KINESIS_RULES } from "./rules/kinesis";
import { SNS_RULES } from "./rules/sns";
import { STEP_FUNCTIONS_RULES } from "./rules/stepfunctions";
import type { Finding, InsightContext, InsightRule, Severity, ThresholdOverrides, Thresholds } from "./types";

export const RULES: readonly InsightRule[] = [
  ...LAMBDA_RELIABILITY_RULES,
  ...LAMBDA_PERFORMANCE_COST_RULES,
  ...LAMBDA_OPERATIONS_SECURITY_RULES,
  ...SQS_RULES,
  ...API_GATEWAY_RULES,
  ...DYNAMODB_RULES,
  ...KINESIS_RULES,
  ...STEP_FUNCTIONS_RULES,
  ...SNS_RULES,
  ...EVENTBRIDGE_RULES,
  // Checks of the Well-Architected review (issue 16).
  ...REVIEW_SECURITY_RULES,
  ...REVIEW_OPERATIONS_RULES,
  ...REVIEW_RELIABILITY_RULES,
  ...REVIEW_COST_PERFORMANCE_RULES,
  ...PERFORMANCE_ADVISOR_RULES,
];

export function getRule(ruleId: string): InsightRule | undefined {
  return RULES.find((rule) => rule.id === ruleId);
}

/** The rule's defaults, overridden by each layer in turn; names the rule does not define are ignored. */
export function resolveThresholds(rule: InsightRule, ...layers: (ThresholdOverrides | undefined)[]): Thresholds {
  const resolved: Thresholds = { ...rule.defaults };
  for (const layer of layers) {
    const values = layer?.[rule.id];
    if (!values) continue;
    for (const [name, value] of Object.entries(values)) {
      if (name in rule.defaults && Number.isFinite(value)) resolved[name] = value;
    }
  }
  return resolved;
}

/** What is wrong with a set of overrides a user submitted: unknown rules, unknown names, non-numbers. */
export function thresholdOverrideProblems(overrides: ThresholdOverrides): string[] {
  const problems: string[] = [];
  for (const [ruleId, values] of Object.entries(overrides)) {
    const rule = getRule(ruleId);
    if (!rule) {
      problems.push(`unknown rule ${ruleId}`);
      continue;
    }
    for (const [name, value] of Object.entries(values)) {
      if (!(name in rule.defaults)) problems.push(`${ruleId} has no threshold ${name}`);
      else if (!Number.isFinite(value)) problems.push(`${ruleId}.${name} must be a finite number`);
    }
  }
  return problems;
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export function findingKey(finding: { ruleId: string; resourceArn: string }): string {
  return `${finding.ruleId}\u0000${finding.resourceArn}`;
}

/**
 * Runs every rule with its thresholds (defaults, then ctx.thresholds, then `overrides`), one finding per
 * rule and resource, most severe first.
 */
export function evaluateInsights(ctx: InsightContext, overrides?: ThresholdOverrides): Finding[] {
  const byKey = new Map<string, Finding>();
  const unread = new Map(ctx.functions.filter((f) => f.config.unreadActions?.length).map((f) => [f.config.arn, new Set(f.config.unreadActions)]));
  for (const rule of RULES) {
    for (const finding of rule.evaluate(ctx, resolveThresholds(rule, ctx.thresholds, overrides))) {
      // Judged on a default where AWS never answered: not a fact about the resource.
      if (rule.requires.some((action) => unread.get(finding.resourceArn)?.has(action))) continue;
      const key = findingKey(finding);
      const existing = byKey.get(key);
      if (!existing || SEVERITY_ORDER[finding.severity] < SEVERITY_ORDER[existing.severity]) byKey.set(key, finding);
    }
  }
  return [...byKey.values()].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.resourceArn.localeCompare(b.resourceArn),
  );
}
