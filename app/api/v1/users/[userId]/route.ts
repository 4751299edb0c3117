// PATCH /api/v1/users/:userId – change a user's role; DELETE – remove them and end their sessions (owners; never the last owner).
import { NextResponse } from "next/server";
import { readJson } from "@/lib/api/body";
import { handle } from "@/lib/api/route";
import { UserIdParam, UserPatch } from "@/lib/api/schemas/users";
import { changeUserRole, removeUserById } from "@/lib/auth/manage-users";
import { actorOf } from "@/lib/db/audit";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ userId: string }> };

export const PATCH = handle("owner", async (req: Request, { params }: Ctx) => {
  const { userId } = UserIdParam.parse(await params);
  const { role } = UserPatch.parse(await readJson(req));
  return NextResponse.json({ data: await changeUserRole(userId, role, actorOf(req)) });
});

export const DELETE = handle("owner", async (req: Request, { params }: Ctx) => {
  const { userId } = UserIdParam.parse(await params);
  await removeUserById(userId, actorOf(req));
  return new NextResponse(null, { status: 204 });
});
