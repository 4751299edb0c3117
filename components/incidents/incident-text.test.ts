import { describe, expect, it } from "vitest";
import { describeEvent, formatConditionValue, incidentsApiQuery } from "./incident-text";

const event = (kind: string, actor: string, detail: unknown = null) => ({ kind, actor, at: "2026-12-02T10:00:00.000Z", detail });

describe("formatConditionValue", () => {
  it("writes values in the condition's unit", () => {
    expect(formatConditionValue("error_rate", 0.058)).toBe("5.8%");
    expect(formatConditionValue("failed_invocations", 1234)).toBe("1,234");
    expect(formatConditionValue("p95_duration", 1500)).toBe("1.50 s");
    expect(formatConditionValue("cost_per_hour", 2.5)).toBe("$2.50/h");
    expect(formatConditionValue("error_rate", null)).toBe("–");
    expect(formatConditionValue("ingest_stale", 3)).toBe("3 min");
    expect(formatConditionValue("sqs_oldest_age", 420)).toBe("420 s");
    expect(formatConditionValue("concurrency_pct", 85.25)).toBe("85.3 %");
    expect(formatConditionValue("insight_opened", 2)).toBe("critical");
    expect(formatConditionValue("some_future_kind", 3)).toBe("3");
  });
});

describe("describeEvent", () => {
  it("says who acted, through which channel, and what the figure was", () => {
    expect(describeEvent(event("opened", "osprey", { value: 0.12, threshold: 0.05, severity: "warning" }), "error_rate")).toBe("Opened: 12% against a threshold of 5.0% (warning)");
    expect(describeEvent(event("notified", "osprey", { channel: "ops-slack", channelKind: "slack", event: "opened" }), "error_rate")).toBe("Notified via ops-slack (slack): opened");
    expect(describeEvent(event("delivery_failed", "osprey", { channel: "pager", error: "HTTP 500" }), "error_rate")).toBe("Delivery via pager failed: HTTP 500");
    expect(describeEvent(event("acknowledged", "you"), "error_rate")).toBe("Acknowledged by you");
    expect(describeEvent(event("snoozed", "kim", { minutes: 240, until: "2026-12-02T14:00:00.000Z" }), "error_rate")).toMatch(/^Snoozed by kim for 4 h \(notifications held until /);
    expect(describeEvent(event("resolved", "osprey", { value: 0.01 }), "error_rate")).toBe("Resolved: back under the threshold (1.0%)");
    expect(describeEvent(event("resolved", "lee"), "error_rate")).toBe("Resolved by lee");
    expect(describeEvent(event("escalated", "osprey", { severity: "critical", value: 0.3 }), "error_rate")).toBe("Escalated to critical: 30%");
  });
});

describe("incidentsApiQuery", () => {
  it("asks for incidents not resolved by default, every state for all, and passes severity and policy", () => {
    expect(incidentsApiQuery(new URLSearchParams(""))).toBe("state=active");
    expect(incidentsApiQuery(new URLSearchParams("state=all&severity=critical&policy=7&resource=3"))).toBe("severity=critical&policy=7");
    expect(incidentsApiQuery(new URLSearchParams("state=resolved"))).toBe("state=resolved");
  });
});
