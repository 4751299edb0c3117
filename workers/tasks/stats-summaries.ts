import type { Task } from "graphile-worker";
import type pg from "pg";
import { refreshStatsSummaries } from "../../lib/db/stats-summary-refresh";
import { childLog } from "../../lib/log";

const log = childLog("stats-summaries");

/** One queue and one job key: refreshes never run side by side, and a request while one waits adds nothing. */
export const SUMMARIES_JOB = { task: "stats_summaries", queueName: "stats_summaries", jobKey: "stats_summaries" } as const;

/** Recomputes the preset-range summaries whose rollups changed or whose range moved on. */
export function statsSummariesTask(db: pg.Pool): Task {
  return async () => {
    const started = Date.now();
    const counts = await refreshStatsSummaries(db);
    if (counts.computed) log.debug({ ...counts, ms: Date.now() - started }, "stats summaries refreshed");
  };
}
