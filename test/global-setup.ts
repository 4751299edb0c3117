import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedServer } from "../lib/db/embedded";
import { applyMigrations } from "../lib/db/migrate";
import { isLocalDatabaseUrl, withDatabase } from "../lib/db/url";

export const TEMPLATE_DB = `osprey_test_template_${process.pid}`;

declare module "vitest" {
  export interface ProvidedContext {
    adminUrl: string;
    templateDb: string;
  }
}

let embedded: EmbeddedServer | undefined;
let tmpDir: string | undefined;

/**
 * One Postgres for the integration run: DATABASE_URL's server when set (it must be on this
 * machine), else an embedded one. Migrations run once into a template database; each test
 * file clones it into a database of its own.
 */
export async function setup(project: TestProject) {
  let adminUrl = process.env.DATABASE_URL;
  if (adminUrl) {
    if (!isLocalDatabaseUrl(adminUrl)) throw new Error(`Refusing to run integration tests against a non-local database (${new URL(adminUrl).hostname})`);
  } else {
    tmpDir = mkdtempSync(path.join(os.tmpdir(), "osprey-test-pg-"));
    embedded = await startEmbeddedPostgres(path.join(tmpDir, "pg"), { database: "postgres" });
    adminUrl = embedded.url;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DB}"`);
    await admin.query(`CREATE DATABASE "${TEMPLATE_DB}"`);
  } finally {
    await admin.end();
  }
  await applyMigrations(withDatabase(adminUrl, TEMPLATE_DB));
  project.provide("adminUrl", adminUrl);
  project.provide("templateDb", TEMPLATE_DB);

  return async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DB}" WITH (FORCE)`).catch(() => {});
    await c.end();
    await embedded?.stop();
    if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
  };
}
