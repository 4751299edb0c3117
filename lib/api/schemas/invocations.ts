import { z } from "zod";
import { csv, Cursor, Id, Limit, QueryDecimal, RangeQuery } from "./common";

export const InvocationStatus = z.enum(["success", "error", "timeout", "out_of_memory", "crash"]);
const Bool = z.enum(["true", "false"]).transform((v) => v === "true");

export const InvocationListQuery = z.object({
  ...RangeQuery.shape,
  status: csv(InvocationStatus).optional().meta({ description: "Statuses, comma-separated (success, error, timeout, out_of_memory, crash)" }),
  coldStart: Bool.optional().meta({ description: "true: cold starts only; false: warm only" }),
  retry: Bool.optional().meta({ description: "true: retries only (attempt > 1); false: first attempts only" }),
  minDurationMs: QueryDecimal(0, 1_000_000_000).optional(),
  q: z.string().trim().min(1).max(200).optional().meta({ description: "Case-insensitive text in the invocation's log lines" }),
  errorGroup: Id.optional().meta({ description: "Only the attempts in which an error of this group (/api/v1/errors/:id) occurred" }),
  cursor: Cursor,
  limit: Limit,
});
export type InvocationListQuery = z.infer<typeof InvocationListQuery>;

export const InvocationSummary = z.object({
  id: z.string(),
  requestId: z.string(),
  attempt: z.number(),
  retry: z.boolean(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  billedDurationMs: z.number().nullable(),
  memorySizeMB: z.number().nullable(),
  maxMemoryUsedMB: z.number().nullable(),
  initDurationMs: z.number().nullable(),
  coldStart: z.boolean(),
  status: InvocationStatus.nullable(),
  errorType: z.string().nullable(),
  errorMessage: z.string().nullable(),
  costUsd: z.number().nullable(),
  traceId: z.string().nullable(),
  complete: z.boolean(),
});
export type InvocationSummary = z.infer<typeof InvocationSummary>;

export const InvocationListResponse = z.object({
  data: z.array(InvocationSummary),
  nextCursor: z.string().nullable(),
  meta: z.object({ from: z.number(), to: z.number() }),
});
export type InvocationListResponse = z.infer<typeof InvocationListResponse>;
