// GET /api/v1/alert-policies – alert policies with their current state (open incidents); POST – add one.
import { NextResponse } from "next/server";
import { readJson } from "@/lib/api/body";
import { handle } from "@/lib/api/route";
import { PolicyInput } from "@/lib/api/schemas/alerts";
import { createPolicy, listPolicies } from "@/lib/db/alerts/policies";
import { actorOf } from "@/lib/db/audit";
import { pool } from "@/lib/db/prisma";

export const dynamic = "force-dynamic";

export const GET = handle("viewer", async () => NextResponse.json({ data: await listPolicies() }));

export const POST = handle("admin", async (req: Request) => {
  const input = PolicyInput.parse(await readJson(req));
  return NextResponse.json({ data: await createPolicy(input, pool(), actorOf(req)) }, { status: 201 });
});
