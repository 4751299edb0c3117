// GET /api/v1/storage – the database's size, the embedded Postgres's data folder (when embedded) and the retention.
import { NextResponse } from "next/server";
import { handle } from "@/lib/api/route";
import { databaseUrl } from "@/lib/db/database-url";
import { pool } from "@/lib/db/prisma";
import { getStorage } from "@/lib/db/storage";
import { dataDir, env } from "@/lib/env";

export const dynamic = "force-dynamic";

export const GET = handle("viewer", async () => {
  const e = env();
  return NextResponse.json({ data: await getStorage(pool(), { dataDir: dataDir(e), url: databaseUrl(), retentionDays: e.OSPREY_RETENTION_DAYS }) });
});
