import { describe, expect, it } from "vitest";
import { parseEnv } from "../env";
import { parseDuration, parseSandboxArgs } from "./cli";
import { FaultInjector, parseFaultSpec } from "./faults";

describe("sandbox cli", () => {
  it("parses its flags", () => {
    expect(parseSandboxArgs(["--port", "0", "--backfill", "7d", "--seed", "9", "--scale-functions", "50", "--rate=2.5"])).toEqual({
      port: 0, backfillMs: 7 * 86_400_000, seed: 9, scale: { functions: 50, rate: 2.5 }, quotas: true,
    });
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("6h")).toBe(21_600_000);
    expect(() => parseSandboxArgs(["--bogus"])).toThrow(/unknown option/);
    expect(parseSandboxArgs(["--poison-rate", "0.05"])).toEqual({ poisonRate: 0.05, quotas: true });
    expect(parseSandboxArgs(["--deny", "lambda:ListTags,xray:GetTraceSummaries", "--html404=lambda:ListProvisionedConcurrencyConfigs"])).toEqual({
      calls: { deny: ["lambda:ListTags", "xray:GetTraceSummaries"], html404: ["lambda:ListProvisionedConcurrencyConfigs"] }, quotas: true,
    });
    expect(() => parseDuration("soon")).toThrow();
  });

  it("takes faults from --faults, else from OSPREY_SANDBOX_FAULTS", () => {
    expect(parseSandboxArgs(["--faults", "throttle=0.3,5xx=0.1,reset=0.05,seed=42"])).toEqual({
      faults: { "*": { throttleRate: 0.3, http500Rate: 0.05, http503Rate: 0.05, resetRate: 0.05 } },
      faultSeed: 42, quotas: true,
    });
    expect(parseSandboxArgs(["--port", "0"], "cut=0.1")).toEqual({ port: 0, faults: { "*": { cutRate: 0.1 } }, quotas: true });
    expect(parseSandboxArgs(["--faults=throttle=0.2"], "cut=0.1")).toEqual({ faults: { "*": { throttleRate: 0.2 } }, quotas: true });
    expect(() => parseSandboxArgs(["--faults", "throttle=2"])).toThrow(/between 0 and 1/);
    expect(() => parseSandboxArgs(["--faults", "flood=0.1"])).toThrow(/unknown fault "flood"/);
    expect(() => parseSandboxArgs(["--faults", "throttle=0.6,5xx=0.6"])).toThrow(/more than 1/);
    expect(() => parseEnv({ OSPREY_SANDBOX_FAULTS: "throttle=lots" })).toThrow(/OSPREY_SANDBOX_FAULTS/);
  });
});

describe("sandbox quotas and scale flags", () => {
  it("enforces quotas unless --quotas or OSPREY_SANDBOX_QUOTAS says off", () => {
    expect(parseSandboxArgs([]).quotas).toBe(true);
    expect(parseSandboxArgs([], undefined, "off").quotas).toBe(false);
    expect(parseSandboxArgs(["--quotas", "on"], undefined, "off").quotas).toBe(true);
    expect(parseSandboxArgs(["--quotas=off"]).quotas).toBe(false);
    expect(() => parseSandboxArgs(["--quotas", "maybe"])).toThrow(/on or off/);
    expect(() => parseEnv({ OSPREY_SANDBOX_QUOTAS: "maybe" })).toThrow(/OSPREY_SANDBOX_QUOTAS/);
  });

  it("takes the scale, the active share and the ingestion delay", () => {
    expect(parseSandboxArgs(["--scale-functions", "1000", "--active-share", "0.1", "--ingestion-delay-ms", "30000"])).toEqual({
      scale: { functions: 1000, activeShare: 0.1 }, ingestionDelayMs: 30_000, quotas: true,
    });
    expect(() => parseSandboxArgs(["--active-share", "3"])).toThrow(/between 0 and 1/);
  });
});

describe("fault injection", () => {
  it("fails about the share of calls the spec asks for, each kind in its proportion, the same way every time", () => {
    const { faults } = parseFaultSpec("throttle=0.3,5xx=0.1,reset=0.05,cut=0.05");
    const tally = () => {
      const f = new FaultInjector(42, faults);
      const seen: Record<string, number> = {};
      for (let i = 0; i < 10_000; i++) {
        const o = f.decide(i % 2 ? "FilterLogEvents" : "GetTraceSummaries").outcome ?? "ok";
        seen[o] = (seen[o] ?? 0) + 1;
      }
      return seen;
    };
    const seen = tally();
    expect(tally()).toEqual(seen);
    expect(seen.ok / 10_000).toBeCloseTo(0.5, 1);
    expect(seen.throttle / 10_000).toBeCloseTo(0.3, 1);
    for (const kind of ["http500", "http503", "reset", "cut"]) expect(seen[kind] / 10_000).toBeCloseTo(0.05, 1);
  });
});
