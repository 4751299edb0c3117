// POST /api/v1/alert-policies/backtest – how many incidents a policy (not saved) would have opened in the last 7 days.
import { NextResponse } from "next/server";
import { readJson } from "@/lib/api/body";
import { handle } from "@/lib/api/route";
import { BacktestInput } from "@/lib/api/schemas/alerts-backtest";
import { backtestPolicy } from "@/lib/db/alerts/backtest";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

export const POST = handle("admin", async (req: Request) => {
  const input = BacktestInput.parse(await readJson(req));
  return NextResponse.json({ data: await backtestPolicy(input, { retentionDays: env().OSPREY_RETENTION_DAYS }) });
});
