// DELETE /api/v1/saved-searches/:id – remove a saved log search (members and up).
import { NextResponse } from "next/server";
import { NotFoundError } from "@/lib/api/errors";
import { handle } from "@/lib/api/route";
import { IdParam } from "@/lib/api/schemas/common";
import { pool } from "@/lib/db/prisma";
import { deleteSavedSearch } from "@/lib/db/saved-searches";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const DELETE = handle("member", async (_req: Request, { params }: Ctx) => {
  const { id } = IdParam.parse(await params);
  if (!(await deleteSavedSearch(pool(), id))) throw new NotFoundError("Saved search");
  return new NextResponse(null, { status: 204 });
});
