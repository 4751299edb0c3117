import type pg from "pg";

export interface CursorKey {
  job: string;
  accountId: number;
  region: string;
  key: string;
}

type Queryable = Pick<pg.PoolClient, "query">;

export async function getCursor(db: Queryable, k: CursorKey): Promise<number | null> {
  const { rows } = await db.query<{ position: string }>(
    "SELECT position FROM ingest_cursors WHERE job = $1 AND account_id = $2 AND region = $3 AND key = $4",
    [k.job, k.accountId, k.region, k.key],
  );
  return rows.length ? Number(rows[0].position) : null;
}

/** Moves a cursor forward only; meant to run in the transaction that wrote the rows it covers. */
export async function advanceCursor(db: Queryable, k: CursorKey, position: number): Promise<void> {
  await db.query(
    `INSERT INTO ingest_cursors (job, account_id, region, key, position, updated_at) VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (job, account_id, region, key) DO UPDATE SET position = greatest(ingest_cursors.position, EXCLUDED.position), updated_at = now()`,
    [k.job, k.accountId, k.region, k.key, Math.floor(position)],
  );
}
