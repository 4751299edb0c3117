import { describe, expect, it } from "vitest";
import { parseDuration, parseSandboxArgs } from "./cli";

describe("sandbox cli", () => {
  it("parses its flags", () => {
    expect(parseSandboxArgs(["--port", "0", "--backfill", "7d", "--seed", "9", "--scale-functions", "50", "--rate=2.5"])).toEqual({
      port: 0, backfillMs: 7 * 86_400_000, seed: 9, scale: { functions: 50, rate: 2.5 },
    });
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("6h")).toBe(21_600_000);
    expect(() => parseSandboxArgs(["--bogus"])).toThrow(/unknown option/);
    expect(parseSandboxArgs(["--poison-rate", "0.05"])).toEqual({ poisonRate: 0.05 });
    expect(parseSandboxArgs(["--deny", "lambda:ListTags,xray:GetTraceSummaries", "--html404=lambda:ListProvisionedConcurrencyConfigs"])).toEqual({
      calls: { deny: ["lambda:ListTags", "xray:GetTraceSummaries"], html404: ["lambda:ListProvisionedConcurrencyConfigs"] },
    });
    expect(() => parseDuration("soon")).toThrow();
  });
});
