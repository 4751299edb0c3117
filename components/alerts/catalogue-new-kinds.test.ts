import { describe, expect, it } from "vitest";
import { CONDITIONS } from "@/lib/analysis/alerts/evaluate";
import { conditionInWords, formatValue, kindGroups, kindInfo } from "./catalogue";

const base = { threshold: 0, criticalThreshold: null, windowMinutes: 30, minInvocations: 10 };

// The real catalogue, as the editor offers it: every group a user picks from, and the kinds that
// are not "a figure ≥ a threshold" (severity ranks, silence, stale ingest) said the way they work.
describe("the condition catalogue beyond Lambda rollups", () => {
  it("groups kinds by what they watch, in catalogue order", () => {
    expect(kindGroups().map((g) => g.group)).toEqual(["Functions (Lambda)", "Queues (SQS)", "APIs (API Gateway)", "Tables (DynamoDB)", "Insights", "Osprey itself"]);
    const sqs = kindGroups().find((g) => g.group === "Queues (SQS)")!;
    expect(sqs.kinds.map((k) => k.kind)).toEqual(Object.entries(CONDITIONS).filter(([, s]) => s.appliesTo === "sqs").map(([k]) => k));
  });

  it("lists the resources a kind is about in the picker, and hides what a kind does not use", () => {
    expect(kindInfo("sqs_oldest_age")).toMatchObject({ resourceKind: "sqs", usesMinInvocations: false, hasThreshold: true, unit: "seconds" });
    expect(kindInfo("api_5xx_rate")).toMatchObject({ resourceKind: "apigateway", usesMinInvocations: true, unit: "percent" });
    expect(kindInfo("no_invocations")).toMatchObject({ hasThreshold: false, maxWindowMinutes: 10080 });
    expect(kindInfo("ingest_stale")).toMatchObject({ appliesTo: "account_region", hasThreshold: false });
    expect(kindInfo("error_rate").maxWindowMinutes).toBe(1440);
  });

  it("says them in words with their unit", () => {
    expect(conditionInWords({ ...base, conditionKind: "sqs_oldest_age", threshold: 300 })).toBe("Age of the oldest message ≥ 300 s over 30 min");
    expect(conditionInWords({ ...base, conditionKind: "concurrency_pct", threshold: 80 })).toBe("Concurrency as % of its limit ≥ 80 % over 30 min");
    expect(conditionInWords({ ...base, conditionKind: "insight_opened", threshold: 1 })).toBe("An insight of warning or higher opened in the last 30 min");
    expect(conditionInWords({ ...base, conditionKind: "no_invocations" })).toBe("No invocations for the window (checked over 30 min)");
    expect(formatValue("pct", 85.5)).toBe("85.5 %");
    expect(formatValue("severity", 2)).toBe("critical");
  });
});
