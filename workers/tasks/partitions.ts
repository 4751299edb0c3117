import type { Task } from "graphile-worker";
import type pg from "pg";
import { finishIngestRun, startIngestRun } from "../../lib/db/ingest-runs";
import { ensurePartitions } from "../../lib/db/partitions";

/** Creates the coming days' partitions and drops those past retention. */
export function partitionsTask(db: pg.Pool, retentionDays: number): Task {
  return async () => {
    const runId = await startIngestRun(db, { job: "partitions", accountId: null, region: null });
    try {
      const counts = await ensurePartitions(db, { daysAhead: 7, retentionDays });
      await finishIngestRun(db, runId, "ok", counts, null);
    } catch (err) {
      await finishIngestRun(db, runId, "failed", {}, String((err as Error).message)).catch(() => {});
      throw err;
    }
  };
}
