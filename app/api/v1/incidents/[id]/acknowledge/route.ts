// POST /api/v1/incidents/:id/acknowledge – acknowledge the incident; the timeline records who and when.
import { NextResponse } from "next/server";
import { readJson } from "@/lib/api/body";
import { handle } from "@/lib/api/route";
import { IncidentActionBody } from "@/lib/api/schemas/alerts";
import { IdParam } from "@/lib/api/schemas/common";
import { actOnIncident } from "@/lib/db/alerts/incidents";
import { pool } from "@/lib/db/prisma";
import { publicUrl } from "@/lib/env";
import { actorNameOf } from "@/lib/auth/principal";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const POST = handle("member", async (req: Request, { params }: Ctx) => {
  const { id } = IdParam.parse(await params);
  IncidentActionBody.parse(await readJson(req));
  return NextResponse.json({ data: await actOnIncident(pool(), id, { kind: "acknowledge", by: actorNameOf(req) }, publicUrl()) });
});
