// GET /api/v1/search/histogram – how many log lines match a search per time bucket over the range.
import { NextResponse } from "next/server";
import { parseSearchParam, runSearch } from "@/lib/api/log-search";
import { handle } from "@/lib/api/route";
import { resolveRange } from "@/lib/api/schemas/common";
import { LogSearchHistogramQuery, type LogSearchHistogramResponse } from "@/lib/api/schemas/search";
import { searchHistogram } from "@/lib/db/log-search";
import { pool } from "@/lib/db/prisma";

export const dynamic = "force-dynamic";

export const GET = handle("viewer", async (req: Request) => {
  const q = LogSearchHistogramQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  const range = resolveRange(q);
  const search = parseSearchParam(q.q);
  const data = await runSearch(() => searchHistogram(pool(), { search, from: range.from, to: range.to, resourceIds: q.resource, accountId: q.account }));
  const body: LogSearchHistogramResponse = { data };
  return NextResponse.json(body);
});
