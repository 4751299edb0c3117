// GET /api/v1/tokens – the caller's API tokens (?all=1: everyone's, for admins); POST – make one, answered once.
import { NextResponse } from "next/server";
import { readJson } from "@/lib/api/body";
import { ForbiddenError, handle, requireSession } from "@/lib/api/route";
import { ApiTokenInput, ApiTokensQuery } from "@/lib/api/schemas/api-tokens";
import { principalFor } from "@/lib/auth/principal";
import { hasRole } from "@/lib/auth/roles";
import { createApiToken, listApiTokens } from "@/lib/db/api-tokens";
import { actorOf } from "@/lib/db/audit";

export const dynamic = "force-dynamic";

export const GET = handle("viewer", async (req: Request) => {
  const { all } = ApiTokensQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  const principal = principalFor(req)!;
  if (all === "1" && !hasRole(principal.role, "admin")) throw new ForbiddenError("admin");
  return NextResponse.json({ data: await listApiTokens(all === "1" ? null : principal.userId) });
});

export const POST = handle("viewer", async (req: Request) => {
  const principal = requireSession(req, "Making an API token");
  const input = ApiTokenInput.parse(await readJson(req));
  const created = await createApiToken({ userId: principal.userId, ...input }, actorOf(req));
  return NextResponse.json(created, { status: 201, headers: { "cache-control": "no-store" } });
});
