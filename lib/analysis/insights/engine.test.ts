import { describe, expect, it } from "vitest";
import { aContext, aFunction, anApi, aQueue, aTable } from "./__fixtures__/builders";
import { evaluateInsights, resolveThresholds, RULES, thresholdOverrideProblems } from "./engine";
import { lambdaErrorRate } from "./rules/lambda-reliability";

const twoPercentErrors = aFunction({}, { invocations: 1000, errors: 20 });

describe("RULES", () => {
  it("have unique ids and a source for every default threshold", () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const rule of RULES) {
      expect(Object.keys(rule.thresholdSources).sort(), rule.id).toEqual(Object.keys(rule.defaults).sort());
      for (const source of Object.values(rule.thresholdSources)) expect(source.length).toBeGreaterThan(10);
    }
  });
});

describe("evaluateInsights", () => {
  it("finds nothing on healthy, well-configured resources", () => {
    const ctx = aContext({
      functions: [aFunction({ functionName: "a" }), aFunction({ functionName: "b" }, null)],
      queues: [aQueue()],
      apis: [anApi()],
      tables: [aTable()],
    });
    expect(evaluateInsights(ctx)).toEqual([]);
  });

  it("raises nothing from a field AWS never answered: a first pass denied ListTags or DescribeLogGroups", () => {
    const bare = { tags: {}, logRetentionDays: null };
    const findingsOf = (unreadActions?: string[]) =>
      evaluateInsights(aContext({ functions: [aFunction({ functionName: "fresh", ...bare, unreadActions })] })).map((f) => f.ruleId);
    expect(findingsOf()).toEqual(expect.arrayContaining(["lambda-untagged", "lambda-not-infrastructure-as-code", "lambda-log-retention-unset"]));
    const unread = findingsOf(["lambda:ListTags", "logs:DescribeLogGroups"]);
    expect(unread).not.toContain("lambda-untagged");
    expect(unread).not.toContain("lambda-not-infrastructure-as-code");
    expect(unread).not.toContain("lambda-log-retention-unset");
    // What the unread calls do not feed is still judged.
    expect(findingsOf(["lambda:ListTags"])).toContain("lambda-log-retention-unset");
  });

  it("layers defaults, the context's thresholds, then the overrides", () => {
    const ctx = aContext({ functions: [twoPercentErrors] });
    expect(evaluateInsights(ctx).map((f) => f.ruleId)).toEqual(["lambda-error-rate"]);
    const lenient = aContext({ functions: [twoPercentErrors], thresholds: { "lambda-error-rate": { warningRatePct: 5 } } });
    expect(evaluateInsights(lenient)).toEqual([]);
    expect(evaluateInsights(lenient, { "lambda-error-rate": { warningRatePct: 1.5 } })).toHaveLength(1);
  });

  it("ignores unknown threshold names and non-finite values", () => {
    expect(resolveThresholds(lambdaErrorRate, { "lambda-error-rate": { warningRatePct: Number.NaN, bogus: 3 } })).toEqual(
      lambdaErrorRate.defaults,
    );
  });

  it("orders findings most severe first", () => {
    const ctx = aContext({
      functions: [
        aFunction({ functionName: "quiet-logs", logRetentionDays: null }),
        aFunction({ functionName: "failing" }, { invocations: 100, errors: 50 }),
        aFunction({ functionName: "slow", timeoutS: 10 }, { p99Ms: 9900 }),
      ],
    });
    expect(evaluateInsights(ctx).map((f) => f.severity)).toEqual(["critical", "warning", "info"]);
  });

  it("gives every finding evidence, a recommendation and its rule's pillar", () => {
    const broken = aFunction(
      {
        runtime: "python3.8",
        architecture: "x86_64",
        timeoutS: 900,
        tracingMode: "PassThrough",
        logRetentionDays: null,
        invokedAsync: true,
        userFacing: true,
        memorySizeMB: 3008,
        codeSizeBytes: 60 * 1024 * 1024,
      },
      {
        invocations: 1000,
        errors: 200,
        timeouts: 20,
        outOfMemory: 0,
        throttles: 30,
        coldStarts: 100,
        gbSeconds: 500_000,
        costUsd: 8.5,
        logBytes: 200 * 1024 ** 3,
        maxMemoryUsedMB: 200,
        maxMemoryRatio: 0.07,
        downstreamCalls: 40,
        p99Ms: 880_000,
        medianDuration7dMs: 1000,
        medianDurationRecentMs: 5000,
        maxIteratorAgeMs: 10 * 3_600_000,
        busiest5MinInvocations48h: 20,
        last5MinInvocations: 200,
        errorTypes: [{ type: "KeyError", firstSeen: new Date("2026-03-01T10:00:00Z") }],
      },
    );
    const findings = evaluateInsights(aContext({ functions: [broken] }));
    const ruleIds = findings.map((f) => f.ruleId);
    expect(ruleIds).toHaveLength(new Set(ruleIds).size);
    expect(ruleIds.length).toBeGreaterThanOrEqual(15);
    for (const finding of findings) {
      const rule = RULES.find((r) => r.id === finding.ruleId)!;
      expect(finding.pillar).toBe(rule.pillar);
      expect(finding.service).toBe(rule.service);
      expect(Object.keys(finding.evidence).length).toBeGreaterThan(0);
      for (const value of Object.values(finding.evidence)) if (typeof value === "number") expect(Number.isFinite(value)).toBe(true);
      expect(finding.recommendation.length).toBeGreaterThan(40);
      expect(finding.recommendation).not.toMatch(/undefined|NaN|Infinity/);
    }
    const costFindings = findings.filter((f) => f.monthlySavingUsd !== null);
    // It times out and runs near its timeout: no memory cut, however little memory it uses.
    expect(costFindings.map((f) => f.ruleId).sort()).toEqual(["lambda-arm64-saving", "lambda-log-cost"]);
  });
});

describe("thresholdOverrideProblems", () => {
  it("names unknown rules, unknown thresholds and non-numbers", () => {
    expect(
      thresholdOverrideProblems({
        "lambda-error-rate": { warningRatePct: 2, bogus: 1, criticalRatePct: Number.POSITIVE_INFINITY },
        "no-such-rule": { x: 1 },
      }),
    ).toEqual([
      "lambda-error-rate has no threshold bogus",
      "lambda-error-rate.criticalRatePct must be a finite number",
      "unknown rule no-such-rule",
    ]);
  });
});
