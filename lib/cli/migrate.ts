import { databaseUrl } from "../db/database-url";
import { applyMigrations } from "../db/migrate";
import { prepareSecrets } from "./secrets-startup";

export async function migrateCommand(_args: string[]): Promise<number> {
  const applied = await applyMigrations(databaseUrl());
  process.stdout.write(applied.length ? `applied: ${applied.join(", ")}\n` : "the database schema is current\n");
  await prepareSecrets(databaseUrl(), (m) => process.stdout.write(`${m}\n`));
  return 0;
}
