// GET /api/v1/users – who may sign in (admins and owners); POST – add a user and make their one-time "set your password" link (owners).
import { NextResponse } from "next/server";
import { readJson } from "@/lib/api/body";
import { handle } from "@/lib/api/route";
import { UserInput } from "@/lib/api/schemas/users";
import { addUserWithLink } from "@/lib/auth/manage-users";
import { listUsers } from "@/lib/auth/users";
import { actorOf } from "@/lib/db/audit";

export const dynamic = "force-dynamic";

export const GET = handle("admin", async () => NextResponse.json({ data: await listUsers() }));

export const POST = handle("owner", async (req: Request) => {
  const input = UserInput.parse(await readJson(req));
  const { user, link } = await addUserWithLink(input, actorOf(req));
  return NextResponse.json({ data: user, link }, { status: 201, headers: { "cache-control": "no-store" } });
});
