// GET /api/v1/review – the Well-Architected review: per pillar and Serverless Lens question, each check's
// pass / fail / not checked with its evidence, and the pillar scores over time.
import { NextResponse } from "next/server";
import { handle } from "@/lib/api/route";
import { ReviewQuery } from "@/lib/api/schemas/review";
import { pool } from "@/lib/db/prisma";
import { getReview } from "@/lib/db/review-read";

export const dynamic = "force-dynamic";

export const GET = handle("viewer", async (req: Request) => {
  const q = ReviewQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  return NextResponse.json(await getReview(pool(), q));
});
