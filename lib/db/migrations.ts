import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";

export const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");

export interface MigrationDir {
  name: string;
  sql: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): MigrationDir[] {
  // The ignore comments keep Next's file tracing from copying the whole project into the build.
  if (!existsSync(/*turbopackIgnore: true*/ dir)) return [];
  return readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(/*turbopackIgnore: true*/ path.join(dir, d.name, "migration.sql")))
    .map((d) => ({ name: d.name, sql: readFileSync(/*turbopackIgnore: true*/ path.join(dir, d.name, "migration.sql"), "utf8") }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Names of migrations on disk that the database has not finished applying. */
export async function pendingMigrations(
  query: (sql: string) => Promise<{ rows: { migration_name: string }[] }>,
  dir = MIGRATIONS_DIR,
): Promise<string[]> {
  const onDisk = listMigrations(dir).map((m) => m.name);
  let applied: Set<string>;
  try {
    const { rows } = await query(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    applied = new Set(rows.map((r) => r.migration_name));
  } catch {
    applied = new Set();
  }
  return onDisk.filter((n) => !applied.has(n));
}
