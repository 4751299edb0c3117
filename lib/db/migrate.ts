import path from "node:path";
import { readFileSync, existsSync } from "node:fs";
import { listMigrations, MIGRATIONS_DIR } from "./migrations";
import { withSchemaEngine } from "./schema-engine";

/** Applies every migration under prisma/migrations not yet applied; returns their names. */
export async function applyMigrations(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<string[]> {
  const lockPath = path.join(dir, "migration_lock.toml");
  const migrationsList = {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: listMigrations(dir).map((m) => ({
      path: m.name,
      migrationFile: { path: "migration.sql", content: { tag: "ok", value: m.sql } },
    })),
  };
  return withSchemaEngine(databaseUrl, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList, filters: { externalTables: [], externalEnums: [] } });
    return out.appliedMigrationNames;
  });
}
