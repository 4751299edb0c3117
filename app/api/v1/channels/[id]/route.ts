// GET /api/v1/channels/:id – one channel (secrets masked); PATCH – change it (a secret left out keeps its value); DELETE – remove it.
import { NextResponse } from "next/server";
import { readJson } from "@/lib/api/body";
import { handle } from "@/lib/api/errors";
import { ChannelPatch } from "@/lib/api/schemas/channels";
import { IdParam } from "@/lib/api/schemas/common";
import { deleteChannel, getChannelView, updateChannel } from "@/lib/db/notifications/channels";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle(async (_req: Request, { params }: Ctx) => {
  const { id } = IdParam.parse(await params);
  return NextResponse.json({ data: await getChannelView(id) });
});

export const PATCH = handle(async (req: Request, { params }: Ctx) => {
  const { id } = IdParam.parse(await params);
  const patch = ChannelPatch.parse(await readJson(req));
  return NextResponse.json({ data: await updateChannel(id, patch) });
});

export const DELETE = handle(async (_req: Request, { params }: Ctx) => {
  const { id } = IdParam.parse(await params);
  await deleteChannel(id);
  return new NextResponse(null, { status: 204 });
});
