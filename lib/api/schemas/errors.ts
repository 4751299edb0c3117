import { z } from "zod";
import { csv, Cursor, Id, Limit, Order, RangeQuery } from "./common";

export const ErrorGroupState = z.enum(["new", "ongoing", "regressed", "resolved", "ignored"]);

export const ErrorListQuery = z.object({
  ...RangeQuery.shape,
  state: csv(ErrorGroupState).optional().meta({ description: "States, comma-separated" }),
  resource: csv(Id).optional().meta({ description: "Resource ids, comma-separated: groups with occurrences in them" }),
  account: csv(Id).optional(),
  q: z.string().trim().min(1).max(200).optional().meta({ description: "Case-insensitive text in the error type or message" }),
  sort: z.enum(["count", "lastSeen", "firstSeen"]).default("count"),
  order: Order.default("desc"),
  cursor: Cursor,
  limit: Limit,
});
export type ErrorListQuery = z.infer<typeof ErrorListQuery>;

export const AffectedResource = z.object({ id: z.number(), name: z.string() });

export const ErrorGroupRow = z.object({
  id: z.number(),
  errorType: z.string(),
  message: z.string(),
  sampleMessage: z.string(),
  topFrame: z.string().nullable(),
  state: ErrorGroupState,
  count: z.number().meta({ description: "Occurrences in the range" }),
  totalCount: z.number().meta({ description: "Occurrences ever counted" }),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  resources: z.array(AffectedResource),
  sparkline: z.array(z.number()).meta({ description: "Occurrences per bin, 24 bins across the range" }),
});
export type ErrorGroupRow = z.infer<typeof ErrorGroupRow>;

export const ErrorListResponse = z.object({
  data: z.array(ErrorGroupRow),
  nextCursor: z.string().nullable(),
  meta: z.object({ from: z.number(), to: z.number(), total: z.number(), sparkBinMs: z.number() }),
});

export const ErrorDetailQuery = z.object({ ...RangeQuery.shape, cursor: Cursor, limit: Limit });
export type ErrorDetailQuery = z.infer<typeof ErrorDetailQuery>;

export const Occurrence = z.object({
  eventId: z.string(),
  ts: z.string(),
  resourceId: z.number(),
  resourceName: z.string(),
  requestId: z.string().nullable().meta({ description: "With resourceId, the link to /api/v1/resources/:resourceId/invocations/:requestId" }),
  attempt: z.number().nullable().meta({ description: "The attempt of the request the error occurred in; null when its invocation is not stored" }),
  errorType: z.string(),
  errorMessage: z.string(),
  logStream: z.string(),
});

export const ErrorDetail = ErrorGroupRow.omit({ sparkline: true, count: true }).extend({
  resolvedAt: z.string().nullable(),
  sampleStack: z.string().nullable().meta({ description: "The whole stack of one occurrence: the one the top frame came from, else the first with a stack" }),
  occurrences: z.array(Occurrence).meta({ description: "Occurrences in the range, newest first, paged by nextCursor" }),
  timeline: z
    .object({ from: z.number(), binMs: z.number(), counts: z.array(z.number()) })
    .meta({ description: "Occurrences per bin across the whole range (bin i starts at from + i × binMs); the same on every page" }),
});
export type ErrorDetail = z.infer<typeof ErrorDetail>;

export const ErrorDetailResponse = z.object({ data: ErrorDetail, nextCursor: z.string().nullable() });

export const ErrorPatch = z.object({ state: ErrorGroupState });
export const ErrorPatchResponse = z.object({ data: z.object({ id: z.number(), state: ErrorGroupState, resolvedAt: z.string().nullable() }) });
