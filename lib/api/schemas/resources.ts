import { z } from "zod";
import { RESOURCE_KINDS } from "../../resource-kinds";
import { Cursor, csv, Limit, Order, RangeMeta, RangeQuery, ResourceFilterQuery } from "./common";

export const RESOURCE_COLUMNS = [
  "name",
  "kind",
  "region",
  "account",
  "runtime",
  "memorySizeMB",
  "architecture",
  "invocations",
  "errors",
  "errorRate",
  "p50",
  "p95",
  "p99",
  "coldStarts",
  "coldStartRate",
  "maxMemoryUsedMB",
  "memoryUsedRatio",
  "costUsd",
] as const;
export const NUMERIC_COLUMNS = [
  "memorySizeMB",
  "invocations",
  "errors",
  "errorRate",
  "p50",
  "p95",
  "p99",
  "coldStarts",
  "coldStartRate",
  "maxMemoryUsedMB",
  "memoryUsedRatio",
  "costUsd",
] as const;
export type NumericColumn = (typeof NUMERIC_COLUMNS)[number];

export const ColumnFilter = z
  .string()
  .regex(/^\w+:(gt|gte|lt|lte|eq):-?\d+(\.\d+)?$/, "must be column:op:number, op one of gt gte lt lte eq")
  .transform((s) => {
    const [column, op, value] = s.split(":");
    return { column, op: op as "gt" | "gte" | "lt" | "lte" | "eq", value: Number(value) };
  })
  .refine((f) => (NUMERIC_COLUMNS as readonly string[]).includes(f.column), "unknown numeric column")
  .transform((f) => ({ ...f, column: f.column as NumericColumn }));

export const ResourceListQuery = z.object({
  ...RangeQuery.shape,
  ...ResourceFilterQuery.shape,
  kind: z.enum(RESOURCE_KINDS).default("lambda"),
  sort: z.enum(RESOURCE_COLUMNS).default("invocations"),
  order: Order.default("desc"),
  filter: csv(ColumnFilter).optional().meta({ description: "Numeric filters column:op:value (op gt|gte|lt|lte|eq), e.g. errorRate:gt:0.01,p95:gte:1000" }),
  includeDeleted: z.enum(["true", "false"]).default("false").transform((v) => v === "true"),
  cursor: Cursor,
  limit: Limit,
});
export type ResourceListQuery = z.infer<typeof ResourceListQuery>;

export const ResourceRow = z.object({
  id: z.number(),
  name: z.string(),
  kind: z.string(),
  region: z.string(),
  accountId: z.number(),
  account: z.string(),
  runtime: z.string().nullable(),
  memorySizeMB: z.number().nullable(),
  architecture: z.string().nullable(),
  deleted: z.boolean(),
  invocations: z.number(),
  errors: z.number().meta({ description: "Failed invocations: error + timeout + out of memory + crash (lib/analysis/metrics.ts)" }),
  errorRate: z.number().nullable().meta({ description: "errors / invocations" }),
  p50: z.number().nullable().meta({ description: "Duration percentiles in ms, from the rollup histograms (within 2 %)" }),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
  coldStarts: z.number().meta({ description: "A count of cold starts" }),
  coldStartRate: z.number().nullable().meta({ description: "coldStarts / invocations" }),
  maxMemoryUsedMB: z.number().nullable(),
  memoryUsedRatio: z.number().nullable().meta({ description: "maxMemoryUsedMB / memorySizeMB" }),
  costUsd: z.number(),
  metrics: z
    .record(z.string(), z.number().nullable())
    .optional()
    .meta({ description: "Queues, APIs, tables, streams, state machines, topics and rules: the tab's CloudWatch columns over the range, keyed as lib/resource-columns.ts defines them" }),
  sparkline: z.array(z.number()).meta({ description: "Invocations per bin across the range: about 24 bins, one per day on ranges over 6 h that span whole days" }),
});
export type ResourceRow = z.infer<typeof ResourceRow>;

export const ResourceListResponse = z.object({
  data: z.array(ResourceRow),
  nextCursor: z.string().nullable(),
  meta: RangeMeta.extend({
    total: z.number(),
    sparkBinMs: z.number(),
    runtimes: z.array(z.string()).meta({ description: "Runtimes of the resources of this kind, account and region (other filters ignored), sorted: the runtime filter's options" }),
  }),
});
export type ResourceListResponse = z.infer<typeof ResourceListResponse>;
