// GET /api/v1/audit – the audit log, newest first: who changed what and when; filter by action and target; page with `before`.
import { NextResponse } from "next/server";
import { handle } from "@/lib/api/route";
import { AuditQuery } from "@/lib/api/schemas/audit";
import { listAuditEvents } from "@/lib/db/audit";

export const dynamic = "force-dynamic";

export const GET = handle("admin", async (req: Request) => {
  const q = AuditQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  return NextResponse.json(await listAuditEvents(q));
});
