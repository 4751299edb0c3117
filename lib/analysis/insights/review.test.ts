import { describe, expect, it } from "vitest";
import { AWS_CALLS } from "../../aws/permissions";
import { RULES } from "./engine";
import { METRICS, TRACES } from "./rules/requirements";
import { LENS_QUESTIONS, PILLARS, pillarScores, reviewChecks, type DataCoverage, type ReviewInput } from "./review";

const byId = (input: ReviewInput) => new Map(reviewChecks(input).map((c) => [c.ruleId, c]));
const ALL_KINDS = { lambda: 3, sqs: 2, apigateway: 1, dynamodb: 1 };
const ALL_DATA = { metrics: true, logs: true, traces: true };
// Every resource of ALL_KINDS holds metrics, logs and traces.
const FULL_COVERAGE: DataCoverage[] = Object.entries(ALL_KINDS).map(([service, resources]) => ({ service: service as DataCoverage["service"], ...ALL_DATA, resources }));

describe("the checks of the review", () => {
  it("has at least 8 rules in every pillar", () => {
    for (const pillar of PILLARS) expect(RULES.filter((r) => r.pillar === pillar).length, pillar).toBeGreaterThanOrEqual(8);
  });

  it("answers every Serverless Lens question, each rule in its question's pillar", () => {
    for (const q of LENS_QUESTIONS) expect(RULES.some((r) => r.question === q.id), q.id).toBe(true);
    for (const r of RULES) expect(LENS_QUESTIONS.find((q) => q.id === r.question)?.pillar, r.id).toBe(r.pillar);
  });

  it("declares the data every rule judges, in step with the calls it requires", () => {
    const sources = new Set(["config", "metrics", "logs", "traces"]);
    for (const r of RULES) {
      expect(r.needs.length, r.id).toBeGreaterThan(0);
      expect(new Set(r.needs).size, r.id).toBe(r.needs.length);
      for (const n of r.needs) expect(sources.has(n), `${r.id}: ${n}`).toBe(true);
      // A rule reading CloudWatch metrics or X-Ray traces says so in both places.
      expect(r.needs.includes("metrics"), `${r.id}: metrics`).toBe(r.requires.includes(METRICS));
      expect(r.needs.includes("traces"), `${r.id}: traces`).toBe(TRACES.some((a) => r.requires.includes(a)));
    }
  });

  it("names only IAM actions Osprey calls (lib/aws/permissions.ts)", () => {
    const actions = new Set(AWS_CALLS.map((c) => c.action));
    for (const r of RULES) {
      expect(r.requires.length, r.id).toBeGreaterThan(0);
      for (const a of r.requires) expect(actions.has(a), `${r.id}: ${a}`).toBe(true);
    }
  });
});

describe("reviewChecks", () => {
  const finding = { ruleId: "lambda-text-log-format", resourceArn: "arn:aws:lambda:us-east-1:1:function:a", resourceName: "a", severity: "info" as const, evidence: { logFormat: "Text" }, recommendation: "Use JSON." };

  it("fails a check with a standing finding and shows its evidence and what to change", () => {
    const check = byId({ resourceCounts: ALL_KINDS, dataCoverage: FULL_COVERAGE, findings: [finding], failedCalls: [] }).get("lambda-text-log-format")!;
    expect(check).toMatchObject({ status: "fail", question: "OPS1", resourcesChecked: 3, toChange: "Use JSON.", notCheckedReason: null });
    expect(check.findings[0].evidence).toEqual({ logFormat: "Text" });
  });

  it("passes a check that ran without a finding", () => {
    expect(byId({ resourceCounts: ALL_KINDS, dataCoverage: FULL_COVERAGE, findings: [], failedCalls: [] }).get("lambda-text-log-format")).toMatchObject({ status: "pass", toChange: null });
  });

  it("says not checked, naming the IAM action, when a call it needs failed", () => {
    const checks = byId({
      resourceCounts: ALL_KINDS,
      dataCoverage: FULL_COVERAGE,
      findings: [],
      failedCalls: [{ action: "dynamodb:DescribeContinuousBackups", resource: "sessions", denied: true, message: "AccessDenied" }],
    });
    expect(checks.get("dynamodb-pitr-off")).toMatchObject({
      status: "not_checked",
      notCheckedReason: "dynamodb:DescribeContinuousBackups is denied on sessions",
      missingActions: [{ action: "dynamodb:DescribeContinuousBackups", denied: true, resources: ["sessions"] }],
      toChange: "Grant dynamodb:DescribeContinuousBackups to Osprey's role so it can run this check.",
    });
    // Checks that do not need the action still ran.
    expect(checks.get("dynamodb-throttles")?.status).toBe("pass");
  });

  it("keeps a failure a failure even when another resource could not be read", () => {
    const checks = byId({
      resourceCounts: ALL_KINDS,
      dataCoverage: FULL_COVERAGE,
      findings: [{ ...finding, ruleId: "dynamodb-pitr-off", resourceArn: "arn:aws:dynamodb:us-east-1:1:table/orders" }],
      failedCalls: [{ action: "dynamodb:DescribeContinuousBackups", resource: "sessions", denied: true, message: "AccessDenied" }],
    });
    expect(checks.get("dynamodb-pitr-off")).toMatchObject({ status: "fail", missingActions: [{ action: "dynamodb:DescribeContinuousBackups" }] });
  });

  it("does not pass a check with nothing to check", () => {
    expect(byId({ resourceCounts: { lambda: 1 }, dataCoverage: [], findings: [], failedCalls: [] }).get("dynamodb-pitr-off")).toMatchObject({ status: "not_checked", notCheckedReason: "no tables discovered" });
  });
});

