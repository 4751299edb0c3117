import type pg from "pg";
import { toLambdaTarget, type LambdaTarget } from "./resources";

type Queryable = Pick<pg.Pool, "query">;

/** A watch lives this long after the last poll of its tail: a closed tab stops costing API calls within it. */
export const WATCH_TTL_MS = 30_000;
/** One tail request watches at most this many functions (the ones on screen). */
export const MAX_WATCHED_PER_REQUEST = 20;
/** The graphile-worker task that reads the watched functions. */
export const TAIL_JOB = { task: "tail-logs", queueName: "tail-logs", jobKey: "tail-logs" } as const;

/**
 * Opens or extends the watches on these functions (Lambda functions only; other ids are ignored) and
 * makes sure the tail task is queued. The job key folds every request into one pending job, and
 * preserve_run_at keeps a job already planned a few seconds ahead where it is.
 */
export async function refreshWatches(db: Queryable, resourceIds: number[], ttlMs = WATCH_TTL_MS): Promise<number[]> {
  if (!resourceIds.length) return [];
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO log_watches (resource_id, expires_at)
     SELECT id, now() + $2 * interval '1 millisecond' FROM resources WHERE id = ANY($1::int[]) AND kind = 'lambda' AND deleted_at IS NULL
     ON CONFLICT (resource_id) DO UPDATE SET expires_at = greatest(log_watches.expires_at, EXCLUDED.expires_at)
     RETURNING resource_id AS id`,
    [resourceIds, ttlMs],
  );
  if (rows.length) {
    await db.query(
      "SELECT graphile_worker.add_job($1, '{}'::json, queue_name => $2, max_attempts => 1, job_key => $3, job_key_mode => 'preserve_run_at')",
      [TAIL_JOB.task, TAIL_JOB.queueName, TAIL_JOB.jobKey],
    );
  }
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

export interface WatchedGroup {
  accountId: number;
  region: string;
  functions: LambdaTarget[];
}

/** The functions watched now, by account and region; expired watches are dropped. */
export async function liveWatches(db: Queryable): Promise<WatchedGroup[]> {
  await db.query("DELETE FROM log_watches WHERE expires_at < now()");
  const { rows } = await db.query<{ id: number; name: string; config: Record<string, unknown>; account_id: number; region: string }>(
    `SELECT r.id, r.name, r.config, r.account_id, r.region FROM log_watches w JOIN resources r ON r.id = w.resource_id
      WHERE w.expires_at >= now() AND r.kind = 'lambda' AND r.deleted_at IS NULL ORDER BY r.account_id, r.region, r.id`,
  );
  const groups = new Map<string, WatchedGroup>();
  for (const r of rows) {
    const k = `${r.account_id}/${r.region}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { accountId: r.account_id, region: r.region, functions: [] }));
    g.functions.push(toLambdaTarget(r));
  }
  return [...groups.values()];
}
