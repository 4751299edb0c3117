// GET /api/v1/incidents/:id/evidence – the figures, failed invocations and top error group of the incident's window.
import { NextResponse } from "next/server";
import { handle } from "@/lib/api/route";
import { IdParam } from "@/lib/api/schemas/common";
import { getIncidentEvidence } from "@/lib/db/alerts/incidents";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle("viewer", async (_req: Request, { params }: Ctx) => {
  const { id } = IdParam.parse(await params);
  return NextResponse.json({ data: await getIncidentEvidence(id) });
});
