import { hostname } from "node:os";
import type pg from "pg";
import { reapDeadWorkers, recordHeartbeat, removeHeartbeat } from "../lib/db/worker-liveness";
import { childLog } from "../lib/log";

const log = childLog("workers");

export interface HeartbeatOptions {
  workerId: string;
  /** graphile-worker ids of this process, as its pool created them */
  queueWorkerIds: () => string[];
  /** a worker silent this long is dead: its locks are released and its runs interrupted */
  staleMs: number;
}

/** Beats several times per stale period, so a slow database round does not make a live worker look dead. */
export const heartbeatInterval = (staleMs: number) => Math.max(250, Math.min(10_000, Math.floor(staleMs / 4)));

/**
 * Writes this worker's heartbeat now and every few seconds (/api/health reads them), and on each beat
 * releases what dead workers left locked. Returns a stop function that removes the heartbeat.
 */
export function startHeartbeat(db: pg.Pool, opts: HeartbeatOptions): () => Promise<void> {
  let running: Promise<void> | undefined;
  const beat = async () => {
    try {
      await recordHeartbeat(db, { workerId: opts.workerId, pid: process.pid, host: hostname(), queueWorkerIds: opts.queueWorkerIds() });
      const reaped = await reapDeadWorkers(db, opts.staleMs, { workerId: opts.workerId, queueWorkerIds: opts.queueWorkerIds() });
      if (reaped.workerIds.length) log.warn({ deadWorkers: reaped.workerIds, interruptedRuns: reaped.runs }, "released the jobs of workers that stopped without finishing");
    } catch (err) {
      log.warn({ err: (err as Error).message }, "heartbeat failed");
    }
  };
  const tick = () => {
    running ??= beat().finally(() => (running = undefined));
  };
  tick();
  const timer = setInterval(tick, heartbeatInterval(opts.staleMs));
  return async () => {
    clearInterval(timer);
    await running;
    await removeHeartbeat(db, opts.workerId).catch(() => {});
  };
}
