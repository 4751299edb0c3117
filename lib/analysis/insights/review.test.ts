import { describe, expect, it } from "vitest";
import { AWS_CALLS } from "../../aws/permissions";
import { RULES } from "./engine";
import { LENS_QUESTIONS, PILLARS, pillarScores, reviewChecks, type ReviewInput } from "./review";

const byId = (input: ReviewInput) => new Map(reviewChecks(input).map((c) => [c.ruleId, c]));
const ALL_KINDS = { lambda: 3, sqs: 2, apigateway: 1, dynamodb: 1 };

describe("the checks of the review", () => {
  it("has at least 8 rules in every pillar", () => {
    for (const pillar of PILLARS) expect(RULES.filter((r) => r.pillar === pillar).length, pillar).toBeGreaterThanOrEqual(8);
  });

  it("answers every Serverless Lens question, each rule in its question's pillar", () => {
    for (const q of LENS_QUESTIONS) expect(RULES.some((r) => r.question === q.id), q.id).toBe(true);
    for (const r of RULES) expect(LENS_QUESTIONS.find((q) => q.id === r.question)?.pillar, r.id).toBe(r.pillar);
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
    const check = byId({ resourceCounts: ALL_KINDS, findings: [finding], failedCalls: [] }).get("lambda-text-log-format")!;
    expect(check).toMatchObject({ status: "fail", question: "OPS1", resourcesChecked: 3, toChange: "Use JSON.", notCheckedReason: null });
    expect(check.findings[0].evidence).toEqual({ logFormat: "Text" });
  });

  it("passes a check that ran without a finding", () => {
    expect(byId({ resourceCounts: ALL_KINDS, findings: [], failedCalls: [] }).get("lambda-text-log-format")).toMatchObject({ status: "pass", toChange: null });
  });

  it("says not checked, naming the IAM action, when a call it needs failed", () => {
    const checks = byId({
      resourceCounts: ALL_KINDS,
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
      findings: [{ ...finding, ruleId: "dynamodb-pitr-off", resourceArn: "arn:aws:dynamodb:us-east-1:1:table/orders" }],
      failedCalls: [{ action: "dynamodb:DescribeContinuousBackups", resource: "sessions", denied: true, message: "AccessDenied" }],
    });
    expect(checks.get("dynamodb-pitr-off")).toMatchObject({ status: "fail", missingActions: [{ action: "dynamodb:DescribeContinuousBackups" }] });
  });

  it("does not pass a check with nothing to check", () => {
    expect(byId({ resourceCounts: { lambda: 1 }, findings: [], failedCalls: [] }).get("dynamodb-pitr-off")).toMatchObject({ status: "not_checked", notCheckedReason: "no tables discovered" });
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
