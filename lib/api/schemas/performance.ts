import { z } from "zod";
import { RangeMeta, RangeQuery } from "./common";

export const PerformanceQuery = RangeQuery;

const Lever = z.enum(["memory", "downstream", "balanced"]);

export const Downstream = z.object({
  label: z.string().meta({ description: "The service and resource: \"DynamoDB orders\", \"api.stripe.com\"" }),
  kind: z.enum(["aws", "http", "lambda"]),
  share: z.number().meta({ description: "Share of handler time spent waiting on it (0..1); parallel waits split evenly" }),
  calls: z.number(),
  avgCallMs: z.number(),
});

export const TraceBreakdownView = z.object({
  invocations: z.number().meta({ description: "Traced invocations read (the latest, at most 500 in the range)" }),
  ownCodeShare: z.number().meta({ description: "Share of handler time in the function's own code (0..1): what scales with memory" }),
  waitingShare: z.number(),
  synchronousWaitShare: z.number().meta({ description: "Share of handler time waiting on another function or on HTTP" }),
  lever: Lever,
  downstream: z.array(Downstream).meta({ description: "Most time first" }),
});

export const PerformanceAdviceView = z.object({
  lever: Lever,
  whatIfMemoryMB: z.number(),
  avgDurationMs: z.number(),
  avgDurationAtWhatIfMs: z.number().meta({ description: "Only the own-code share scales with memory" }),
  text: z.string(),
});

export const PerformanceResponse = z.object({
  data: z.object({
    memorySizeMB: z.number(),
    breakdown: TraceBreakdownView.nullable().meta({ description: "Null when the range holds no traced invocation" }),
    advice: PerformanceAdviceView.nullable(),
  }),
  meta: RangeMeta,
});
export type PerformanceResponse = z.infer<typeof PerformanceResponse>;
