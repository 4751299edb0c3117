import type pg from "pg";
import { interruptRunsOf } from "./ingest-runs";

export interface ReapedWorkers {
  /** graphile-worker ids whose locks were released */
  workerIds: string[];
  /** ingest runs marked interrupted */
  runs: number[];
}

/** Records that this process is alive, and which graphile-worker ids (jobs.locked_by) are its own. */
export async function recordHeartbeat(db: pg.Pool, beat: { workerId: string; pid: number; host: string; queueWorkerIds: string[] }): Promise<void> {
  await db.query(
    `INSERT INTO worker_heartbeats (worker_id, pid, host, last_seen, queue_worker_ids) VALUES ($1, $2, $3, now(), $4)
     ON CONFLICT (worker_id) DO UPDATE SET last_seen = now(), queue_worker_ids = EXCLUDED.queue_worker_ids`,
    [beat.workerId, beat.pid, beat.host, beat.queueWorkerIds],
  );
}

export async function removeHeartbeat(db: pg.Pool, workerId: string): Promise<void> {
  await db.query("DELETE FROM worker_heartbeats WHERE worker_id = $1", [workerId]);
}

/**
 * Releases the graphile-worker locks of workers that stopped beating (kill -9, OOM, a host gone),
 * which would otherwise hold their jobs and queues until graphile-worker's 4-hour reset, and marks
 * their runs interrupted. Also releases locks held for longer than `staleMs` by an id no heartbeat
 * claims (a process killed before its first beat). Any living worker may call it; one at a time.
 */
export async function reapDeadWorkers(db: pg.Pool, staleMs: number, self?: { workerId: string; queueWorkerIds: string[] }): Promise<ReapedWorkers> {
  const c = await db.connect();
  try {
    await c.query("BEGIN");
    // Two reapers would only do the same work twice; the lock keeps it once.
    const { rows: got } = await c.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock(hashtext('osprey:reap-dead-workers')) AS ok");
    if (!got[0].ok) {
      await c.query("ROLLBACK");
      return { workerIds: [], runs: [] };
    }
    const { rows: dead } = await c.query<{ worker_id: string; ids: string[]; last_seen: Date }>(
      // A worker never reaps itself, however late its own beats (a starved machine).
      `DELETE FROM worker_heartbeats WHERE last_seen < now() - $1 * interval '1 millisecond' AND worker_id IS DISTINCT FROM $2
       RETURNING worker_id, queue_worker_ids AS ids, last_seen`,
      [staleMs, self?.workerId ?? null],
    );
    const { rows: orphans } = await c.query<{ id: string }>(
      `SELECT DISTINCT j.locked_by AS id FROM graphile_worker.jobs j
        WHERE j.locked_by IS NOT NULL AND j.locked_at < now() - $1 * interval '1 millisecond'
          AND NOT EXISTS (SELECT 1 FROM worker_heartbeats h WHERE j.locked_by = ANY(h.queue_worker_ids))
          AND NOT j.locked_by = ANY($2::text[])`,
      [staleMs, self?.queueWorkerIds ?? []],
    );
    const workerIds = [...new Set([...dead.flatMap((d) => d.ids), ...orphans.map((o) => o.id)])];
    let runs: number[] = [];
    if (workerIds.length) {
      await c.query("SELECT graphile_worker.force_unlock_workers($1::text[])", [workerIds]);
      const names = dead.map((d) => `${d.worker_id} (last heartbeat ${d.last_seen.toISOString()})`);
      runs = await interruptRunsOf(c, workerIds, `interrupted: the worker running it stopped without finishing${names.length ? `: ${names.join(", ")}` : ""}`);
    }
    await c.query("COMMIT");
    return { workerIds, runs };
  } catch (err) {
    await c.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    c.release();
  }
}

/** Living workers (those that beat within `staleMs`), of every host or of one. */
export async function countLiveWorkers(db: pg.Pool, staleMs: number, host?: string): Promise<{ alive: number; lastHeartbeat: Date | null }> {
  const { rows } = await db.query<{ last: Date | null; alive: number }>(
    `SELECT max(last_seen) AS last, count(*) FILTER (WHERE last_seen > now() - $1 * interval '1 millisecond')::int AS alive
       FROM worker_heartbeats WHERE $2::text IS NULL OR host = $2`,
    [staleMs, host ?? null],
  );
  return { alive: rows[0]?.alive ?? 0, lastHeartbeat: rows[0]?.last ?? null };
}
