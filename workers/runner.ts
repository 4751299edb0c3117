import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { Logger, run, type Runner, type TaskList, type WorkerEvents } from "graphile-worker";
import { abortAwsCalls } from "../lib/aws/clients";
import { childLog } from "../lib/log";
import type pg from "pg";
import { startHeartbeat } from "./heartbeat";

export interface WorkerHandle {
  workerId: string;
  /** graphile-worker pool ids of this process (what jobs.locked_by holds) */
  queueWorkerIds: string[];
  runner: Runner;
  /** Stops taking jobs; lets jobs in flight finish within `graceMs`, then aborts their AWS calls. */
  stop(graceMs?: number): Promise<void>;
}

const pinoQueue = childLog("queue");

// graphile-worker's own messages (failed attempts, retries) go through pino like everything else.
// Its info messages, one per job done with the whole job row, are debug here: every job run is
// recorded in ingest_runs, and a terminal at the default level should show what needs a look.
const queueLogger = new Logger(() => (level, message, meta) => {
  const fn = level === "error" ? pinoQueue.error : level === "warning" ? pinoQueue.warn : pinoQueue.debug;
  fn.call(pinoQueue, meta ?? {}, message);
});

export const DEFAULT_STOP_GRACE_MS = 8_000;

export async function startWorkerPool(
  db: pg.Pool,
  opts: { taskList: TaskList; crontab?: string; concurrency?: number; pollInterval?: number; staleMs?: number },
): Promise<WorkerHandle> {
  const workerId = `osprey-${process.pid}-${randomUUID().slice(0, 8)}`;
  const queueWorkerIds: string[] = [];
  // graphile-worker 0.18 locks jobs and queues in the name of the worker pool (jobs.locked_by is the
  // pool's id, not one of its workers'): the heartbeat carries it, so the workers still alive can
  // release this process's locks if it dies.
  const events: WorkerEvents = new EventEmitter();
  events.on("pool:create", ({ workerPool }) => queueWorkerIds.push(workerPool.id));
  const runner = await run({
    pgPool: db,
    taskList: opts.taskList,
    crontab: opts.crontab ?? "",
    concurrency: opts.concurrency ?? 4,
    pollInterval: opts.pollInterval ?? 1000,
    noHandleSignals: true,
    logger: queueLogger,
    events,
  });
  const stopHeartbeat = startHeartbeat(db, { workerId, queueWorkerIds: () => queueWorkerIds, staleMs: opts.staleMs ?? 60_000 });
  let stopped: Promise<void> | undefined;
  return {
    workerId,
    queueWorkerIds,
    runner,
    stop: (graceMs = DEFAULT_STOP_GRACE_MS) => {
      stopped ??= (async () => {
        // A pass can take minutes (many log groups, backoff on throttling): past the grace, its AWS
        // calls are aborted so it ends with what it committed, and the next pass goes on from there.
        const abort = setTimeout(() => abortAwsCalls(), graceMs);
        try {
          await runner.stop();
        } finally {
          clearTimeout(abort);
        }
        await stopHeartbeat();
      })();
      return stopped;
    },
  };
}
