import { existsSync, readFileSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import type pg from "pg";
import { EMBEDDED_URL_FILE } from "./database-url";

export interface Storage {
  databaseBytes: number;
  /** the embedded Postgres's data folder; null on a database of its own (DATABASE_URL) */
  dataFolder: { path: string; bytes: number; walBytes: number } | null;
  retentionDays: number;
}

/** Bytes under `dir`, files only; what cannot be read counts as nothing. */
export async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += await folderBytes(p);
    else if (e.isFile()) total += (await stat(p).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

/** The embedded server's folder when `url` is the one `osprey start` wrote for it. */
function embeddedFolder(dataDir: string, url: string): string | null {
  const file = path.join(dataDir, EMBEDDED_URL_FILE);
  if (!existsSync(file) || readFileSync(file, "utf8").trim() !== url) return null;
  const dir = path.join(dataDir, "pg");
  return existsSync(path.join(dir, "PG_VERSION")) ? dir : null;
}

export async function getStorage(db: pg.Pool, opts: { dataDir: string; url: string; retentionDays: number }): Promise<Storage> {
  const { rows } = await db.query<{ bytes: number }>("SELECT pg_database_size(current_database())::float8 AS bytes");
  const dir = embeddedFolder(opts.dataDir, opts.url);
  const dataFolder = dir ? { path: dir, bytes: await folderBytes(dir), walBytes: await folderBytes(path.join(dir, "pg_wal")) } : null;
  return { databaseBytes: rows[0].bytes, dataFolder, retentionDays: opts.retentionDays };
}
