import { databaseUrl } from "../db/database-url";
import { applyMigrations } from "../db/migrate";

export async function migrateCommand(_args: string[]): Promise<number> {
  const applied = await applyMigrations(databaseUrl());
  process.stdout.write(applied.length ? `applied: ${applied.join(", ")}\n` : "the database schema is current\n");
  return 0;
}
