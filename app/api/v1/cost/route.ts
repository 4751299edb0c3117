// GET /api/v1/cost – cost per resource (or account, region, runtime) per day, top movers, projected month and right-sizing estimates.
import { NextResponse } from "next/server";
import { handle } from "@/lib/api/route";
import { resolveRange, searchParams } from "@/lib/api/schemas/common";
import { CostQuery } from "@/lib/api/schemas/cost";
import { pool } from "@/lib/db/prisma";
import { getCost } from "@/lib/db/queries/cost";

export const dynamic = "force-dynamic";

export const GET = handle("viewer", async (req: Request) => {
  const q = CostQuery.parse(searchParams(req));
  const range = resolveRange(q.from !== undefined || q.range ? q : { ...q, range: "30d" });
  const data = await getCost(pool(), q, range);
  return NextResponse.json({ data, meta: range });
});
