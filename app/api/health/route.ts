// GET /api/health – database reachable, migrations current, workers alive: 200 when serving (status ok, or
// degraded with the reasons in problems: no worker alive), 503 when down.
import { NextResponse } from "next/server";
import { getHealth } from "@/lib/db/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await getHealth();
  return NextResponse.json(health, { status: health.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}
