// GET /api/v1/accounts – connected accounts; POST – connect one.
import { NextResponse } from "next/server";
import { createAccount, listAccounts } from "@/lib/db/accounts";
import { readJson } from "@/lib/api/body";
import { handle } from "@/lib/api/errors";
import { AccountInput, toAccountView } from "@/lib/api/schemas/accounts";

export const dynamic = "force-dynamic";

export const GET = handle(async () => {
  const accounts = await listAccounts();
  return NextResponse.json({ data: accounts.map(toAccountView) });
});

export const POST = handle(async (req: Request) => {
  const input = AccountInput.parse(await readJson(req));
  const account = await createAccount(input);
  return NextResponse.json({ data: toAccountView(account) }, { status: 201 });
});
