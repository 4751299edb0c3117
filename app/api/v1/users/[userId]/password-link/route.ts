// POST /api/v1/users/:userId/password-link – a one-time link (24 h) with which the user sets a new password; e-mailed when SMTP is configured (owners).
import { NextResponse } from "next/server";
import { handle } from "@/lib/api/route";
import { UserIdParam } from "@/lib/api/schemas/users";
import { makePasswordLink } from "@/lib/auth/manage-users";
import { actorOf } from "@/lib/db/audit";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ userId: string }> };

export const POST = handle("owner", async (req: Request, { params }: Ctx) => {
  const { userId } = UserIdParam.parse(await params);
  return NextResponse.json({ data: await makePasswordLink(userId, actorOf(req)) }, { status: 201, headers: { "cache-control": "no-store" } });
});
