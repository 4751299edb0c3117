// GET /api/v1/accounts/:id – one account; DELETE – disconnect it and forget its data.
import { NextResponse } from "next/server";
import { deleteAccount, getAccount } from "@/lib/db/accounts";
import { handle, NotFoundError } from "@/lib/api/errors";
import { toAccountView } from "@/lib/api/schemas/accounts";
import { IdParam } from "@/lib/api/schemas/common";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle(async (_req: Request, { params }: Ctx) => {
  const { id } = IdParam.parse(await params);
  const account = await getAccount(id);
  if (!account) throw new NotFoundError("Account");
  return NextResponse.json({ data: toAccountView(account) });
});

export const DELETE = handle(async (_req: Request, { params }: Ctx) => {
  const { id } = IdParam.parse(await params);
  if (!(await deleteAccount(id))) throw new NotFoundError("Account");
  return new NextResponse(null, { status: 204 });
});
