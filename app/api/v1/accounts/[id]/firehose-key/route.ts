// POST /api/v1/accounts/:id/firehose-key – gives the account a new Firehose access key and answers it, once; the old key stops working.
import { NextResponse } from "next/server";
import { NotFoundError } from "@/lib/api/errors";
import { handle } from "@/lib/api/route";
import { IdParam } from "@/lib/api/schemas/common";
import { rotateFirehoseKey } from "@/lib/db/accounts";
import { actorOf } from "@/lib/db/audit";

export const dynamic = "force-dynamic";

export const POST = handle("admin", async (req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = IdParam.parse(await params);
  const rotated = await rotateFirehoseKey(id, actorOf(req));
  if (!rotated) throw new NotFoundError("Account");
  return NextResponse.json({ data: rotated }, { headers: { "cache-control": "no-store" } });
});
