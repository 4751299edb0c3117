import type pg from "pg";

export type RunStatus = "ok" | "partial" | "failed";

export interface RunKey {
  job: string;
  accountId: number | null;
  region: string | null;
}

export async function startIngestRun(db: pg.Pool, key: RunKey): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    "INSERT INTO ingest_runs (job, account_id, region, status) VALUES ($1, $2, $3, 'running') RETURNING id::int AS id",
    [key.job, key.accountId, key.region],
  );
  return rows[0].id;
}

export async function finishIngestRun(
  db: pg.Pool,
  id: number,
  status: RunStatus,
  counts: Record<string, number>,
  error: string | null,
): Promise<void> {
  await db.query("UPDATE ingest_runs SET status = $2, counts = $3, error = $4, finished_at = now() WHERE id = $1", [
    id,
    status,
    JSON.stringify(counts),
    error,
  ]);
}
