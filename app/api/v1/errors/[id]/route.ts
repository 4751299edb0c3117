// GET /api/v1/errors/:id – one error group with its occurrences (links to invocations); PATCH – set its state.
import { NextResponse } from "next/server";
import { readJson } from "@/lib/api/body";
import { NotFoundError } from "@/lib/api/errors";
import { handle } from "@/lib/api/route";
import { IdParam, resolveRange, searchParams } from "@/lib/api/schemas/common";
import { ErrorDetailQuery, ErrorPatch } from "@/lib/api/schemas/errors";
import { pool } from "@/lib/db/prisma";
import { getErrorGroup, updateErrorGroupState } from "@/lib/db/queries/errors";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle("viewer", async (req: Request, { params }: Ctx) => {
  const { id } = IdParam.parse(await params);
  const q = ErrorDetailQuery.parse(searchParams(req));
  const found = await getErrorGroup(pool(), id, q, resolveRange(q.from !== undefined || q.range ? q : { ...q, range: "30d" }));
  if (!found) throw new NotFoundError("Error group");
  return NextResponse.json(found);
});

export const PATCH = handle("member", async (req: Request, { params }: Ctx) => {
  const { id } = IdParam.parse(await params);
  const { state } = ErrorPatch.parse(await readJson(req));
  const data = await updateErrorGroupState(pool(), id, state);
  if (!data) throw new NotFoundError("Error group");
  return NextResponse.json({ data });
});
