// GET /api/v1/channels/:id – one channel (secrets masked); PATCH – change it (a secret left out keeps its value); DELETE – remove it.
import { NextResponse } from "next/server";
import { readJson } from "@/lib/api/body";
import { handle } from "@/lib/api/route";
import { ChannelPatch } from "@/lib/api/schemas/channels";
import { IdParam } from "@/lib/api/schemas/common";
import { actorOf } from "@/lib/db/audit";
import { deleteChannel, getChannelView, updateChannel } from "@/lib/db/notifications/channels";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle("viewer", async (_req: Request, { params }: Ctx) => {
  const { id } = IdParam.parse(await params);
  return NextResponse.json({ data: await getChannelView(id) });
});

export const PATCH = handle("admin", async (req: Request, { params }: Ctx) => {
  const { id } = IdParam.parse(await params);
  const patch = ChannelPatch.parse(await readJson(req));
  return NextResponse.json({ data: await updateChannel(id, patch, actorOf(req)) });
});

export const DELETE = handle("admin", async (req: Request, { params }: Ctx) => {
  const { id } = IdParam.parse(await params);
  await deleteChannel(id, actorOf(req));
  return new NextResponse(null, { status: 204 });
});
