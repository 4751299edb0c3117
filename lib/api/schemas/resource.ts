import { z } from "zod";
import { RangeMeta, RangeQuery } from "./common";
import { RangeTotals } from "./overview";

export const ConfigChange = z.object({ path: z.string(), from: z.unknown(), to: z.unknown() });

export const ConfigVersion = z.object({
  id: z.number(),
  seenAt: z.string(),
  changes: z.array(ConfigChange).meta({ description: "Empty for the first version" }),
  config: z.record(z.string(), z.unknown()),
});

export const FailedExecution = z.object({
  executionArn: z.string(),
  name: z.string(),
  startedAt: z.string(),
  stoppedAt: z.string(),
  failedState: z.string().nullable().meta({ description: "The last state entered before ExecutionFailed, from GetExecutionHistory" }),
  error: z.string().nullable(),
  cause: z.string().nullable(),
});
export type FailedExecution = z.infer<typeof FailedExecution>;

export const ResourceDetail = z.object({
  id: z.number(),
  name: z.string(),
  kind: z.string(),
  arn: z.string(),
  region: z.string(),
  accountId: z.number(),
  account: z.string(),
  config: z.record(z.string(), z.unknown()).meta({ description: "For Lambda: LambdaConfig (runtime, memorySizeMB, timeoutS, architecture, ...)" }),
  tags: z.record(z.string(), z.string()),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  deletedAt: z.string().nullable(),
  deleted: z.boolean(),
  versions: z.array(ConfigVersion).meta({ description: "Configuration history, newest first (at most 100)" }),
  failedExecutions: z
    .array(FailedExecution)
    .optional()
    .meta({ description: "Step Functions state machines: the newest failed executions (at most 20) with the state each failed in, read at discovery" }),
});
export type ResourceDetail = z.infer<typeof ResourceDetail>;

export const ResourceDetailResponse = z.object({ data: ResourceDetail });

export const ResourceTotals = z.object({
  totals: RangeTotals.meta({ description: "The range's totals against the previous period, as the overview computes them, for this resource only" }),
  concurrency: z.object({
    peak: z.number().nullable().meta({ description: "Highest CloudWatch ConcurrentExecutions (Maximum) in the range; null when no point was collected" }),
    limit: z.number().nullable().meta({ description: "The function's reserved concurrency; null when it has none (the account limit is not stored)" }),
    pct: z.number().nullable().meta({ description: "peak / limit × 100, as the concurrency_pct alert condition computes it" }),
  }),
});
export type ResourceTotals = z.infer<typeof ResourceTotals>;

export const ResourceTotalsQuery = RangeQuery;

export const ResourceTotalsResponse = z.object({ data: ResourceTotals, meta: RangeMeta.omit({ grain: true }) });
