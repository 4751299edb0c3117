// GET /api/v1/saved-searches – the team's saved log searches; POST – save one (members and up).
import { NextResponse } from "next/server";
import { readJson } from "@/lib/api/body";
import { handle } from "@/lib/api/route";
import { SavedSearchInput } from "@/lib/api/schemas/search";
import { actorOf } from "@/lib/db/audit";
import { pool } from "@/lib/db/prisma";
import { createSavedSearch, listSavedSearches } from "@/lib/db/saved-searches";

export const dynamic = "force-dynamic";

export const GET = handle("viewer", async () => NextResponse.json({ data: await listSavedSearches(pool()) }));

export const POST = handle("member", async (req: Request) => {
  const input = SavedSearchInput.parse(await readJson(req));
  return NextResponse.json({ data: await createSavedSearch(pool(), input, actorOf(req).name) }, { status: 201 });
});
