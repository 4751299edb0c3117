import type { Task } from "graphile-worker";
import type pg from "pg";
import { finishIngestRun, startIngestRun } from "../../lib/db/ingest-runs";
import { ensurePartitions } from "../../lib/db/partitions";
import { applyRetention } from "../../lib/db/retention";

/** Creates the coming days' partitions, drops those past retention, and deletes every other row past its retention (hourly). */
export function partitionsTask(db: pg.Pool, retentionDays: number): Task {
  return async () => {
    const runId = await startIngestRun(db, { job: "partitions", accountId: null, region: null });
    try {
      const counts = await ensurePartitions(db, { daysAhead: 7, retentionDays });
      const deleted = await applyRetention(db, retentionDays);
      await finishIngestRun(db, runId, "ok", { ...counts, ...Object.fromEntries(Object.entries(deleted).map(([t, n]) => [`deleted_${t}`, n])) }, null);
    } catch (err) {
      await finishIngestRun(db, runId, "failed", {}, String((err as Error).message)).catch(() => {});
      throw err;
    }
  };
}
