import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { applyMigrations } from "./migrate";
import { listMigrations, pendingMigrations } from "./migrations";

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(() => tdb.drop());

describe("migrations", () => {
  it("leaves nothing pending once applied, and re-applying is a no-op", async () => {
    const client = new pg.Client({ connectionString: tdb.url });
    await client.connect();
    try {
      expect(await pendingMigrations((sql) => client.query(sql))).toEqual([]);
      expect(await applyMigrations(tdb.url)).toEqual([]);
    } finally {
      await client.end();
    }
  });

  it("reports every migration pending on an empty database", async () => {
    const empty = await createTestDatabase();
    const client = new pg.Client({ connectionString: empty.url });
    await client.connect();
    try {
      await client.query("DROP TABLE _prisma_migrations");
      expect(await pendingMigrations((sql) => client.query(sql))).toEqual(listMigrations().map((m) => m.name));
    } finally {
      await client.end();
      await empty.drop();
    }
  });
});
