import type { Task } from "graphile-worker";
import type pg from "pg";
import { enqueueAccountJob } from "../account-job";

/** Account jobs and how often each runs, in minutes. */
export const ACCOUNT_JOBS: { job: string; everyMinutes: number }[] = [
  { job: "discover", everyMinutes: 5 },
  { job: "logs", everyMinutes: 1 },
  { job: "metrics", everyMinutes: 2 },
  { job: "traces", everyMinutes: 1 },
  // After the logs job has refreshed the rollups the rules read.
  { job: "insights", everyMinutes: 5 },
];

/** Fans the per-account-and-region jobs that are due out onto their queues. */
export function scheduleTask(db: pg.Pool, jobs = ACCOUNT_JOBS, tickMs = 60_000): Task {
  return async (payload, helpers) => {
    const { rows } = await db.query<{ id: number; regions: string[] }>("SELECT id, regions FROM accounts ORDER BY id");
    const minute = Math.floor(Date.now() / tickMs);
    // At start-up every job runs once, whatever the minute.
    const all = (payload as { all?: boolean } | null)?.all === true;
    for (const { job, everyMinutes } of jobs) {
      if (!all && minute % everyMinutes !== 0) continue;
      for (const account of rows) {
        for (const region of account.regions) await enqueueAccountJob(helpers.addJob, job, { accountId: account.id, region });
      }
    }
  };
}
