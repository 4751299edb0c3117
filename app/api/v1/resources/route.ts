// GET /api/v1/resources – resources with their health, latency, cold starts, memory and cost over a range; sort, filter, page.
import { NextResponse } from "next/server";
import { handle } from "@/lib/api/route";
import { resolveRange, searchParams } from "@/lib/api/schemas/common";
import { ResourceListQuery } from "@/lib/api/schemas/resources";
import { pool } from "@/lib/db/prisma";
import { listResources } from "@/lib/db/queries/resources";

export const dynamic = "force-dynamic";

export const GET = handle("viewer", async (req: Request) => {
  const q = ResourceListQuery.parse(searchParams(req));
  return NextResponse.json(await listResources(pool(), q, resolveRange(q)));
});
