// GET /api/v1/accounts – connected accounts; POST – connect one.
import { NextResponse } from "next/server";
import { createAccount, firehoseKeyInfo, listAccounts } from "@/lib/db/accounts";
import { actorOf } from "@/lib/db/audit";
import { readJson } from "@/lib/api/body";
import { handle } from "@/lib/api/route";
import { AccountInput, toAccountView } from "@/lib/api/schemas/accounts";

export const dynamic = "force-dynamic";

export const GET = handle("viewer", async () => {
  const accounts = await listAccounts();
  const keys = await firehoseKeyInfo(accounts.map((a) => a.id));
  return NextResponse.json({ data: accounts.map((a) => toAccountView(a, keys.get(a.id))) });
});

export const POST = handle("admin", async (req: Request) => {
  const input = AccountInput.parse(await readJson(req));
  const { account, firehoseKey } = await createAccount(input, actorOf(req));
  const keys = await firehoseKeyInfo([account.id]);
  // The Firehose key is answered here once, and never again.
  return NextResponse.json({ data: { ...toAccountView(account, keys.get(account.id)), firehoseKey } }, { status: 201 });
});
