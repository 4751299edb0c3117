// GET /api/v1/resources/:id/series – metric series of one resource (rollups and CloudWatch metrics) with configuration-change markers.
import { NextResponse } from "next/server";
import { NotFoundError } from "@/lib/api/errors";
import { handle } from "@/lib/api/route";
import { IdParam, resolveRange, searchParams } from "@/lib/api/schemas/common";
import { SeriesQuery } from "@/lib/api/schemas/series";
import { pool } from "@/lib/db/prisma";
import { getResourceRef } from "@/lib/db/queries/resource";
import { getResourceSeries } from "@/lib/db/queries/series";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle("viewer", async (req: Request, { params }: Ctx) => {
  const { id } = IdParam.parse(await params);
  const q = SeriesQuery.parse(searchParams(req));
  const range = resolveRange(q);
  if (!(await getResourceRef(pool(), id))) throw new NotFoundError("Resource");
  const data = await getResourceSeries(pool(), id, q, range);
  return NextResponse.json({ data, meta: { from: range.from, to: range.to } });
});
