import { z } from "zod";
import { csv, Point, RangeQuery } from "./common";
import { ConfigChange } from "./resource";

/** Metrics computed from the rollups; any other name is read as a CloudWatch metric from metric_points. */
export const ROLLUP_METRICS = [
  "invocations",
  "successes",
  "errors",
  "error_count",
  "timeouts",
  "out_of_memory",
  "crashes",
  "error_rate",
  "cold_starts",
  "cold_start_rate",
  "retries",
  "duration",
  "memory",
  "memory_size",
  "cost",
  "billed_ms",
  "gb_seconds",
  "concurrency_avg",
] as const;
export type RollupMetric = (typeof ROLLUP_METRICS)[number];

/** Shorthands for CloudWatch metrics the function page charts. */
export const METRIC_ALIASES: Record<string, { metric: string; stat: string }> = {
  throttles: { metric: "Throttles", stat: "Sum" },
  concurrency: { metric: "ConcurrentExecutions", stat: "Maximum" },
};

export const SeriesQuery = z.object({
  ...RangeQuery.shape,
  // CloudWatch names can begin with a digit: API Gateway's 4XXError and 5XXError.
  metric: csv(z.string().regex(/^[A-Za-z0-9][\w.]{0,127}(:[\w.]{1,32})?$/, "must be name or name:stat"))
    .default(["invocations"])
    .meta({
      description:
        "Comma-separated. Rollup metrics: " +
        ROLLUP_METRICS.join(", ") +
        " (`errors` counts failed invocations: error + timeout + out of memory + crash; `error_count` only status `error`; `cold_starts` is a count, `cold_start_rate` a share)" +
        "; throttles and concurrency (CloudWatch Throttles Sum, ConcurrentExecutions Maximum); any other name is a CloudWatch metric from metric_points. `name:stat` sets the statistic of one metric (duration:p95, Duration:Maximum); `stat` is the default for the others",
    }),
  stat: z
    .string()
    .regex(/^(p50|p90|p95|p99|avg|max|Sum|Average|Maximum|Minimum|SampleCount|p\d{1,2}(\.\d+)?)$/)
    .optional()
    .meta({ description: "For duration: p50 (default), p95, p99, avg, max. For CloudWatch metrics: Sum (default), Average, Maximum, Minimum, SampleCount, pNN" }),
  period: z.coerce
    .number()
    .refine((p) => [60, 300, 3600, 86400].includes(p), "must be 60, 300, 3600 or 86400")
    .optional()
    .meta({ description: "Seconds per point: 60, 300, 3600 or 86400; default from the range (minute up to 6 h, hour up to 8 days, day beyond)" }),
});
export type SeriesQuery = z.infer<typeof SeriesQuery>;

export const Series = z.object({
  metric: z.string(),
  stat: z.string().nullable(),
  source: z.enum(["rollup", "cloudwatch"]),
  unit: z.string(),
  points: z.array(Point),
});
export type Series = z.infer<typeof Series>;

export const SeriesData = z.object({
  period: z.number(),
  series: z.array(Series),
  changes: z.array(z.object({ t: z.number(), changes: z.array(ConfigChange) })).meta({ description: "Configuration changes inside the range, for chart markers" }),
});
export type SeriesData = z.infer<typeof SeriesData>;

export const SeriesResponse = z.object({ data: SeriesData, meta: z.object({ from: z.number(), to: z.number() }) });
