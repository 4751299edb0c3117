-- Worker liveness: a run whose worker died (kill -9, OOM, a host gone) is marked 'interrupted' by the
-- workers still alive, which also release the dead worker's graphile-worker locks.
--  worker_heartbeats.queue_worker_ids  the graphile-worker ids (jobs.locked_by) of this process's workers
--  ingest_runs.worker_id               the graphile-worker id that ran it
ALTER TYPE "RunStatus" ADD VALUE IF NOT EXISTS 'interrupted';
ALTER TABLE "worker_heartbeats" ADD COLUMN "queue_worker_ids" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "ingest_runs" ADD COLUMN "worker_id" TEXT;
CREATE INDEX "ingest_runs_worker_id_idx" ON "ingest_runs"("worker_id");
