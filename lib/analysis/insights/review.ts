// The AWS Well-Architected review: every rule is a check of one Serverless Lens question, and per account
// and region it passes (no standing finding), fails (a finding stands) or was not checked (a call it needs
// failed, there is nothing of its service to check, or no resource of it holds the data the rule judges).
// Pure: lib/db/review.ts feeds it from SQL.
import { RULES } from "./engine";
import type { DataSource, Evidence, InsightRule, InsightService, LensQuestion, Pillar, Severity } from "./types";

export type CheckStatus = "pass" | "fail" | "not_checked";

export const PILLARS: readonly Pillar[] = ["security", "operational_excellence", "reliability", "performance", "cost"];

export const PILLAR_TITLES: Record<Pillar, string> = {
  security: "Security",
  operational_excellence: "Operational excellence",
  reliability: "Reliability",
  performance: "Performance efficiency",
  cost: "Cost optimization",
};

/** The Serverless Lens questions Osprey answers, in the Lens's order, with the pillar each belongs to. */
export const LENS_QUESTIONS: readonly { id: LensQuestion; pillar: Pillar; title: string }[] = [
  { id: "SEC1", pillar: "security", title: "How do you control access to your serverless API?" },
  { id: "SEC2", pillar: "security", title: "How are you managing the security boundaries of your serverless application?" },
  { id: "SEC3", pillar: "security", title: "How do you implement application security in your workload?" },
  { id: "OPS1", pillar: "operational_excellence", title: "How do you understand the health of your serverless application?" },
  { id: "OPS2", pillar: "operational_excellence", title: "How do you approach application lifecycle management?" },
  { id: "REL1", pillar: "reliability", title: "How do you regulate inbound request rates?" },
  { id: "REL2", pillar: "reliability", title: "How do you build resiliency into your serverless application?" },
  { id: "PERF1", pillar: "performance", title: "How do you optimize your serverless application's performance?" },
  { id: "COST1", pillar: "cost", title: "How do you optimize your serverless application's costs?" },
];

export const SERVICE_NOUNS: Record<string, [string, string]> = {
  lambda: ["function", "functions"],
  sqs: ["queue", "queues"],
  apigateway: ["API", "APIs"],
  dynamodb: ["table", "tables"],
  kinesis: ["stream", "streams"],
  firehose: ["delivery stream", "delivery streams"],
  stepfunctions: ["state machine", "state machines"],
  sns: ["topic", "topics"],
  eventbridge: ["EventBridge rule", "EventBridge rules"],
};

export interface ReviewFinding {
  ruleId: string;
  resourceArn: string;
  resourceName: string;
  severity: Severity;
  evidence: Evidence;
  recommendation: string;
}

/** A call of the account and region that failed, as ingest health records it. */
export interface FailedCall {
  action: string;
  resource: string;
  denied: boolean;
  message: string;
}

/** How far back the review looks for a resource's metrics, logs and traces before calling a check not run. */
export const REVIEW_DATA_WINDOW_HOURS = 24;

/** The data Osprey gathers over time, as against configuration, which discovery keeps for every resource. */
export type ObservedData = Exclude<DataSource, "config">;

const DATA_WORDS: Record<ObservedData, string> = {
  metrics: "CloudWatch metrics",
  logs: "invocation logs",
  traces: "X-Ray traces",
};

/** How many resources of a service hold exactly these kinds of data in the review window. */
export interface DataCoverage {
  service: InsightService;
  metrics: boolean;
  logs: boolean;
  traces: boolean;
  resources: number;
}

export interface ReviewInput {
  /** Resources Osprey knows, per service. */
  resourceCounts: Partial<Record<InsightService, number>>;
  /** Which data the resources hold in the last REVIEW_DATA_WINDOW_HOURS, grouped; resources holding none may be left out. */
  dataCoverage: readonly DataCoverage[];
  /** Findings that stand (not resolved). */
  findings: readonly ReviewFinding[];
  failedCalls: readonly FailedCall[];
}

export interface ReviewCheck {
  ruleId: string;
  title: string;
  service: InsightService;
  pillar: Pillar;
  question: LensQuestion;
  status: CheckStatus;
  /** Resources of the check's service Osprey looked at: those holding the data the check needs. */
  resourcesChecked: number;
  findings: ReviewFinding[];
  /** The actions it needs whose calls failed, with the resources they failed on ("" = the whole region). */
  missingActions: { action: string; denied: boolean; resources: string[]; message: string }[];
  /** Why the check was not run, in words; null when it was. */
  notCheckedReason: string | null;
  /** What to change: the first finding's recommendation, or what to grant. */
  toChange: string | null;
}

