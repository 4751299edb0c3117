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
  errors: z.number().meta({ description: "Failed invocations: error + timeout + out of memory + crash (lib/analysis/metrics.ts)" }),
  errorRate: z.number().nullable().meta({ description: "errors / invocations" }),
  coldStarts: z.number().meta({ description: "Invocations that started with an init or a SnapStart restore (a count)" }),
  coldStartRate: z.number().nullable().meta({ description: "coldStarts / invocations" }),
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

export const IngestWarning = z.object({
  feature: z.string().meta({ description: "What is degraded: tags, provisioned concurrency, logs, metrics, traces, discovery (sqs), ..." }),
  resource: z.string().meta({ description: "The function it serves, or empty for the whole region" }),
  action: z.string().nullable().meta({ description: "IAM action of the failed call, e.g. lambda:ListProvisionedConcurrencyConfigs" }),
  denied: z.boolean().meta({ description: "The call was refused by IAM (AccessDenied)" }),
  message: z.string(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  count: z.number().meta({ description: "Passes in a row that saw the call fail" }),
});
export type IngestWarning = z.infer<typeof IngestWarning>;

export const QuarantinedEvent = z.object({
  logGroup: z.string(),
  eventId: z.string(),
  eventTime: z.string().nullable().meta({ description: "The event's own timestamp, null when no date can show it" }),
  reason: z.string().meta({ description: "Why Postgres refused it" }),
  sqlstate: z.string().nullable(),
  message: z.string().meta({ description: "The start of the raw message (NUL and broken surrogates as U+FFFD)" }),
  firstSeenAt: z.string(),
});
export type QuarantinedEvent = z.infer<typeof QuarantinedEvent>;

export const ApiCallUsage = z.object({
  api: z.string(),
  callsLastHour: z.number().meta({ description: "Calls Osprey made in the last full hour and the current one" }),
  calls24h: z.number(),
  units24h: z.number().meta({ description: "What AWS bills by: metrics requested for GetMetricData, kilobytes scanned for StartQuery (Logs Insights), requests for the others" }),
  costUsd24h: z.number().meta({ description: "units24h at the price in lib/analysis/api-prices.ts" }),
});
export type ApiCallUsage = z.infer<typeof ApiCallUsage>;

export const FunctionFreshness = z.object({
  name: z.string(),
  newestDataAt: z.string().nullable(),
  ageMs: z.number().nullable().meta({ description: "now - the end of its last log read" }),
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
  warnings: z.array(IngestWarning).meta({ description: "Calls that failed without failing the region, newest first (at most 50)" }),
  quarantinedCount: z.number().meta({ description: "Log events kept aside because Postgres refused them" }),
  quarantined: z.array(QuarantinedEvent).meta({ description: "The newest quarantined events (at most 20)" }),
  apiCalls: z.array(ApiCallUsage).meta({ description: "AWS API calls Osprey made for this account and region, and what AWS bills for them (CloudWatch and X-Ray)" }),
  freshness: z.object({
    functions: z.number(),
    p50AgeMs: z.number().nullable(),
    maxAgeMs: z.number().nullable(),
    stalest: z.array(FunctionFreshness).meta({ description: "The functions whose newest data is oldest (at most 5)" }),
  }).meta({ description: "Per function: how old its newest log data is (now - the end of its last read)" }),
});
export type IngestHealth = z.infer<typeof IngestHealth>;

/** A range's totals, each against the previous period: the overview's KPI cards and the function page's. */
export const RangeTotals = z.object({
  invocations: Change,
  errors: Change.meta({ description: "Failed invocations: error + timeout + out of memory + crash (lib/analysis/metrics.ts)" }),
  errorRate: Change.meta({ description: "Failed / invocations" }),
  coldStarts: Change.meta({ description: "A count of cold starts; coldStartRate is the share" }),
  coldStartRate: Change,
  p95: Change,
  costUsd: Change,
});
export type RangeTotals = z.infer<typeof RangeTotals>;

export const Overview = z.object({
  totals: RangeTotals.extend({
    functions: z.number().meta({ description: "Resources with at least one invocation in the range" }),
  }),
  series: z.array(OverviewPoint),
  top: z.object({ errors: z.array(TopItem), slowest: z.array(TopItem), cost: z.array(TopItem), coldStarts: z.array(TopItem) }),
  ingest: z.array(IngestHealth),
});
export type Overview = z.infer<typeof Overview>;

export const OverviewResponse = z.object({ data: Overview, meta: RangeMeta });
