import { describe, expect, it } from "vitest";
import { aFunction, DAY, evaluateOnFunction, evaluateRule } from "../__fixtures__/builders";
import { RUNTIME_DEPRECATION_DATES } from "../runtimes";
import {
  lambdaDeprecatedRuntime,
  lambdaLogRetentionUnset,
  lambdaReservedConcurrencyZero,
  lambdaSharedRole,
  lambdaTracingOff,
} from "./lambda-operations-security";

describe("lambda-deprecated-runtime", () => {
  it("is critical once AWS blocks updates to functions on the runtime, with its dates and a successor", () => {
    const finding = evaluateOnFunction(lambdaDeprecatedRuntime, aFunction({ runtime: "python3.8" }));
    expect(finding).toMatchObject({
      severity: "critical",
      pillar: "security",
      evidence: {
        runtime: "python3.8",
        deprecationDate: "2024-10-14",
        deprecatedDaysAgo: 503,
        updatesBlockedFrom: "2025-03-31",
        updatesBlocked: true,
        suggestedRuntime: "python3.13",
      },
    });
    expect(finding?.recommendation).toContain("deprecated 503 days ago (2024-10-14)");
    expect(finding?.recommendation).toContain("since 2025-03-31 AWS blocks updates");
    expect(finding?.recommendation).toContain("python3.13");
  });

  it("warns on a runtime deprecated within 180 days", () => {
    const finding = evaluateOnFunction(lambdaDeprecatedRuntime, aFunction({ runtime: "nodejs20.x" }));
    expect(finding).toMatchObject({ severity: "warning", evidence: { deprecationDate: "2026-04-30", daysUntilDeprecation: 60, updatesBlocked: false } });
    expect(finding?.recommendation).toContain("deprecated in 60 days (2026-04-30)");
  });

  it("stays a warning after deprecation until AWS blocks updates, then turns critical", () => {
    const fn = aFunction({ runtime: "nodejs20.x" });
    const deprecated = evaluateOnFunction(lambdaDeprecatedRuntime, fn, {}, new Date("2026-06-01T00:00:00Z"));
    expect(deprecated).toMatchObject({ severity: "warning", evidence: { deprecatedDaysAgo: 32, updatesBlockedFrom: "2026-09-30", updatesBlocked: false } });
    expect(deprecated?.recommendation).toContain("was deprecated 32 days ago");
    expect(evaluateOnFunction(lambdaDeprecatedRuntime, fn, {}, new Date("2026-09-29T23:59:00Z"))?.severity).toBe("warning");
    expect(evaluateOnFunction(lambdaDeprecatedRuntime, fn, {}, new Date("2026-09-30T00:00:00Z"))?.severity).toBe("critical");
  });

  it("never shows negative days left: 216 days after deprecation it says so", () => {
    const finding = evaluateOnFunction(lambdaDeprecatedRuntime, aFunction({ runtime: "nodejs20.x" }), {}, new Date("2026-12-02T00:00:00Z"));
    expect(finding?.evidence).toMatchObject({ deprecatedDaysAgo: 216 });
    expect(Object.values(finding?.evidence ?? {}).filter((v) => typeof v === "number" && v < 0)).toEqual([]);
    expect(finding?.recommendation).toContain("deprecated 216 days ago");
  });

  it("a runtime 149 days from deprecation is a warning, not critical", () => {
    const finding = evaluateOnFunction(lambdaDeprecatedRuntime, aFunction({ runtime: "nodejs22.x" }), {}, new Date("2026-12-02T00:00:00Z"));
    expect(finding).toMatchObject({ severity: "warning", evidence: { daysUntilDeprecation: 149 } });
    expect(finding?.recommendation).toContain("deprecated in 149 days");
  });

  it("without a published block date, takes AWS's earliest (60 days after deprecation) and says it is an estimate", () => {
    const fn = aFunction({ runtime: "dotnet6" });
    expect(evaluateOnFunction(lambdaDeprecatedRuntime, fn, {}, new Date("2025-01-10T00:00:00Z"))?.severity).toBe("warning");
    const finding = evaluateOnFunction(lambdaDeprecatedRuntime, fn, {}, new Date("2025-02-20T00:00:00Z"));
    expect(finding).toMatchObject({ severity: "critical", evidence: { updatesBlockedFrom: "2025-02-18" } });
    expect(finding?.recommendation).toContain("about 2025-02-18 (AWS blocks updates at least 60 days after deprecation)");
  });

  it("counts 180 days as soon and 181 as not yet", () => {
    const date = new Date("2026-03-31T00:00:00Z");
    const fn = aFunction({ runtime: "ruby3.2" });
    expect(evaluateOnFunction(lambdaDeprecatedRuntime, fn, {}, new Date(date.getTime() - 180 * DAY))?.severity).toBe("warning");
    expect(evaluateOnFunction(lambdaDeprecatedRuntime, fn, {}, new Date(date.getTime() - 181 * DAY))).toBeUndefined();
  });

  it("stays quiet on supported runtimes, unknown runtimes and images", () => {
    expect(evaluateOnFunction(lambdaDeprecatedRuntime, aFunction({ runtime: "python3.12" }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaDeprecatedRuntime, aFunction({ runtime: "cobol85" }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaDeprecatedRuntime, aFunction({ runtime: null, packageType: "Image" }))).toBeUndefined();
  });

  it("holds the dates of AWS's runtime table", () => {
    expect(RUNTIME_DEPRECATION_DATES).toMatchObject({
      "python3.8": "2024-10-14",
      "python3.9": "2025-12-15",
      "nodejs16.x": "2024-06-12",
      "nodejs18.x": "2025-09-01",
      java8: "2024-01-08",
      "go1.x": "2024-01-08",
      provided: "2024-01-08",
      dotnet6: "2024-12-20",
      "ruby3.2": "2026-03-31",
      "python3.10": "2026-06-30",
      "nodejs20.x": "2026-04-30",
    });
  });
});

describe("lambda-tracing-off", () => {
  it("notes tracing off on a function that calls other services", () => {
    const finding = evaluateOnFunction(lambdaTracingOff, aFunction({ tracingMode: "PassThrough" }, { downstreamCalls: 12 }));
    expect(finding).toMatchObject({
      severity: "info",
      pillar: "operational_excellence",
      evidence: { tracingMode: "PassThrough", downstreamCalls: 12 },
    });
    expect(finding?.recommendation).toContain("12 times");
  });

  it("stays quiet with Active tracing or no downstream calls", () => {
    expect(evaluateOnFunction(lambdaTracingOff, aFunction({ tracingMode: "Active" }, { downstreamCalls: 12 }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaTracingOff, aFunction({ tracingMode: "PassThrough" }, { downstreamCalls: 0 }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaTracingOff, aFunction({ tracingMode: "PassThrough" }, null))).toBeUndefined();
  });
});

describe("lambda-log-retention-unset", () => {
  it("notes a log group that never expires", () => {
    const finding = evaluateOnFunction(lambdaLogRetentionUnset, aFunction({ logRetentionDays: null }));
    expect(finding).toMatchObject({ severity: "info", evidence: { logGroup: "/aws/lambda/orders-api", retention: "never expire" } });
    expect(finding?.recommendation).toContain("/aws/lambda/orders-api");
  });

  it("stays quiet with a retention period", () => {
    expect(evaluateOnFunction(lambdaLogRetentionUnset, aFunction({ logRetentionDays: 30 }))).toBeUndefined();
  });
});

describe("lambda-shared-role", () => {
  it("raises one finding per function sharing a role, listing the others", () => {
    const role = "arn:aws:iam::123456789012:role/shared";
    const findings = evaluateRule(lambdaSharedRole, {
      functions: [
        aFunction({ functionName: "a", role }),
        aFunction({ functionName: "b", role }),
        aFunction({ functionName: "c", role }),
        aFunction({ functionName: "d" }),
      ],
    });
    expect(findings.map((f) => f.resourceArn.split(":").pop())).toEqual(["a", "b", "c"]);
    expect(findings[0]).toMatchObject({ severity: "info", pillar: "security", evidence: { role, sharedWithCount: 2, sharedWith: "b, c" } });
    expect(findings[0].recommendation).toContain("2 other functions (b, c)");
  });

  it("stays quiet when every function has its own role", () => {
    expect(evaluateRule(lambdaSharedRole, { functions: [aFunction({ functionName: "a" }), aFunction({ functionName: "b" })] })).toEqual([]);
  });
});

describe("lambda-reserved-concurrency-zero", () => {
  it("warns on a function disabled by reserved concurrency 0, critical when callers are throttled", () => {
    expect(evaluateOnFunction(lambdaReservedConcurrencyZero, aFunction({ reservedConcurrency: 0 }, null))).toMatchObject({
      severity: "warning",
      evidence: { reservedConcurrency: 0, throttles: 0 },
    });
    const throttled = evaluateOnFunction(lambdaReservedConcurrencyZero, aFunction({ reservedConcurrency: 0 }, { invocations: 0, throttles: 40 }));
    expect(throttled).toMatchObject({ severity: "critical", evidence: { throttles: 40 } });
    expect(throttled?.recommendation).toContain("40 in the window");
  });

  it("stays quiet without a reservation or with a positive one", () => {
    expect(evaluateOnFunction(lambdaReservedConcurrencyZero, aFunction({ reservedConcurrency: null }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaReservedConcurrencyZero, aFunction({ reservedConcurrency: 5 }))).toBeUndefined();
  });
});
