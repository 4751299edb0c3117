import { z } from "zod";
import { csv, Cursor, Id, QueryInt, RangeQuery } from "./common";

export const LogSearchQuery = RangeQuery.extend({
  q: z.string().trim().min(1).max(500).meta({ description: 'Words (prefixes), "quoted phrases" and JSON field filters such as `level = ERROR` or `userId = 42`' }),
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

export const LogSearchResponse = z.object({ data: z.array(LogSearchHit), nextCursor: z.string().nullable() });
export type LogSearchResponse = z.infer<typeof LogSearchResponse>;
