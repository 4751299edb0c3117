import { z } from "zod";
import { Change, csv, Id, QueryInt, RangeMeta, RangeQuery } from "./common";

export const OverviewQuery = z.object({
  ...RangeQuery.shape,
  account: csv(Id).optional().meta({ description: "Account ids, comma-separated; all when absent" }),
  region: csv(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/)).optional().meta({ description: "Regions, comma-separated; all when absent" }),
  top: QueryInt(1, 50).default(5).meta({ description: "Length of each top list" }),
});
export type OverviewQuery = z.infer<typeof OverviewQuery>;

export const TopItem = z.object({ id: z.number(), name: z.string(), region: z.string(), account: z.string(), value: z.number() });
export type TopItem = z.infer<typeof TopItem>;

export const OverviewPoint = z.object({
  t: z.number(),
  invocations: z.number(),
  errors: z.number(),
  errorRate: z.number().nullable(),
  coldStarts: z.number(),
  coldStartRate: z.number().nullable(),
  p95: z.number().nullable(),
  costUsd: z.number(),
});
export type OverviewPoint = z.infer<typeof OverviewPoint>;

export const IngestJobHealth = z.object({
  job: z.string(),
  lastRunAt: z.string().nullable(),
  lastStatus: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  failures24h: z.number(),
  lastError: z.string().nullable(),
});

export const IngestHealth = z.object({
  accountId: z.number(),
  account: z.string(),
  region: z.string(),
  lastSuccessAt: z.string().nullable().meta({ description: "Latest successful ingest run of any job" }),
  newestDataAt: z.string().nullable().meta({ description: "Newest log cursor: data is complete up to here" }),
  lagMs: z.number().nullable().meta({ description: "now - newestDataAt (else now - lastSuccessAt)" }),
  failures24h: z.number(),
  lastError: z.string().nullable(),
  jobs: z.array(IngestJobHealth),
});
export type IngestHealth = z.infer<typeof IngestHealth>;

export const Overview = z.object({
  totals: z.object({
    invocations: Change,
    errors: Change,
    errorRate: Change,
    coldStarts: Change,
    coldStartRate: Change,
    p95: Change,
    costUsd: Change,
    functions: z.number().meta({ description: "Resources with at least one invocation in the range" }),
  }),
  series: z.array(OverviewPoint),
  top: z.object({ errors: z.array(TopItem), slowest: z.array(TopItem), cost: z.array(TopItem), coldStarts: z.array(TopItem) }),
  ingest: z.array(IngestHealth),
});
export type Overview = z.infer<typeof Overview>;

export const OverviewResponse = z.object({ data: Overview, meta: RangeMeta });
