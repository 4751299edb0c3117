import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMBEDDED_URL_FILE } from "./database-url";
import { startEmbeddedPostgres, writeUrlFile, type EmbeddedServer } from "./embedded";
import { folderBytes, getStorage } from "./storage";

let dir: string;
let server: EmbeddedServer;
let db: pg.Pool;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "osprey-storage-"));
  server = await startEmbeddedPostgres(path.join(dir, "pg"));
  writeUrlFile(path.join(dir, EMBEDDED_URL_FILE), server.url);
  db = new pg.Pool({ connectionString: server.url, max: 2 });
}, 60_000);

afterAll(async () => {
  await db?.end();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the embedded Postgres", () => {
  it("runs tuned for one user: little WAL kept, minimal WAL level, eager autovacuum", async () => {
    const show = async (name: string) => (await db.query(`SELECT setting, unit FROM pg_settings WHERE name = $1`, [name])).rows[0];
    expect(await show("wal_level")).toMatchObject({ setting: "minimal" });
    expect(await show("max_wal_senders")).toMatchObject({ setting: "0" });
    expect(await show("wal_keep_size")).toMatchObject({ setting: "0" });
    expect(await show("max_wal_size")).toMatchObject({ setting: "128", unit: "MB" });
    expect(await show("min_wal_size")).toMatchObject({ setting: "32", unit: "MB" });
    expect(await show("autovacuum_naptime")).toMatchObject({ setting: "20", unit: "s" });
  });

  it("reports its data folder's size, its WAL, the database's size and the retention", async () => {
    const s = await getStorage(db, { dataDir: dir, url: server.url, retentionDays: 30 });
    expect(s.retentionDays).toBe(30);
    expect(s.databaseBytes).toBeGreaterThan(1_000_000);
    expect(s.dataFolder?.path).toBe(path.join(dir, "pg"));
    expect(s.dataFolder!.walBytes).toBeGreaterThan(0);
    expect(s.dataFolder!.bytes).toBeGreaterThan(s.databaseBytes + s.dataFolder!.walBytes - 1);
    expect(Math.abs(s.dataFolder!.bytes - (await folderBytes(path.join(dir, "pg"))))).toBeLessThan(2_000_000);
  });

  it("reports no data folder for a database named by DATABASE_URL", async () => {
    const s = await getStorage(db, { dataDir: dir, url: "postgresql://osprey@db.example:5432/osprey", retentionDays: 7 });
    expect(s.dataFolder).toBeNull();
    expect(s.retentionDays).toBe(7);
  });
});
