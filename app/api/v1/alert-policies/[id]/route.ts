// GET /api/v1/alert-policies/:id – one policy; PATCH – change it; DELETE – remove it with its incidents.
import { NextResponse } from "next/server";
import { readJson } from "@/lib/api/body";
import { handle } from "@/lib/api/route";
import { PolicyPatch } from "@/lib/api/schemas/alerts";
import { IdParam } from "@/lib/api/schemas/common";
import { deletePolicy, getPolicy, updatePolicy } from "@/lib/db/alerts/policies";
import { actorOf } from "@/lib/db/audit";
import { pool } from "@/lib/db/prisma";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle("viewer", async (_req: Request, { params }: Ctx) => {
  const { id } = IdParam.parse(await params);
  return NextResponse.json({ data: await getPolicy(id) });
});

export const PATCH = handle("admin", async (req: Request, { params }: Ctx) => {
  const { id } = IdParam.parse(await params);
  const patch = PolicyPatch.parse(await readJson(req));
  return NextResponse.json({ data: await updatePolicy(id, patch, pool(), actorOf(req)) });
});

export const DELETE = handle("admin", async (req: Request, { params }: Ctx) => {
  const { id } = IdParam.parse(await params);
  await deletePolicy(id, pool(), actorOf(req));
  return new NextResponse(null, { status: 204 });
});
