// DELETE /api/v1/tokens/:id – revoke an API token: one's own, or anyone's for admins and owners.
import { NextResponse } from "next/server";
import { handle, requireSession } from "@/lib/api/route";
import { IdParam } from "@/lib/api/schemas/common";
import { hasRole } from "@/lib/auth/roles";
import { revokeApiToken } from "@/lib/db/api-tokens";
import { actorOf } from "@/lib/db/audit";

export const dynamic = "force-dynamic";

export const DELETE = handle("viewer", async (req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const principal = requireSession(req, "Revoking an API token");
  const { id } = IdParam.parse(await params);
  const data = await revokeApiToken(id, hasRole(principal.role, "admin") ? null : principal.userId, actorOf(req));
  return NextResponse.json({ data });
});
