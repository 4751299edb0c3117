// GET /api/v1/incidents – incidents, newest first, filtered by state, severity, resource.
import { NextResponse } from "next/server";
import { handle } from "@/lib/api/route";
import { IncidentsQuery } from "@/lib/api/schemas/alerts";
import { listIncidents } from "@/lib/db/alerts/incidents";

export const dynamic = "force-dynamic";

export const GET = handle("viewer", async (req: Request) => {
  const q = IncidentsQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  return NextResponse.json({ data: await listIncidents(q) });
});
