import { describe, expect, it } from "vitest";
import { aFunction, evaluateOnFunction, GIB, HOUR, NOW } from "../__fixtures__/builders";
import {
  lambdaArm64Saving,
  lambdaColdStartRate,
  lambdaDurationRegression,
  lambdaLargePackage,
  lambdaLogCost,
  lambdaMemoryOverProvisioned,
  lambdaMemoryUnderProvisioned,
  lambdaTimeoutAtMaximum,
} from "./lambda-performance-cost";

const MB = 1024 * 1024;
// A new account: Osprey's data for the function began 42 h ago, a quarter of the 7-day window. Its traffic, a
// quarter of a week's, is the same rate as a whole week's, and every monthly figure must say so.
const NEW_ACCOUNT = { dataSince: new Date(NOW.getTime() - 42 * HOUR), coveredSince: new Date(NOW.getTime() - 42 * HOUR) };

describe("lambda-memory-over-provisioned", () => {
  // 50,000 invocations of 1.4 s billed at 1,024 MB in 7 days on arm64: 70,000 GB-s. 30 days at that rate are
  // 214,286 invocations and 300,000 GB-s: $4.00 of compute + $0.04 of requests; at 256 MB $1.00 + $0.04.
  const busyWeek = { gbSeconds: 70_000, invocations: 50_000, billedMs: 50_000 * 1400 };

  it("names the size to pick and the monthly saving at unchanged duration, and what the month extrapolates from", () => {
    const finding = evaluateOnFunction(
      lambdaMemoryOverProvisioned,
      aFunction({ memorySizeMB: 1024 }, { ...busyWeek, maxMemoryUsedMB: 150, maxMemoryRatio: 150 / 1024 }),
    );
    expect(finding).toMatchObject({
      severity: "info",
      pillar: "cost",
      monthlySavingUsd: 3,
      evidence: {
        maxMemoryUsedMB: 150,
        memorySizeMB: 1024,
        maxUsedPct: 14.6,
        recommendedMemoryMB: 256,
        monthlyCostUsd: 4.04,
        monthlyCostAtRecommendedUsd: 1.04,
        monthlyBasis: "30 days at the rate of the last 7 days (50000 invocations, average billed duration as measured)",
      },
    });
    expect(finding?.recommendation).toContain("Set memory to 256 MB");
    expect(finding?.recommendation).toContain("$3.00 a month (30 days at the rate of the last 7 days");
    expect(finding?.recommendation).toContain("assuming duration stays the same");
  });

  it("gives no cut to a function that times out or runs near its timeout", () => {
    const fn = { memorySizeMB: 2048, timeoutS: 60 };
    const quiet = { ...busyWeek, maxMemoryUsedMB: 300, p99Ms: 20_000 };
    expect(evaluateOnFunction(lambdaMemoryOverProvisioned, aFunction(fn, quiet))).toBeDefined();
    expect(evaluateOnFunction(lambdaMemoryOverProvisioned, aFunction(fn, { ...quiet, timeouts: 9 }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaMemoryOverProvisioned, aFunction(fn, { ...quiet, p99Ms: 48_000 }))).toBeUndefined();
  });

  it("fires just under 30 % and stays quiet at 30 %", () => {
    const under = evaluateOnFunction(lambdaMemoryOverProvisioned, aFunction({ memorySizeMB: 1000 }, { ...busyWeek, maxMemoryUsedMB: 299 }));
    expect(under?.evidence.recommendedMemoryMB).toBe(448);
    expect(evaluateOnFunction(lambdaMemoryOverProvisioned, aFunction({ memorySizeMB: 1000 }, { ...busyWeek, maxMemoryUsedMB: 300 }))).toBeUndefined();
  });

  it("takes the month from the hours with data: a new account's 42 h are not a week with 126 idle hours", () => {
    const quarter = { invocations: 12_500, gbSeconds: 17_500, billedMs: 12_500 * 1400, maxMemoryUsedMB: 150, ...NEW_ACCOUNT };
    const finding = evaluateOnFunction(lambdaMemoryOverProvisioned, aFunction({ memorySizeMB: 1024 }, quarter));
    expect(finding).toMatchObject({
      monthlySavingUsd: 3,
      evidence: {
        monthlyCostUsd: 4.04,
        monthlySavingUsd: 3,
        monthlyBasis: "30 days at the rate of the last 42 h (12500 invocations, average billed duration as measured)",
      },
    });
    expect(finding?.recommendation).toMatch(/^In the last 42 hours /);
  });

  it("does not judge on less than 6 hours of data or too few invocations", () => {
    const fiveHours = { coveredSince: new Date(NOW.getTime() - 5 * HOUR) };
    const sixHours = { coveredSince: new Date(NOW.getTime() - 6 * HOUR) };
    expect(evaluateOnFunction(lambdaMemoryOverProvisioned, aFunction({ memorySizeMB: 1024 }, { ...busyWeek, ...fiveHours, maxMemoryUsedMB: 150 }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaMemoryOverProvisioned, aFunction({ memorySizeMB: 1024 }, { ...busyWeek, ...sixHours, maxMemoryUsedMB: 150 }))).toBeDefined();
    expect(evaluateOnFunction(lambdaMemoryOverProvisioned, aFunction({ memorySizeMB: 1024 }, { ...busyWeek, invocations: 99, maxMemoryUsedMB: 150 }))).toBeUndefined();
  });

  it("stays quiet when some invocations ran out of memory", () => {
    expect(evaluateOnFunction(lambdaMemoryOverProvisioned, aFunction({ memorySizeMB: 1024 }, { ...busyWeek, maxMemoryUsedMB: 150, outOfMemory: 1 }))).toBeUndefined();
  });

  it("stays quiet when the smallest sensible size is the current one", () => {
    expect(evaluateOnFunction(lambdaMemoryOverProvisioned, aFunction({ memorySizeMB: 128 }, { ...busyWeek, maxMemoryUsedMB: 30 }))).toBeUndefined();
  });
});

describe("lambda-memory-under-provisioned", () => {
  it("warns above 95 % and names the size to pick", () => {
    const finding = evaluateOnFunction(
      lambdaMemoryUnderProvisioned,
      aFunction({ memorySizeMB: 512 }, { maxMemoryUsedMB: 497, maxMemoryRatio: 0.97 }),
    );
    expect(finding).toMatchObject({ severity: "warning", evidence: { maxMemoryUsedPct: 97, memorySizeMB: 512, recommendedMemoryMB: 704 } });
    expect(finding?.recommendation).toContain("97%");
    expect(finding?.recommendation).toContain("from 512 MB to 704 MB");
  });

  it("stays quiet at exactly 95 %", () => {
    expect(evaluateOnFunction(lambdaMemoryUnderProvisioned, aFunction({ memorySizeMB: 512 }, { maxMemoryRatio: 0.95 }))).toBeUndefined();
  });
});

describe("lambda-cold-start-rate", () => {
  it("suggests provisioned concurrency on a user-facing Node.js function above 1 %", () => {
    const finding = evaluateOnFunction(lambdaColdStartRate, aFunction({ userFacing: true }, { invocations: 1000, coldStarts: 20 }));
    expect(finding).toMatchObject({ severity: "warning", pillar: "performance", evidence: { coldStarts: 20, coldStartRatePct: 2 } });
    expect(finding?.recommendation).toContain("2%");
    expect(finding?.recommendation).toContain("provisioned concurrency");
  });

  it("suggests SnapStart on Java", () => {
    const finding = evaluateOnFunction(lambdaColdStartRate, aFunction({ userFacing: true, runtime: "java21" }, { invocations: 1000, coldStarts: 50 }));
    expect(finding?.recommendation).toContain("SnapStart");
  });

  it("stays quiet at 1 %, on back-office functions and on rarely called ones", () => {
    expect(evaluateOnFunction(lambdaColdStartRate, aFunction({ userFacing: true }, { invocations: 1000, coldStarts: 10 }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaColdStartRate, aFunction({ userFacing: false }, { invocations: 1000, coldStarts: 500 }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaColdStartRate, aFunction({ userFacing: true }, { invocations: 99, coldStarts: 50 }))).toBeUndefined();
  });
});

describe("lambda-duration-regression", () => {
  it("warns when the last hour's median is more than twice the 7-day median", () => {
    const finding = evaluateOnFunction(lambdaDurationRegression, aFunction({}, { medianDuration7dMs: 100, medianDurationRecentMs: 250 }));
    expect(finding).toMatchObject({ severity: "warning", evidence: { medianDurationRecentMs: 250, medianDuration7dMs: 100, ratio: 2.5 } });
    expect(finding?.recommendation).toContain("2.5x");
  });

  it("stays quiet at exactly double, on tiny absolute changes and without a baseline", () => {
    expect(evaluateOnFunction(lambdaDurationRegression, aFunction({}, { medianDuration7dMs: 100, medianDurationRecentMs: 200 }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaDurationRegression, aFunction({}, { medianDuration7dMs: 5, medianDurationRecentMs: 20 }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaDurationRegression, aFunction({}, { medianDuration7dMs: null, medianDurationRecentMs: 900 }))).toBeUndefined();
  });
});

describe("lambda-arm64-saving", () => {
  it("estimates 20 % of compute on x86 and states the assumption", () => {
    // 84,000 GB-s in 7 days on x86: 360,000 GB-s in 30 days, $6.00 a month.
    const finding = evaluateOnFunction(lambdaArm64Saving, aFunction({ architecture: "x86_64" }, { gbSeconds: 84_000 }));
    expect(finding).toMatchObject({
      severity: "info",
      pillar: "cost",
      monthlySavingUsd: 1.2,
      evidence: { monthlyComputeUsd: 6, monthlySavingUsd: 1.2, savingPct: 20 },
    });
    expect(finding?.recommendation).toContain("$1.20 a month");
    expect(finding?.recommendation).toContain("x86-only native binaries");
  });

  it("projects a new account's month from its hours with data", () => {
    const finding = evaluateOnFunction(lambdaArm64Saving, aFunction({ architecture: "x86_64" }, { gbSeconds: 21_000, ...NEW_ACCOUNT }));
    expect(finding?.evidence).toMatchObject({ monthlyComputeUsd: 6, monthlySavingUsd: 1.2 });
  });

  it("tells an image that it must be rebuilt", () => {
    const finding = evaluateOnFunction(lambdaArm64Saving, aFunction({ architecture: "x86_64", packageType: "Image" }, { gbSeconds: 84_000 }));
    expect(finding?.recommendation).toContain("image has to be rebuilt");
  });

  it("stays quiet on arm64 and below a dollar a month", () => {
    expect(evaluateOnFunction(lambdaArm64Saving, aFunction({ architecture: "arm64" }, { gbSeconds: 84_000 }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaArm64Saving, aFunction({ architecture: "x86_64" }, { gbSeconds: 60_000 }))).toBeUndefined();
  });
});

describe("lambda-timeout-at-maximum", () => {
  it("flags a 900 s timeout and suggests one from the p99", () => {
    const finding = evaluateOnFunction(lambdaTimeoutAtMaximum, aFunction({ timeoutS: 900 }, { p99Ms: 2000 }));
    expect(finding).toMatchObject({ severity: "info", evidence: { timeoutS: 900, p99Ms: 2000 } });
    expect(finding?.recommendation).toContain("about 6 s");
  });

  it("suggests splitting the work when the p99 needs nearly all of it", () => {
    const finding = evaluateOnFunction(lambdaTimeoutAtMaximum, aFunction({ timeoutS: 900 }, { p99Ms: 880_000 }));
    expect(finding?.recommendation).toContain("split the work");
  });

  it("stays quiet below the maximum", () => {
    expect(evaluateOnFunction(lambdaTimeoutAtMaximum, aFunction({ timeoutS: 899 }))).toBeUndefined();
  });
});

describe("lambda-large-package", () => {
  it("notes a zip above 10 MB and warns above 50 MB", () => {
    const medium = evaluateOnFunction(lambdaLargePackage, aFunction({ codeSizeBytes: 12 * MB }));
    expect(medium).toMatchObject({ severity: "info", evidence: { codeSizeMB: 12, thresholdMB: 10 } });
    expect(medium?.recommendation).toContain("12 MB");
    expect(evaluateOnFunction(lambdaLargePackage, aFunction({ codeSizeBytes: 60 * MB }))?.severity).toBe("warning");
  });

  it("stays quiet at 10 MB and on container images", () => {
    expect(evaluateOnFunction(lambdaLargePackage, aFunction({ codeSizeBytes: 10 * MB }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaLargePackage, aFunction({ packageType: "Image", codeSizeBytes: 500 * MB }))).toBeUndefined();
  });
});

describe("lambda-log-cost", () => {
  it("warns when log ingestion costs more than half the function", () => {
    // $1 a day of Lambda, 2 GiB a day of logs = $1 a day of ingestion.
    const finding = evaluateOnFunction(lambdaLogCost, aFunction({}, { costUsd: 7, logBytes: 14 * GIB }));
    expect(finding).toMatchObject({
      severity: "warning",
      pillar: "cost",
      monthlySavingUsd: 15,
      evidence: { logGBPerDay: 2, logCostPerDayUsd: 1, lambdaCostPerDayUsd: 1, logPctOfLambdaCost: 100 },
    });
    expect(finding?.recommendation).toContain("$1.00 a day");
    expect(finding?.recommendation).toContain("$15.00 a month");
  });

  it("takes a new account's daily figures over its hours with data", () => {
    const finding = evaluateOnFunction(lambdaLogCost, aFunction({}, { costUsd: 1.75, logBytes: 3.5 * GIB, ...NEW_ACCOUNT }));
    expect(finding).toMatchObject({ monthlySavingUsd: 15, evidence: { logGBPerDay: 2, logCostPerDayUsd: 1, lambdaCostPerDayUsd: 1 } });
  });

  it("stays quiet at exactly half and when the amounts are trivial", () => {
    expect(evaluateOnFunction(lambdaLogCost, aFunction({}, { costUsd: 7, logBytes: 7 * GIB }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaLogCost, aFunction({}, { costUsd: 0.0001, logBytes: 100 * MB }))).toBeUndefined();
  });
});
