// PATCH /api/v1/insights/:id – acknowledge, mute or reopen a finding.
import { NextResponse } from "next/server";
import { readJson } from "@/lib/api/body";
import { NotFoundError } from "@/lib/api/errors";
import { handle } from "@/lib/api/route";
import { IdParam } from "@/lib/api/schemas/common";
import { InsightPatch } from "@/lib/api/schemas/insights";
import { setInsightState } from "@/lib/db/insights-read";
import { pool } from "@/lib/db/prisma";

export const dynamic = "force-dynamic";

export const PATCH = handle("member", async (req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = IdParam.parse(await params);
  const { state } = InsightPatch.parse(await readJson(req));
  if (!(await setInsightState(pool(), id, state))) throw new NotFoundError("Open insight");
  return NextResponse.json({ data: { id, state } });
});
