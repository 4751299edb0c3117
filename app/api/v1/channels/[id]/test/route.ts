// POST /api/v1/channels/:id/test – sends a test notification now and answers with what the receiver said.
import { NextResponse } from "next/server";
import { handle } from "@/lib/api/route";
import { IdParam } from "@/lib/api/schemas/common";
import { actorOf } from "@/lib/db/audit";
import { pool } from "@/lib/db/prisma";
import { sendChannelTest } from "@/lib/notify/channel-test";

export const dynamic = "force-dynamic";

export const POST = handle("admin", async (req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = IdParam.parse(await params);
  return NextResponse.json({ data: await sendChannelTest(pool(), id, actorOf(req)) });
});
