-- Invocations remember the START and REPORT events they were built from, so a partial view
-- that arrives in a later batch joins the right attempt, and re-reads change nothing.
ALTER TABLE "invocations" ADD COLUMN "start_event_id" TEXT, ADD COLUMN "report_event_id" TEXT;

ALTER TABLE "error_occurrences" ADD COLUMN "error_type" TEXT NOT NULL DEFAULT '', ADD COLUMN "log_stream" TEXT NOT NULL DEFAULT '';
CREATE INDEX "error_occurrences_resource_id_ts_idx" ON "error_occurrences" ("resource_id", "ts");
ALTER TABLE "error_groups" ADD COLUMN "top_frame" TEXT;

-- Duration histograms are sparse: the buckets an interval used and their counts (most
-- minutes use a few dozen of the 469 buckets; see lib/analysis/histogram.ts).
DROP TABLE "rollup_minute";

CREATE TABLE "rollup_minute" (
    "resource_id" INTEGER NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "invocations" INTEGER NOT NULL DEFAULT 0,
    "successes" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "timeouts" INTEGER NOT NULL DEFAULT 0,
    "out_of_memory" INTEGER NOT NULL DEFAULT 0,
    "crashes" INTEGER NOT NULL DEFAULT 0,
    "cold_starts" INTEGER NOT NULL DEFAULT 0,
    "retries" INTEGER NOT NULL DEFAULT 0,
    "hist_buckets" SMALLINT[] NOT NULL DEFAULT '{}',
    "hist_counts" INTEGER[] NOT NULL DEFAULT '{}',
    "duration_sum_ms" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "billed_ms" BIGINT NOT NULL DEFAULT 0,
    "gb_seconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "cost_usd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "max_memory_used_mb" INTEGER,
    "memory_size_mb" INTEGER,
    CONSTRAINT "rollup_minute_pkey" PRIMARY KEY ("resource_id", "bucket_start")
);
CREATE TABLE "rollup_hour" (LIKE "rollup_minute" INCLUDING ALL);
CREATE TABLE "rollup_day" (LIKE "rollup_minute" INCLUDING ALL);
CREATE INDEX "rollup_minute_bucket_start_idx" ON "rollup_minute" ("bucket_start");
CREATE INDEX "rollup_hour_bucket_start_idx" ON "rollup_hour" ("bucket_start");
CREATE INDEX "rollup_day_bucket_start_idx" ON "rollup_day" ("bucket_start");