function missingActionsOf(rule: InsightRule, failed: readonly FailedCall[]): ReviewCheck["missingActions"] {
  const out: ReviewCheck["missingActions"] = [];
  for (const action of rule.requires) {
    const calls = failed.filter((f) => f.action === action);
    if (!calls.length) continue;
    out.push({ action, denied: calls.some((c) => c.denied), resources: [...new Set(calls.map((c) => c.resource))].sort(), message: calls[0].message });
  }
  return out;
}

/** Resources of the rule's service holding every kind of data the rule needs; all of them when it needs only configuration. */
export function resourcesWithData(rule: Pick<InsightRule, "service" | "needs">, input: Pick<ReviewInput, "resourceCounts" | "dataCoverage">): number {
  const observed = rule.needs.filter((n): n is ObservedData => n !== "config");
  if (!observed.length) return input.resourceCounts[rule.service] ?? 0;
  return input.dataCoverage.filter((c) => c.service === rule.service && observed.every((n) => c[n])).reduce((n, c) => n + c.resources, 0);
}

/** Why no resource could be judged: the kinds of data none of them holds, or that none holds them together. */
function noDataReason(rule: Pick<InsightRule, "service" | "needs">, coverage: readonly DataCoverage[], noun: string): string {
  const observed = rule.needs.filter((n): n is ObservedData => n !== "config");
  const absent = observed.filter((n) => !coverage.some((c) => c.service === rule.service && c[n] && c.resources > 0));
  const window = `in the last ${REVIEW_DATA_WINDOW_HOURS} h`;
  if (absent.length) return `no ${words(absent.map((n) => DATA_WORDS[n]), "or")} for these ${noun} ${window}`;
  return `no ${SERVICE_NOUNS[rule.service]?.[0] ?? `${rule.service} resource`} with both ${words(observed.map((n) => DATA_WORDS[n]), "and")} ${window}`;
}

function words(items: readonly string[], joiner: "and" | "or"): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} ${joiner} ${items[items.length - 1]}`;
}

/** One check per rule, judged on what the review input holds. */
export function reviewChecks(input: ReviewInput, rules: readonly InsightRule[] = RULES): ReviewCheck[] {
  return rules.map((rule) => {
    const findings = input.findings.filter((f) => f.ruleId === rule.id);
    const discovered = input.resourceCounts[rule.service] ?? 0;
    const resourcesChecked = resourcesWithData(rule, input);
    const missingActions = missingActionsOf(rule, input.failedCalls);
    const noun = SERVICE_NOUNS[rule.service]?.[1] ?? `${rule.service} resources`;
    let status: CheckStatus = "pass";
    let notCheckedReason: string | null = null;
    // A finding is a fact even when another resource could not be read: fail wins.
    if (findings.length) status = "fail";
    else if (missingActions.length) {
      status = "not_checked";
      notCheckedReason = missingActions
        .map((m) => `${m.action} ${m.denied ? "is denied" : "failed"}${m.resources.some(Boolean) ? ` on ${m.resources.filter(Boolean).join(", ")}` : ""}`)
        .join("; ");
    } else if (discovered === 0) {
      status = "not_checked";
      notCheckedReason = `no ${noun} discovered`;
    } else if (resourcesChecked === 0) {
      // Without the data a rule judges, no finding means nothing: the check did not run.
      status = "not_checked";
      notCheckedReason = noDataReason(rule, input.dataCoverage, noun);
    }
    const grant = missingActions.length ? `Grant ${missingActions.map((m) => m.action).join(", ")} to Osprey's role so it can run this check.` : null;
    return {
      ruleId: rule.id,
      title: rule.title,
      service: rule.service,
      pillar: rule.pillar,
      question: rule.question,
      status,
      resourcesChecked,
      findings,
      missingActions,
      notCheckedReason,
      toChange: findings[0]?.recommendation ?? grant,
    };
  });
}

export interface PillarScore {
  pillar: Pillar;
  passed: number;
  failed: number;
  notChecked: number;
  /** Passed checks over checks run, 0..100; null when none ran. */
  score: number | null;
}

/** The score of a pillar: the share of its checks that ran and passed. Not-checked checks count for neither side. */
export function pillarScores(checks: readonly Pick<ReviewCheck, "pillar" | "status">[]): PillarScore[] {
  return PILLARS.map((pillar) => {
    const of = checks.filter((c) => c.pillar === pillar);
    const passed = of.filter((c) => c.status === "pass").length;
    const failed = of.filter((c) => c.status === "fail").length;
    const notChecked = of.filter((c) => c.status === "not_checked").length;
    return { pillar, passed, failed, notChecked, score: scoreOf(passed, failed) };
  });
}

export function scoreOf(passed: number, failed: number): number | null {
  return passed + failed === 0 ? null : Math.round((passed / (passed + failed)) * 100);
}
