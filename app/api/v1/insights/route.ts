// GET /api/v1/insights – findings filtered by severity, pillar, service, state, account, region or resource.
import { NextResponse } from "next/server";
import { handle } from "@/lib/api/route";
import { InsightsQuery } from "@/lib/api/schemas/insights";
import { listInsights } from "@/lib/db/insights-read";
import { pool } from "@/lib/db/prisma";

export const dynamic = "force-dynamic";

export const GET = handle("viewer", async (req: Request) => {
  const url = new URL(req.url);
  const q = InsightsQuery.parse(Object.fromEntries(url.searchParams));
  return NextResponse.json(await listInsights(pool(), q));
});
