-- The longest duration of each rollup row (and of each summary), so a percentile that falls in the
-- top bucket of its histogram reports it instead of the bucket's midpoint: a function timing out at
-- 60 s shows p99 = 60.0 s (lib/analysis/histogram.ts states the bound). Rows written before this
-- have none (NULL) and keep the midpoint.
ALTER TABLE "rollup_minute" ADD COLUMN "max_duration_ms" DOUBLE PRECISION;
ALTER TABLE "rollup_hour" ADD COLUMN "max_duration_ms" DOUBLE PRECISION;
ALTER TABLE "rollup_day" ADD COLUMN "max_duration_ms" DOUBLE PRECISION;
ALTER TABLE "stats_summaries" ADD COLUMN "max_duration_ms" DOUBLE PRECISION;
