import pg from "pg";
import { createTestDatabase, type TestDatabase } from "./db";

/** Several fresh databases for one test file (a clean run beside a faulty one), dropped together. */
export function testDatabases() {
  const made: { tdb: TestDatabase; db: pg.Pool }[] = [];
  return {
    async fresh(): Promise<{ tdb: TestDatabase; db: pg.Pool }> {
      const tdb = await createTestDatabase();
      const db = new pg.Pool({ connectionString: tdb.url, max: 4 });
      made.push({ tdb, db });
      return { tdb, db };
    },
    async dropAll(): Promise<void> {
      for (const { db, tdb } of made.splice(0)) {
        await db.end();
        await tdb.drop();
      }
    },
  };
}
