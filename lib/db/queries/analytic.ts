import type pg from "pg";

/**
 * Runs one aggregate query with more sort/hash memory than the server default (4 MB), in a
 * read-only transaction of its own: merging a thousand functions' histograms spills to disk otherwise.
 */
export async function analyticQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(db: pg.Pool, sql: string, params: unknown[]): Promise<pg.QueryResult<R>> {
  const client = await db.connect();
  try {
    // JIT compilation costs more than it saves on these one-off aggregates.
    await client.query("BEGIN READ ONLY; SET LOCAL work_mem = '64MB'; SET LOCAL jit = off");
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
