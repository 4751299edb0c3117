import { z } from "zod";
import { Change, QueryInt, RangeQuery, ResourceFilterQuery } from "./common";

export const CostQuery = z.object({
  ...RangeQuery.shape,
  ...ResourceFilterQuery.shape,
  groupBy: z.enum(["resource", "account", "region", "runtime"]).default("resource"),
  limit: QueryInt(1, 1000).default(100).meta({ description: "Groups returned, most expensive first; the rest are summed into `other`" }),
});
export type CostQuery = z.infer<typeof CostQuery>;

export const RightSizingOption = z.object({
  memoryMB: z.number(),
  avgBilledDurationMs: z.number(),
  monthlyCostUsd: z.number().meta({ description: "Only the own-code share of the function's X-Ray traces scales with memory; without traces, duration unchanged by memory (I/O-bound, the cautious estimate)" }),
  monthlyCostUsdIfCpuBound: z.number().meta({ description: "Duration inversely proportional to memory (CPU-bound work): the optimistic estimate" }),
  current: z.boolean(),
  recommended: z.boolean(),
  fits: z.boolean().meta({ description: "Leaves 30 % headroom above the peak memory used, and is not a cut the engine holds back" }),
});

export const CostGroup = z.object({
  key: z.string(),
  label: z.string(),
  resourceId: z.number().nullable(),
  region: z.string().nullable(),
  costUsd: z.number(),
  previousCostUsd: z.number(),
  change: z.number().nullable(),
  invocations: z.number(),
  gbSeconds: z.number(),
  avgBilledDurationMs: z.number().nullable(),
  memorySizeMB: z.number().nullable(),
  maxMemoryUsedMB: z.number().nullable(),
  architecture: z.string().nullable(),
  daily: z.array(z.number()).meta({ description: "Cost per day, aligned with `days`" }),
  rightSizing: z
    .object({
      monthlyInvocations: z.number(),
      currentMonthlyCostUsd: z.number(),
      recommendedMemoryMB: z.number(),
      action: z.enum(["cut", "raise", "keep"]),
      hold: z.enum(["timeouts", "near-timeout", "out-of-memory"]).nullable().meta({ description: "Why no smaller size is advised although the memory used would allow one" }),
      reason: z.string(),
      recommendedMonthlyCostUsd: z.number(),
      monthlySavingUsd: z.number(),
      basis: z.string().meta({ description: "What the monthly figures extrapolate from" }),
      options: z.array(RightSizingOption),
    })
    .nullable()
    .meta({ description: "Lambda functions with groupBy=resource only" }),
});

export const CostData = z.object({
  days: z.array(z.number()).meta({ description: "UTC day starts (ms) of the daily arrays" }),
  totals: z.object({ costUsd: z.number(), previousCostUsd: z.number(), change: z.number().nullable(), previousPartial: Change.shape.previousPartial, daily: z.array(z.number()) }),
  groups: z.array(CostGroup),
  other: z.object({ groups: z.number(), costUsd: z.number(), daily: z.array(z.number()) }),
  topMovers: z.array(z.object({ key: z.string(), label: z.string(), resourceId: z.number().nullable(), costUsd: z.number(), previousCostUsd: z.number(), deltaUsd: z.number() })),
  projectedMonth: z.object({
    month: z.string(),
    monthToDateUsd: z.number(),
    dailyAverageUsd: z.number().meta({ description: "month-to-date over the month's days with data (from the first data when the account was added this month)" }),
    remainingDays: z.number(),
    projectedUsd: z.number().meta({ description: "month-to-date + daily average so far x remaining days" }),
  }),
  assumptions: z.array(z.string()),
});
export type CostData = z.infer<typeof CostData>;

export const CostResponse = z.object({ data: CostData, meta: z.object({ from: z.number(), to: z.number(), prevFrom: z.number(), prevTo: z.number() }) });
