import { z } from "zod";
import { csv, Cursor, Id, QueryInt } from "./common";
import { LogSearchHit } from "./search";

export const LogTailQuery = z.object({
  resource: csv(Id).optional().meta({ description: "Functions to tail (repeated or comma-separated, up to 20 are watched: Osprey reads their log groups every few seconds while the tail is polled). Without it, the newest lines of every function, as the regular passes and push deliveries bring them" }),
  account: Id.optional(),
  q: z.string().trim().max(500).optional().meta({ description: "The log search syntax: words, \"phrases\", /regular expressions/, `level = ERROR`" }),
  after: Cursor.meta({ description: "The `cursor` of the previous answer: only lines after it. Without it, the newest lines of the last 15 minutes" }),
  limit: QueryInt(1, 500).default(200),
});
export type LogTailQuery = z.infer<typeof LogTailQuery>;

export const LogTailResponse = z.object({
  data: z.array(LogSearchHit).meta({ description: "Lines after the cursor, oldest first" }),
  cursor: z.string().nullable().meta({ description: "Pass as `after` on the next poll (null: no line yet, poll without `after` again)" }),
  more: z.boolean().meta({ description: "True when `limit` cut the answer: poll again at once" }),
  watched: z.array(z.number()).meta({ description: "The functions whose log groups Osprey now reads every few seconds for this tail" }),
});
export type LogTailResponse = z.infer<typeof LogTailResponse>;
