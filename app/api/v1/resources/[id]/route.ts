// GET /api/v1/resources/:id – one resource: configuration, tags, configuration history, first/last seen, deleted.
import { NextResponse } from "next/server";
import { NotFoundError } from "@/lib/api/errors";
import { handle } from "@/lib/api/route";
import { IdParam } from "@/lib/api/schemas/common";
import { pool } from "@/lib/db/prisma";
import { getResource } from "@/lib/db/queries/resource";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle("viewer", async (_req: Request, { params }: Ctx) => {
  const { id } = IdParam.parse(await params);
  const data = await getResource(pool(), id);
  if (!data) throw new NotFoundError("Resource");
  return NextResponse.json({ data });
});