describe("reviewChecks without the data a check judges", () => {
  const queueAge = { ruleId: "sqs-oldest-message-age", resourceArn: "arn:aws:sqs:us-east-1:1:orders", resourceName: "orders", severity: "warning" as const, evidence: { maxAgeS: 900 }, recommendation: "Add consumers." };

  it("passes a metric check over the queues that have metrics, counting only those", () => {
    const check = byId({ resourceCounts: { sqs: 3 }, dataCoverage: [{ service: "sqs", metrics: true, logs: false, traces: false, resources: 2 }], findings: [], failedCalls: [] }).get("sqs-oldest-message-age");
    expect(check).toMatchObject({ status: "pass", resourcesChecked: 2, notCheckedReason: null });
  });

  it("does not pass a metric check when no queue has CloudWatch metrics, and says so", () => {
    const checks = byId({ resourceCounts: { sqs: 3 }, dataCoverage: [], findings: [], failedCalls: [] });
    expect(checks.get("sqs-oldest-message-age")).toMatchObject({
      status: "not_checked",
      resourcesChecked: 0,
      notCheckedReason: "no CloudWatch metrics for these queues in the last 24 h",
      missingActions: [],
    });
    // A check of the queues' configuration still ran on all three.
    expect(checks.get("sqs-unencrypted")).toMatchObject({ status: "pass", resourcesChecked: 3 });
  });

  it("names X-Ray traces when functions ran but none was traced", () => {
    const checks = byId({ resourceCounts: { lambda: 2 }, dataCoverage: [{ service: "lambda", metrics: true, logs: true, traces: false, resources: 2 }], findings: [], failedCalls: [] });
    expect(checks.get("lambda-synchronous-chain")).toMatchObject({ status: "not_checked", notCheckedReason: "no X-Ray traces for these functions in the last 24 h" });
    expect(checks.get("lambda-timeouts")).toMatchObject({ status: "pass", resourcesChecked: 2 });
  });

  it("needs every kind of data on the same resource: logs on one function and metrics on another judge nothing", () => {
    const check = byId({
      resourceCounts: { lambda: 2 },
      dataCoverage: [
        { service: "lambda", metrics: true, logs: false, traces: false, resources: 1 },
        { service: "lambda", metrics: false, logs: true, traces: false, resources: 1 },
      ],
      findings: [],
      failedCalls: [],
    }).get("lambda-throttles");
    expect(check).toMatchObject({ status: "not_checked", notCheckedReason: "no function with both invocation logs and CloudWatch metrics in the last 24 h" });
  });

  it("lists each kind of data nothing holds", () => {
    const check = byId({ resourceCounts: { lambda: 2 }, dataCoverage: [], findings: [], failedCalls: [] }).get("lambda-provisioned-concurrency-spillover");
    expect(check?.notCheckedReason).toBe("no invocation logs or CloudWatch metrics for these functions in the last 24 h");
  });

  it("still fails a check whose finding stands, and names a denied call before missing data", () => {
    const failed = byId({ resourceCounts: { sqs: 1 }, dataCoverage: [], findings: [queueAge], failedCalls: [] }).get("sqs-oldest-message-age");
    expect(failed).toMatchObject({ status: "fail", resourcesChecked: 0 });
    const denied = byId({ resourceCounts: { sqs: 1 }, dataCoverage: [], findings: [], failedCalls: [{ action: "cloudwatch:GetMetricData", resource: "", denied: true, message: "AccessDenied" }] }).get("sqs-oldest-message-age");
    expect(denied?.notCheckedReason).toBe("cloudwatch:GetMetricData is denied");
  });

  it("leaves the score to the checks that ran", () => {
    const checks = reviewChecks({ resourceCounts: { sqs: 1 }, dataCoverage: [], findings: [], failedCalls: [] }).filter((c) => c.service === "sqs");
    const reliability = pillarScores(checks).find((s) => s.pillar === "reliability")!;
    expect(reliability.notChecked).toBe(checks.filter((c) => c.pillar === "reliability" && c.status === "not_checked").length);
    expect(checks.find((c) => c.ruleId === "sqs-backlog-growing")?.status).toBe("not_checked");
    expect(checks.find((c) => c.ruleId === "sqs-consumed-without-dlq")?.status).toBe("pass");
  });
});

describe("pillarScores", () => {
  it("scores passed over checks run, leaving not-checked out", () => {
    const scores = pillarScores([
      { pillar: "cost", status: "pass" },
      { pillar: "cost", status: "pass" },
      { pillar: "cost", status: "fail" },
      { pillar: "cost", status: "not_checked" },
      { pillar: "security", status: "not_checked" },
    ]);
    expect(scores.find((s) => s.pillar === "cost")).toEqual({ pillar: "cost", passed: 2, failed: 1, notChecked: 1, score: 67 });
    expect(scores.find((s) => s.pillar === "security")?.score).toBeNull();
  });
});
