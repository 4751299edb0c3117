// GET /api/v1/resources/:id/invocations – a resource's invocations, newest first, filtered by status, cold start, retry, duration and log text.
import { NextResponse } from "next/server";
import { NotFoundError } from "@/lib/api/errors";
import { handle } from "@/lib/api/route";
import { IdParam, resolveRange, searchParams } from "@/lib/api/schemas/common";
import { InvocationListQuery } from "@/lib/api/schemas/invocations";
import { pool } from "@/lib/db/prisma";
import { listInvocations } from "@/lib/db/queries/invocations";
import { getResourceRef } from "@/lib/db/queries/resource";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle("viewer", async (req: Request, { params }: Ctx) => {
  const { id } = IdParam.parse(await params);
  const q = InvocationListQuery.parse(searchParams(req));
  const range = resolveRange(q);
  if (!(await getResourceRef(pool(), id))) throw new NotFoundError("Resource");
  const { data, nextCursor } = await listInvocations(pool(), id, q, range);
  return NextResponse.json({ data, nextCursor, meta: { from: range.from, to: range.to } });
});
