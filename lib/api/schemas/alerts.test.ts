import { describe, expect, it } from "vitest";
import { PolicyInput } from "./alerts";

const base = { name: "p", threshold: 1 };
const issues = (input: Record<string, unknown>) => {
  const r = PolicyInput.safeParse({ ...base, ...input });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("PolicyInput per condition kind", () => {
  it("accepts every new kind with a threshold in its unit", () => {
    expect(issues({ conditionKind: "throttles", threshold: 5 })).toEqual([]);
    expect(issues({ conditionKind: "api_5xx_rate", threshold: 0.05, criticalThreshold: 0.2 })).toEqual([]);
    expect(issues({ conditionKind: "p95_timeout_pct", threshold: 80, criticalThreshold: 120 })).toEqual([]);
    expect(issues({ conditionKind: "insight_opened", threshold: 2 })).toEqual([]);
    expect(issues({ conditionKind: "ingest_stale", threshold: 0, windowMinutes: 30, scopeKind: "region", region: "eu-west-1" })).toEqual([]);
  });

  it("refuses a share above 1, a percentage out of range, a severity rank or group count that is no whole number", () => {
    expect(issues({ conditionKind: "api_5xx_rate", threshold: 5 })[0]).toMatch(/^threshold: .*share/);
    expect(issues({ conditionKind: "error_rate", threshold: 0.05, criticalThreshold: 25 })[0]).toMatch(/^criticalThreshold: /);
    expect(issues({ conditionKind: "concurrency_pct", threshold: 5000 })[0]).toMatch(/percentage/);
    expect(issues({ conditionKind: "insight_opened", threshold: 1.5 })[0]).toMatch(/severity rank/);
    expect(issues({ conditionKind: "new_error_group", threshold: 0 })[0]).toMatch(/from 1/);
  });

  it("lets silence and staleness watch up to a week (a daily schedule), the others a day", () => {
    expect(issues({ conditionKind: "no_invocations", threshold: 0, windowMinutes: 26 * 60 })).toEqual([]);
    expect(issues({ conditionKind: "error_rate", threshold: 0.1, windowMinutes: 26 * 60 })[0]).toMatch(/^windowMinutes: /);
    expect(issues({ conditionKind: "no_invocations", threshold: 0, windowMinutes: 7 * 1440 + 1 })).toHaveLength(1);
  });

  it("refuses ingest_stale scoped to a tag or resources: it watches accounts and regions", () => {
    expect(issues({ conditionKind: "ingest_stale", threshold: 0, scopeKind: "tag", tagKey: "team" })[0]).toMatch(/^scopeKind: /);
  });

  it("refuses an unknown kind", () => {
    expect(issues({ conditionKind: "lambda_vibes" })).toHaveLength(1);
  });
});
