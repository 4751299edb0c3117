// GET /api/v1/accounts/:id – one account; DELETE – disconnect it and forget its data.
import { NextResponse } from "next/server";
import { deleteAccount, firehoseKeyInfo, getAccount } from "@/lib/db/accounts";
import { actorOf } from "@/lib/db/audit";
import { NotFoundError } from "@/lib/api/errors";
import { handle } from "@/lib/api/route";
import { toAccountView } from "@/lib/api/schemas/accounts";
import { IdParam } from "@/lib/api/schemas/common";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle("viewer", async (_req: Request, { params }: Ctx) => {
  const { id } = IdParam.parse(await params);
  const account = await getAccount(id);
  if (!account) throw new NotFoundError("Account");
  return NextResponse.json({ data: toAccountView(account, (await firehoseKeyInfo([id])).get(id)) });
});

export const DELETE = handle("admin", async (req: Request, { params }: Ctx) => {
  const { id } = IdParam.parse(await params);
  if (!(await deleteAccount(id, actorOf(req)))) throw new NotFoundError("Account");
  return new NextResponse(null, { status: 204 });
});
