// GET /api/v1/overview – fleet totals with changes against the previous period, trend series, top functions and ingest health.
import { NextResponse } from "next/server";
import { handle } from "@/lib/api/route";
import { resolveRange, searchParams } from "@/lib/api/schemas/common";
import { OverviewQuery } from "@/lib/api/schemas/overview";
import { pool } from "@/lib/db/prisma";
import { getOverview } from "@/lib/db/queries/overview";

export const dynamic = "force-dynamic";

export const GET = handle("viewer", async (req: Request) => {
  const q = OverviewQuery.parse(searchParams(req));
  const range = resolveRange(q);
  const { data, grain } = await getOverview(pool(), q, range);
  return NextResponse.json({ data, meta: { ...range, grain } });
});
