// GET /api/v1/channels – notification channels with their delivery state; POST – add one.
import { NextResponse } from "next/server";
import { readJson } from "@/lib/api/body";
import { handle } from "@/lib/api/route";
import { ChannelInput } from "@/lib/api/schemas/channels";
import { actorOf } from "@/lib/db/audit";
import { createChannel, listChannels } from "@/lib/db/notifications/channels";

export const dynamic = "force-dynamic";

export const GET = handle("viewer", async () => NextResponse.json({ data: await listChannels() }));

export const POST = handle("admin", async (req: Request) => {
  const input = ChannelInput.parse(await readJson(req));
  return NextResponse.json({ data: await createChannel(input, actorOf(req)) }, { status: 201 });
});
