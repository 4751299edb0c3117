import { z } from "zod";
import { csv, Cursor, Id, QueryInt, RangeQuery } from "./common";

export const LogSearchQuery = RangeQuery.extend({
  q: z.string().trim().min(1).max(500).meta({ description: 'Words and "quoted phrases" (found anywhere, also inside longer tokens, any case), JSON field filters such as `level = ERROR` or `userId = 42`, and /regular expressions/' }),
  resource: csv(Id).optional().meta({ description: "Only these resource ids" }),
  account: Id.optional(),
  limit: QueryInt(1, 200).default(50),
  cursor: Cursor,
});
export type LogSearchQuery = z.infer<typeof LogSearchQuery>;

export const LogSearchHit = z.object({
  eventId: z.string(),
  ts: z.string(),
  resourceId: z.number(),
  functionName: z.string(),
  region: z.string(),
  requestId: z.string().nullable(),
  logStream: z.string(),
  level: z.string().nullable(),
  message: z.string(),
  invocationUrl: z.string().nullable().meta({ description: "The UI page of the invocation this line belongs to" }),
});

export const LogSearchResponse = z.object({
  data: z.array(LogSearchHit),
  nextCursor: z.string().nullable(),
  searchedFrom: z
    .number()
    .nullable()
    .meta({ description: "Set when the search's time ran out before the start of the range: lines older than this (ms since the epoch) are searched by the next page (nextCursor)" }),
  indexed: z.boolean().meta({ description: "False when Postgres lacks pg_trgm: the search then reads the time range line by line" }),
});
export type LogSearchResponse = z.infer<typeof LogSearchResponse>;

export const LogSearchHistogramQuery = LogSearchQuery.pick({ q: true, range: true, from: true, to: true, resource: true, account: true });
export type LogSearchHistogramQuery = z.infer<typeof LogSearchHistogramQuery>;

export const LogSearchHistogramResponse = z.object({
  data: z.object({
    from: z.number().meta({ description: "The range searched, ms since the epoch" }),
    to: z.number(),
    bucketMs: z.number().meta({ description: "Width of each bucket" }),
    buckets: z.array(z.object({ t: z.number().meta({ description: "Bucket start, ms since the epoch" }), count: z.number() })).meta({ description: "Buckets with matches, oldest first" }),
    exact: z.boolean().meta({ description: "False when estimated from a random sample of the range (too many matches to count in time)" }),
  }),
});
export type LogSearchHistogramResponse = z.infer<typeof LogSearchHistogramResponse>;

export const LogContextQuery = z.object({
  event: z.string().min(1).max(100).meta({ description: "The line's eventId" }),
  ts: z.iso.datetime().transform((s) => Date.parse(s)).meta({ description: "The line's ts (as a search hit gives it)" }),
  n: QueryInt(1, 100).default(10).meta({ description: "Lines before and after" }),
});
export type LogContextQuery = z.infer<typeof LogContextQuery>;

const ContextLine = LogSearchHit.omit({ invocationUrl: true });
export const LogContextResponse = z.object({
  data: z.object({ before: z.array(ContextLine), line: ContextLine, after: z.array(ContextLine) }).meta({ description: "Lines of the same log stream, oldest first" }),
});
export type LogContextResponse = z.infer<typeof LogContextResponse>;

export const SavedSearchInput = z.object({
  name: z.string().trim().min(1).max(100),
  q: z.string().trim().min(1).max(500),
  range: z.enum(["1h", "24h", "7d", "30d"]).nullable().default(null),
  resource: z.array(z.number().int().positive()).max(50).default([]),
});
export type SavedSearchInput = z.infer<typeof SavedSearchInput>;

export const SavedSearchView = SavedSearchInput.extend({
  id: z.number(),
  createdBy: z.string(),
  createdAt: z.string(),
  url: z.string().meta({ description: "The search page with this search, to share" }),
});
export type SavedSearchView = z.infer<typeof SavedSearchView>;
