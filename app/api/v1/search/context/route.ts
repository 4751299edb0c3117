// GET /api/v1/search/context – the lines around one log line in its log stream.
import { NextResponse } from "next/server";
import { NotFoundError } from "@/lib/api/errors";
import { handle } from "@/lib/api/route";
import { LogContextQuery, type LogContextResponse } from "@/lib/api/schemas/search";
import { logContext } from "@/lib/db/log-search";
import { pool } from "@/lib/db/prisma";

export const dynamic = "force-dynamic";

export const GET = handle("viewer", async (req: Request) => {
  const q = LogContextQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  const data = await logContext(pool(), { eventId: q.event, ts: q.ts }, q.n);
  if (!data) throw new NotFoundError("Log line");
  const body: LogContextResponse = { data };
  return NextResponse.json(body);
});
