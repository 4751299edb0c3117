import type pg from "pg";

const SETTINGS = "SET LOCAL work_mem = '64MB'; SET LOCAL jit = off";

/**
 * Runs one aggregate query with more sort/hash memory than the server default (4 MB): merging a
 * thousand functions' histograms spills to disk otherwise. JIT compilation costs more than it saves
 * on these one-off aggregates. On a pool the query gets a read-only transaction of its own; on a
 * client it runs inside the caller's transaction (the settings last until that one ends).
 */
export async function analyticQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(db: pg.Pool | pg.PoolClient, sql: string, params: unknown[]): Promise<pg.QueryResult<R>> {
  if ("release" in db) {
    await db.query(SETTINGS);
    return db.query<R>(sql, params);
  }
  const client = await db.connect();
  try {
    await client.query(`BEGIN READ ONLY; ${SETTINGS}`);
    const result = await client.query<R>(sql, params);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
