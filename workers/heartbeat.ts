import { hostname } from "node:os";
import type pg from "pg";

const HEARTBEAT_MS = 10_000;

/** Writes this worker's heartbeat now and every 10 s; /api/health reports the newest. */
export function startHeartbeat(db: pg.Pool, workerId: string): () => Promise<void> {
  const beat = () =>
    db
      .query(
        `INSERT INTO worker_heartbeats (worker_id, pid, host, last_seen) VALUES ($1, $2, $3, now())
         ON CONFLICT (worker_id) DO UPDATE SET last_seen = now()`,
        [workerId, process.pid, hostname()],
      )
      .catch(() => {});
  void beat();
  const timer = setInterval(beat, HEARTBEAT_MS);
  return async () => {
    clearInterval(timer);
    await db.query("DELETE FROM worker_heartbeats WHERE worker_id = $1", [workerId]).catch(() => {});
  };
}
