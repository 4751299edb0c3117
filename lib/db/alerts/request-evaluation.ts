import type pg from "pg";
import { childLog } from "@/lib/log";

const log = childLog("alerts");

/** Pools whose database holds the job queue's schema. */
const withQueue = new WeakSet<object>();

/**
 * Asks the workers to evaluate alerts now (after a push delivery wrote invocations), so a push can
 * alert within seconds rather than at the next minute. Same queue and job key as the worker's own
 * requests (workers/tasks/evaluate-alerts.ts), so a burst of deliveries folds into one run. Never
 * fails the caller: the minute's cron evaluates anyway. Nothing while the worker schema is absent.
 */
export async function requestAlertEvaluation(db: Pick<pg.Pool, "query">): Promise<boolean> {
  try {
    // The schema, once there, stays: checked once per pool, not before every request (one round trip per push batch).
    if (!withQueue.has(db)) {
      const { rows } = await db.query<{ ok: boolean }>("SELECT to_regnamespace('graphile_worker') IS NOT NULL AS ok");
      if (!rows[0]?.ok) return false;
      withQueue.add(db);
    }
    await db.query("SELECT graphile_worker.add_job('evaluate-alerts', '{}'::json, queue_name => 'alerts', max_attempts => 1, job_key => 'evaluate-alerts', job_key_mode => 'preserve_run_at')");
    return true;
  } catch (err) {
    log.warn({ err: (err as Error).message }, "could not request an alert evaluation");
    return false;
  }
}
