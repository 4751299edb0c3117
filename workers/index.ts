import { hostname } from "node:os";
import { databaseUrl } from "../lib/db/database-url";
import { countLiveWorkers } from "../lib/db/worker-liveness";
import { createPool } from "../lib/db/pool";
import { env } from "../lib/env";
import { childLog } from "../lib/log";
import { startWorkerPool, type WorkerHandle } from "./runner";
import { accountTasks } from "./tasks/account-tasks";
import { partitionsTask } from "./tasks/partitions";
import { scheduleTask } from "./tasks/schedule";
import { statsSummariesTask, SUMMARIES_JOB } from "./tasks/stats-summaries";
import { DELIVER_JOB, deliverNotificationsTask, SWEEP_JOB } from "./tasks/deliver-notifications";
import { ALERTS_JOB, evaluateAlertsTask } from "./tasks/evaluate-alerts";
import { TAIL_JOB } from "../lib/db/log-watches";
import { tailLogsTask } from "./tasks/tail-logs";

const log = childLog("workers");
// Notifications go out as soon as an incident change asks; this sweep each minute sends the retries that came due.
const DELIVERY_CRONTAB = `* * * * * ${SWEEP_JOB.task} ?max=1&jobKey=${SWEEP_JOB.jobKey}`;
// Alerts are evaluated each minute (auto-resolve follows the clock) and after each ingest that wrote rows.
const ALERTS_CRONTAB = `* * * * * ${ALERTS_JOB.task} ?max=1&queue=${ALERTS_JOB.queueName}&jobKey=${ALERTS_JOB.jobKey}`;

// Every minute the scheduler fans out the account jobs that are due and the preset-range summaries
// follow the clock (the logs job also asks for them when it wrote); partitions are checked hourly
// (and at start) so tomorrow's always exist before it begins.
const CRONTAB = ["* * * * * schedule ?max=1", `* * * * * ${SUMMARIES_JOB.task} ?max=1&queue=${SUMMARIES_JOB.queueName}&jobKey=${SUMMARIES_JOB.jobKey}`, "7 * * * * partitions ?max=1"].join("\n");

/**
 * `osprey workers --health`: exit 0 when a worker on this host beat within the stale period, else 1
 * (the compose healthcheck of the worker containers).
 */
async function workersHealth(): Promise<number> {
  const db = createPool(databaseUrl(), 1);
  try {
    const staleMs = env().OSPREY_WORKER_STALE_SECONDS * 1000;
    const { alive, lastHeartbeat } = await countLiveWorkers(db, staleMs, hostname());
    if (alive > 0) {
      process.stdout.write(`worker alive on ${hostname()} (last heartbeat ${lastHeartbeat?.toISOString()})\n`);
      return 0;
    }
    process.stdout.write(`no worker alive on ${hostname()}: ${lastHeartbeat ? `last heartbeat ${lastHeartbeat.toISOString()}` : "no heartbeat"}\n`);
    return 1;
  } catch (err) {
    process.stdout.write(`cannot check: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await db.end();
  }
}

/**
 * Ticks shorter than the crontab's minute (OSPREY_SCHEDULE_TICK_SECONDS): every process asks for the
 * schedule at each tick boundary under one job key, so the processes mostly share one schedule run a tick
 * (a second one finds the account jobs already pending: they are keyed per queue).
 */
function startScheduleTicker(worker: WorkerHandle, tickMs: number): () => void {
  if (tickMs >= 60_000) return () => {};
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    timer = setTimeout(() => {
      const tick = Math.floor(Date.now() / tickMs);
      worker.runner.addJob("schedule", { tick }, { jobKey: "schedule-tick", jobKeyMode: "preserve_run_at", maxAttempts: 1 }).catch((err: unknown) => log.warn({ err: (err as Error)?.message }, "schedule tick not queued"));
      arm();
    }, tickMs - (Date.now() % tickMs));
  };
  arm();
  return () => clearTimeout(timer);
}

export async function workersCommand(args: string[]): Promise<number> {
  if (args.includes("--health")) return workersHealth();
  const db = createPool(databaseUrl(), 12);
  const e = env();
  const staleMs = e.OSPREY_WORKER_STALE_SECONDS * 1000;
  const ingestTasks = {
    schedule: scheduleTask(db, undefined, e.OSPREY_SCHEDULE_TICK_SECONDS * 1000),
    partitions: partitionsTask(db, e.OSPREY_RETENTION_DAYS),
    [SUMMARIES_JOB.task]: statsSummariesTask(db),
    ...accountTasks(db, e.OSPREY_SCHEDULE_TICK_SECONDS * 1000),
  };
  // Alerts have worker slots of their own: passes over a backlog (the first day of logs, a slow
  // account) can hold every ingest slot for minutes, and an evaluation asked for by a push delivery
  // must not wait behind them. A pool fetches only the tasks of its own list. The live tail's reads
  // (every few seconds while someone watches a function) share these slots for the same reason.
  const alertTasks = {
    [DELIVER_JOB.task]: deliverNotificationsTask(db, e.OSPREY_RETENTION_DAYS),
    [ALERTS_JOB.task]: evaluateAlertsTask(db),
    [TAIL_JOB.task]: tailLogsTask(db),
  };
  const worker = await startWorkerPool(db, { taskList: ingestTasks, crontab: CRONTAB, staleMs });
  const alerting = await startWorkerPool(db, { taskList: alertTasks, crontab: `${DELIVERY_CRONTAB}\n${ALERTS_CRONTAB}`, concurrency: 3, staleMs });
  await worker.runner.addJob("partitions", {}, { jobKey: "partitions-startup", maxAttempts: 3 });
  await worker.runner.addJob("schedule", { all: true }, { jobKey: "schedule-startup", maxAttempts: 1 });
  await worker.runner.addJob(SWEEP_JOB.task, {}, { jobKey: SWEEP_JOB.jobKey, maxAttempts: 1 });
  const stopTicker = startScheduleTicker(worker, e.OSPREY_SCHEDULE_TICK_SECONDS * 1000);
  log.info({ workerId: worker.workerId, alertsWorkerId: alerting.workerId }, "workers started");

  await new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      log.info({ signal }, "stopping: letting jobs in flight finish");
      stopTicker();
      const graceMs = e.OSPREY_WORKER_STOP_GRACE_SECONDS * 1000;
      void Promise.all([worker.stop(graceMs), alerting.stop(graceMs)]).then(() => resolve(), (err: unknown) => {
        log.error({ err: (err as Error)?.message }, "stopping failed");
        resolve();
      });
    };
    process.once("SIGTERM", onSignal);
    process.once("SIGINT", onSignal);
  });
  await db.end();
  log.info("workers stopped");
  return 0;
}
