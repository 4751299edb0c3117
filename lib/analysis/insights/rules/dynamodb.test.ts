import { describe, expect, it } from "vitest";
import { aTable, evaluateRule } from "../__fixtures__/builders";
import { dynamoSystemErrors, dynamoThrottles } from "./dynamodb";

describe("dynamodb-throttles", () => {
  it("warns on throttled requests", () => {
    const [finding] = evaluateRule(dynamoThrottles, { tables: [aTable({ throttledRequests: 12 })] });
    expect(finding).toMatchObject({ severity: "warning", evidence: { throttledRequests: 12 } });
    expect(finding.recommendation).toContain("12 requests");
  });

  it("stays quiet without throttles", () => {
    expect(evaluateRule(dynamoThrottles, { tables: [aTable({ throttledRequests: 0 })] })).toEqual([]);
  });
});

describe("dynamodb-system-errors", () => {
  it("warns on system errors", () => {
    const [finding] = evaluateRule(dynamoSystemErrors, { tables: [aTable({ systemErrors: 3 })] });
    expect(finding).toMatchObject({ severity: "warning", evidence: { systemErrors: 3 } });
    expect(finding.recommendation).toContain("3 requests");
  });

  it("stays quiet without system errors", () => {
    expect(evaluateRule(dynamoSystemErrors, { tables: [aTable({ systemErrors: 0 })] })).toEqual([]);
  });
});
