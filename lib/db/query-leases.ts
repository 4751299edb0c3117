import type pg from "pg";

type Queryable = Pick<pg.Pool, "query">;

/**
 * Takes one of the account's `slots` for a Logs Insights query, shared by every worker process through
 * Postgres (AWS counts running queries per account, dashboards' included). The lease ends after
 * `leaseMs` unless released first, so a worker that dies mid-query frees its slot. Returns the slot, or
 * null when all are taken.
 */
export async function takeQuerySlot(db: Queryable, accountId: number, slots: number, leaseMs: number): Promise<number | null> {
  await db.query(
    `INSERT INTO logs_query_leases (account_id, slot, expires_at)
     SELECT $1, s, '-infinity' FROM generate_series(0, $2::int - 1) s ON CONFLICT DO NOTHING`,
    [accountId, slots],
  );
  const { rows } = await db.query<{ slot: number }>(
    `UPDATE logs_query_leases l SET expires_at = clock_timestamp() + make_interval(secs => $3::float8 / 1000)
      WHERE (l.account_id, l.slot) = (SELECT account_id, slot FROM logs_query_leases
                                        WHERE account_id = $1 AND slot < $2 AND expires_at < clock_timestamp()
                                        ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING l.slot`,
    [accountId, slots, leaseMs],
  );
  return rows.length ? rows[0].slot : null;
}

/** Gives a slot back when its query has ended. */
export async function releaseQuerySlot(db: Queryable, accountId: number, slot: number): Promise<void> {
  await db.query("UPDATE logs_query_leases SET expires_at = '-infinity' WHERE account_id = $1 AND slot = $2", [accountId, slot]);
}
