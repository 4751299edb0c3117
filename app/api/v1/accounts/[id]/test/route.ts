// POST /api/v1/accounts/:id/test – checks that Osprey can reach the account (STS GetCallerIdentity).
import { NextResponse } from "next/server";
import { NotFoundError } from "@/lib/api/errors";
import { handle } from "@/lib/api/route";
import { IdParam } from "@/lib/api/schemas/common";
import { testConnection } from "@/lib/aws/test-connection";
import { loadAccount } from "@/lib/db/account-access";
import { pool } from "@/lib/db/prisma";

export const dynamic = "force-dynamic";

export const POST = handle("admin", async (_req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = IdParam.parse(await params);
  const account = await loadAccount(pool(), id);
  if (!account) throw new NotFoundError("Account");
  const result = await testConnection(account, account.regions[0] ?? "us-east-1");
  return NextResponse.json({ data: result });
});
