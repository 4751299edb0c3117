// GET /api/v1/errors – error groups with occurrences in the range: count, sparkline, affected functions, first/last seen, state.
import { NextResponse } from "next/server";
import { handle } from "@/lib/api/route";
import { resolveRange, searchParams } from "@/lib/api/schemas/common";
import { ErrorListQuery } from "@/lib/api/schemas/errors";
import { pool } from "@/lib/db/prisma";
import { listErrorGroups } from "@/lib/db/queries/errors";

export const dynamic = "force-dynamic";

export const GET = handle("viewer", async (req: Request) => {
  const q = ErrorListQuery.parse(searchParams(req));
  const range = resolveRange(q);
  const { data, nextCursor, total, sparkBinMs } = await listErrorGroups(pool(), q, range);
  return NextResponse.json({ data, nextCursor, meta: { from: range.from, to: range.to, total, sparkBinMs } });
});
