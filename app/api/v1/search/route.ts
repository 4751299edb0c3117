// GET /api/v1/search – log lines across functions matching words, phrases, regular expressions and JSON field filters, newest first.
import { NextResponse } from "next/server";
import { z } from "zod";
import { parseSearchParam, runSearch } from "@/lib/api/log-search";
import { handle } from "@/lib/api/route";
import { decodeCursor, encodeCursor, resolveRange } from "@/lib/api/schemas/common";
import { LogSearchQuery, type LogSearchResponse } from "@/lib/api/schemas/search";
import { hasTrigramIndex, searchLogs } from "@/lib/db/log-search";
import { pool } from "@/lib/db/prisma";

export const dynamic = "force-dynamic";

const SearchCursor = z.object({ t: z.number(), e: z.string() });

export const GET = handle("viewer", async (req: Request) => {
  const url = new URL(req.url);
  const q = LogSearchQuery.parse(Object.fromEntries(url.searchParams));
  const range = resolveRange(q);
  const search = parseSearchParam(q.q);
  const before = decodeCursor(q.cursor, SearchCursor);
  const { hits, searchedFrom } = await runSearch(() =>
    searchLogs(pool(), {
      search,
      from: range.from,
      to: range.to,
      resourceIds: q.resource,
      accountId: q.account,
      limit: q.limit + 1,
      before: before && { ts: before.t, eventId: before.e },
    }),
  );
  const page = hits.slice(0, q.limit);
  const last = page[page.length - 1];
  const body: LogSearchResponse = {
    data: page.map((h) => ({ ...h, invocationUrl: h.requestId ? `/functions/${h.resourceId}/invocations/${encodeURIComponent(h.requestId)}` : null })),
    nextCursor:
      hits.length > q.limit && last
        ? encodeCursor({ t: Date.parse(last.ts), e: last.eventId })
        : // The search's time ran out at a day's boundary: the next page searches the older lines ("" sorts before every event id).
          searchedFrom !== null
          ? encodeCursor({ t: searchedFrom, e: "" })
          : null,
    searchedFrom: hits.length > q.limit ? null : searchedFrom,
    indexed: await hasTrigramIndex(pool()),
  };
  return NextResponse.json(body);
});
