import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { applyMigrations } from "@/lib/db/migrate";
import { isLocalDatabaseUrl, withDatabase } from "@/lib/db/url";

/**
 * A fresh, migrated database for a benchmark: on DATABASE_URL's server when set (it must be on
 * this machine), else on an embedded Postgres in a temporary directory.
 */
export async function benchDatabase(name: string): Promise<{ url: string; server: string; close(): Promise<void> }> {
  let admin = process.env.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  let dir: string | undefined;
  if (admin) {
    if (!isLocalDatabaseUrl(admin)) throw new Error("benchmarks only run against a database on this machine");
  } else {
    dir = mkdtempSync(path.join(os.tmpdir(), "osprey-bench-pg-"));
    const s = await startEmbeddedPostgres(path.join(dir, "pg"), { database: "postgres" });
    admin = s.url;
    stopEmbedded = s.stop;
  }
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  const { rows } = await c.query("SHOW server_version");
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await c.query(`CREATE DATABASE "${name}"`);
  await c.end();
  const url = withDatabase(admin, name);
  await applyMigrations(url);
  return {
    url,
    server: `PostgreSQL ${rows[0].server_version}${stopEmbedded ? " (embedded)" : ""}`,
    close: async () => {
      const c2 = new pg.Client({ connectionString: admin });
      await c2.connect();
      await c2.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c2.end();
      await stopEmbedded?.();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
