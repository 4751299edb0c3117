// GET /api/v1/resources/:id/totals – the range's totals of one resource against the previous period (as the overview's), and peak concurrency against its limit.
import { NextResponse } from "next/server";
import { NotFoundError } from "@/lib/api/errors";
import { handle } from "@/lib/api/route";
import { IdParam, resolveRange, searchParams } from "@/lib/api/schemas/common";
import { ResourceTotalsQuery } from "@/lib/api/schemas/resource";
import { pool } from "@/lib/db/prisma";
import { getResourceRef } from "@/lib/db/queries/resource";
import { getResourceTotals } from "@/lib/db/queries/resource-totals";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle("viewer", async (req: Request, { params }: Ctx) => {
  const { id } = IdParam.parse(await params);
  const range = resolveRange(ResourceTotalsQuery.parse(searchParams(req)));
  const resource = await getResourceRef(pool(), id);
  if (!resource) throw new NotFoundError("Resource");
  const data = await getResourceTotals(pool(), resource, range);
  return NextResponse.json({ data, meta: range });
});
