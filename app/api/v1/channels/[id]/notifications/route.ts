// GET /api/v1/channels/:id/notifications – the channel's notifications, newest first (?status=failed for those given up on).
import { NextResponse } from "next/server";
import { NotFoundError } from "@/lib/api/errors";
import { handle } from "@/lib/api/route";
import { NotificationsQuery } from "@/lib/api/schemas/channels";
import { IdParam, searchParams } from "@/lib/api/schemas/common";
import { listChannelNotifications, loadChannel } from "@/lib/db/notifications/channels";

export const dynamic = "force-dynamic";

export const GET = handle("viewer", async (req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = IdParam.parse(await params);
  const q = NotificationsQuery.parse(searchParams(req));
  if (!(await loadChannel(id))) throw new NotFoundError("Channel");
  return NextResponse.json({ data: await listChannelNotifications(id, q) });
});
