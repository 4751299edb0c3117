// The API bench's database: a database of its own on DATABASE_URL's server when that is local,
// else an embedded Postgres in a stable temp folder so a seeded database survives between runs.
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { applyMigrations } from "@/lib/db/migrate";
import { isLocalDatabaseUrl, withDatabase } from "@/lib/db/url";

export const BENCH_DB = "osprey_bench_api";

export interface BenchDatabase {
  url: string;
  kind: string;
  stop(): Promise<void>;
}

export async function openBenchDatabase(): Promise<BenchDatabase> {
  const configured = process.env.DATABASE_URL;
  let adminUrl: string;
  let stop = async () => {};
  let kind: string;
  if (configured && isLocalDatabaseUrl(configured)) {
    adminUrl = configured;
    kind = "DATABASE_URL server";
  } else {
    if (configured) console.warn("DATABASE_URL is not local: using an embedded Postgres instead");
    const server = await startEmbeddedPostgres(path.join(os.tmpdir(), "osprey-bench-api", "pg"), { database: "postgres" });
    adminUrl = server.url;
    stop = server.stop;
    kind = "embedded Postgres 18";
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [BENCH_DB]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${BENCH_DB}`);
    const { rows } = await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    kind += ` (PostgreSQL ${rows[0].v})`;
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, BENCH_DB);
  await applyMigrations(url);
  return { url, kind, stop };
}
