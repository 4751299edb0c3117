import { randomUUID } from "node:crypto";
import { Logger, run, type Runner, type TaskList } from "graphile-worker";
import { childLog } from "../lib/log";
import type pg from "pg";
import { startHeartbeat } from "./heartbeat";

export interface WorkerHandle {
  workerId: string;
  runner: Runner;
  /** Lets jobs in flight finish, then stops. */
  stop(): Promise<void>;
}

const pinoQueue = childLog("queue");
// graphile-worker's own messages (failed attempts, retries) go through pino like everything else.
// Its info messages, one per job done with the whole job row, are debug here: every job run is
// recorded in ingest_runs, and a terminal at the default level should show what needs a look.
const queueLogger = new Logger(() => (level, message, meta) => {
  const fn = level === "error" ? pinoQueue.error : level === "warning" ? pinoQueue.warn : pinoQueue.debug;
  fn.call(pinoQueue, meta ?? {}, message);
});

export async function startWorkerPool(
  db: pg.Pool,
  opts: { taskList: TaskList; crontab?: string; concurrency?: number; pollInterval?: number },
): Promise<WorkerHandle> {
  const workerId = `osprey-${process.pid}-${randomUUID().slice(0, 8)}`;
  const runner = await run({
    pgPool: db,
    taskList: opts.taskList,
    crontab: opts.crontab ?? "",
    concurrency: opts.concurrency ?? 4,
    pollInterval: opts.pollInterval ?? 1000,
    noHandleSignals: true,
    logger: queueLogger,
  });
  const stopHeartbeat = startHeartbeat(db, workerId);
  let stopped: Promise<void> | undefined;
  return {
    workerId,
    runner,
    stop: () => {
      stopped ??= (async () => {
        await runner.stop();
        await stopHeartbeat();
      })();
      return stopped;
    },
  };
}
