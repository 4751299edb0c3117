// GET /api/v1/resources/:id/deploys – a function's code deploys in the range, each with its before/after verdict, and metrics per executed version.
import { NextResponse } from "next/server";
import { NotFoundError } from "@/lib/api/errors";
import { handle } from "@/lib/api/route";
import { IdParam, resolveRange, searchParams } from "@/lib/api/schemas/common";
import { DeploysQuery } from "@/lib/api/schemas/deploys";
import { pool } from "@/lib/db/prisma";
import { listDeploys, versionMetrics } from "@/lib/db/queries/deploys";
import { getResourceRef } from "@/lib/db/queries/resource";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle("viewer", async (req: Request, { params }: Ctx) => {
  const { id } = IdParam.parse(await params);
  const range = resolveRange(DeploysQuery.parse(searchParams(req)));
  const resource = await getResourceRef(pool(), id);
  if (!resource || resource.kind !== "lambda") throw new NotFoundError("Function");
  const deploys = (await listDeploys(pool(), id, range.from)).filter((d) => d.at < range.to);
  const versions = await versionMetrics(pool(), id, range.from, range.to);
  return NextResponse.json({ data: { deploys, versions }, meta: range });
});
