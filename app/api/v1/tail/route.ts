// GET /api/v1/tail – live tail: log lines newer than the caller's cursor, oldest first; keeps the watched functions read every few seconds.
import { NextResponse } from "next/server";
import { z } from "zod";
import { parseSearchParam, runSearch } from "@/lib/api/log-search";
import { handle } from "@/lib/api/route";
import { decodeCursor, encodeCursor, searchParams } from "@/lib/api/schemas/common";
import { LogTailQuery, type LogTailResponse } from "@/lib/api/schemas/tail";
import { tailLogLines } from "@/lib/db/log-search";
import { MAX_WATCHED_PER_REQUEST, refreshWatches } from "@/lib/db/log-watches";
import { pool } from "@/lib/db/prisma";
import type { LogSearch } from "@/lib/ingest/search/parse-query";

export const dynamic = "force-dynamic";

const TailCursor = z.object({ t: z.number(), e: z.string() });
const FIRST_WINDOW_MS = 15 * 60_000;
const EVERYTHING: LogSearch = { words: [], phrases: [], regexes: [], fields: [] };

export const GET = handle("viewer", async (req: Request) => {
  const q = LogTailQuery.parse(searchParams(req));
  const search = q.q ? parseSearchParam(q.q) : EVERYTHING;
  const after = decodeCursor(q.after, TailCursor);
  const watchIds = (q.resource ?? []).slice(0, MAX_WATCHED_PER_REQUEST);
  const db = pool();
  const [watched, lines] = await Promise.all([
    refreshWatches(db, watchIds),
    runSearch(() =>
      tailLogLines(db, {
        search,
        resourceIds: q.resource,
        accountId: q.account,
        after: after && { ts: after.t, eventId: after.e },
        limit: q.limit,
        now: Date.now(),
        firstWindowMs: FIRST_WINDOW_MS,
      }),
    ),
  ]);
  const last = lines[lines.length - 1];
  const body: LogTailResponse = {
    data: lines.map((h) => ({ ...h, invocationUrl: h.requestId ? `/functions/${h.resourceId}/invocations/${encodeURIComponent(h.requestId)}` : null })),
    cursor: last ? encodeCursor({ t: Date.parse(last.ts), e: last.eventId }) : (q.after ?? null),
    more: after !== undefined && lines.length === q.limit,
    watched,
  };
  return NextResponse.json(body);
});
