import type pg from "pg";

export type RunStatus = "ok" | "partial" | "failed" | "interrupted";

export interface RunKey {
  job: string;
  accountId: number | null;
  region: string | null;
  /** the graphile-worker id running it (jobs.locked_by): if that worker dies, the run is marked interrupted */
  workerId?: string | null;
}

export async function startIngestRun(db: pg.Pool, key: RunKey): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    "INSERT INTO ingest_runs (job, account_id, region, status, worker_id) VALUES ($1, $2, $3, 'running', $4) RETURNING id::int AS id",
    [key.job, key.accountId, key.region, key.workerId ?? null],
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

/** Marks the runs still 'running' under these graphile-worker ids as interrupted; returns their ids. */
export async function interruptRunsOf(db: pg.Pool | pg.PoolClient, workerIds: string[], reason: string): Promise<number[]> {
  if (!workerIds.length) return [];
  const { rows } = await db.query<{ id: number }>(
    `UPDATE ingest_runs SET status = 'interrupted', error = $2, finished_at = now()
      WHERE status = 'running' AND worker_id = ANY($1) RETURNING id::int AS id`,
    [workerIds, reason.slice(0, 4000)],
  );
  return rows.map((r) => r.id);
}
