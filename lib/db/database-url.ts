import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { dataDir, env } from "../env";

export const EMBEDDED_URL_FILE = "embedded-postgres.url";

/**
 * DATABASE_URL when set; else the URL of the embedded server that `osprey start`
 * runs, which it writes into the data directory while it is up.
 */
export function databaseUrl(): string {
  const configured = env().DATABASE_URL;
  if (configured) return configured;
  const file = path.join(dataDir(), EMBEDDED_URL_FILE);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  throw new Error("No database: set DATABASE_URL, or run `npm start` to use the embedded Postgres");
}
