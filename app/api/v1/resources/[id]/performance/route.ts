// GET /api/v1/resources/:id/performance – the performance advisor: a function's own code against each downstream, from its traces, and the advice.
import { NextResponse } from "next/server";
import { performanceAdvice } from "@/lib/analysis/trace-breakdown";
import { NotFoundError } from "@/lib/api/errors";
import { handle } from "@/lib/api/route";
import { IdParam, resolveRange, searchParams } from "@/lib/api/schemas/common";
import { PerformanceQuery } from "@/lib/api/schemas/performance";
import { pool } from "@/lib/db/prisma";
import { getResourceRef } from "@/lib/db/queries/resource";
import { loadTraceBreakdowns } from "@/lib/db/queries/trace-breakdown";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = handle("viewer", async (req: Request, { params }: Ctx) => {
  const { id } = IdParam.parse(await params);
  const range = resolveRange(PerformanceQuery.parse(searchParams(req)));
  const resource = await getResourceRef(pool(), id);
  if (!resource || resource.kind !== "lambda") throw new NotFoundError("Function");
  const memorySizeMB = Number(resource.config.memorySizeMB ?? 128);
  const b = (await loadTraceBreakdowns(pool(), [id], new Date(range.from), new Date(range.to))).get(id) ?? null;
  const breakdown = b && {
    invocations: b.invocations,
    ownCodeShare: b.ownCodeShare,
    waitingShare: b.waitingShare,
    synchronousWaitShare: b.synchronousWaitShare,
    lever: b.lever,
    downstream: b.downstream.map(({ label, kind, share, calls, avgCallMs }) => ({ label, kind, share, calls, avgCallMs })),
  };
  return NextResponse.json({ data: { memorySizeMB, breakdown, advice: b && performanceAdvice(b, memorySizeMB) }, meta: range });
});
