// GET /api/v1/resources/:id/invocations/:requestId – one invocation: every field, logs, spans, retry chain, cost, neighbours, console links.
import { NextResponse } from "next/server";
import { NotFoundError } from "@/lib/api/errors";
import { handle } from "@/lib/api/route";
import { searchParams } from "@/lib/api/schemas/common";
import { InvocationDetailQuery, InvocationParams } from "@/lib/api/schemas/invocation";
import { pool } from "@/lib/db/prisma";
import { getInvocation } from "@/lib/db/queries/invocation";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string; requestId: string }> };

export const GET = handle("viewer", async (req: Request, { params }: Ctx) => {
  const { id, requestId } = InvocationParams.parse(await params);
  const { attempt } = InvocationDetailQuery.parse(searchParams(req));
  const data = await getInvocation(pool(), id, requestId, attempt);
  if (!data) throw new NotFoundError("Invocation");
  return NextResponse.json({ data });
});
