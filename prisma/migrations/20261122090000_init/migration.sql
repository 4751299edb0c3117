-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "CredentialMethod" AS ENUM ('default_chain', 'profile', 'assume_role');

-- CreateEnum
CREATE TYPE "ResourceKind" AS ENUM ('lambda', 'sqs', 'apigateway', 'dynamodb');

-- CreateEnum
CREATE TYPE "InvocationStatus" AS ENUM ('success', 'error', 'timeout', 'out_of_memory', 'crash');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('running', 'ok', 'partial', 'failed');

-- CreateEnum
CREATE TYPE "ErrorGroupState" AS ENUM ('new', 'ongoing', 'regressed', 'resolved', 'ignored');

-- CreateEnum
CREATE TYPE "InsightState" AS ENUM ('open', 'acknowledged', 'muted', 'resolved');

-- CreateTable
CREATE TABLE "accounts" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "aws_account_id" TEXT,
    "regions" TEXT[],
    "credential_method" "CredentialMethod" NOT NULL DEFAULT 'default_chain',
    "profile" TEXT,
    "role_arn" TEXT,
    "external_id" TEXT,
    "endpoint_url" TEXT,
    "is_sandbox" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "resources" (
    "id" SERIAL NOT NULL,
    "account_id" INTEGER NOT NULL,
    "region" TEXT NOT NULL,
    "kind" "ResourceKind" NOT NULL,
    "arn" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "tags" JSONB NOT NULL DEFAULT '{}',
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "resources_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "resource_config_versions" (
    "id" SERIAL NOT NULL,
    "resource_id" INTEGER NOT NULL,
    "seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "config" JSONB NOT NULL,
    "changes" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "resource_config_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invocations" (
    "id" BIGSERIAL NOT NULL,
    "day" DATE NOT NULL,
    "resource_id" INTEGER NOT NULL,
    "request_id" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "log_stream" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "duration_ms" DOUBLE PRECISION,
    "billed_duration_ms" INTEGER,
    "memory_size_mb" INTEGER,
    "max_memory_used_mb" INTEGER,
    "init_duration_ms" DOUBLE PRECISION,
    "restore_duration_ms" DOUBLE PRECISION,
    "billed_restore_duration_ms" INTEGER,
    "cold_start" BOOLEAN NOT NULL DEFAULT false,
    "cold_start_kind" TEXT,
    "status" "InvocationStatus",
    "error_type" TEXT,
    "error_message" TEXT,
    "trace_id" TEXT,
    "cost_usd" DOUBLE PRECISION,
    "complete" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "invocations_pkey" PRIMARY KEY ("id","day")
) PARTITION BY RANGE ("day");

-- CreateTable
CREATE TABLE "log_events" (
    "event_id" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "resource_id" INTEGER NOT NULL,
    "log_stream" TEXT NOT NULL,
    "request_id" TEXT,
    "level" TEXT,
    "message" TEXT NOT NULL,

    CONSTRAINT "log_events_pkey" PRIMARY KEY ("event_id","ts")
) PARTITION BY RANGE ("ts");

-- CreateTable
CREATE TABLE "spans" (
    "trace_id" TEXT NOT NULL,
    "span_id" TEXT NOT NULL,
    "start_time" TIMESTAMPTZ(3) NOT NULL,
    "parent_id" TEXT,
    "resource_id" INTEGER,
    "request_id" TEXT,
    "name" TEXT NOT NULL,
    "origin" TEXT,
    "namespace" TEXT,
    "depth" INTEGER NOT NULL DEFAULT 0,
    "start_offset_ms" DOUBLE PRECISION NOT NULL,
    "duration_ms" DOUBLE PRECISION,
    "end_time" TIMESTAMPTZ(3),
    "aws_operation" TEXT,
    "aws_resource" TEXT,
    "http_method" TEXT,
    "http_url" TEXT,
    "http_status" INTEGER,
    "sql" TEXT,
    "error" BOOLEAN NOT NULL DEFAULT false,
    "fault" BOOLEAN NOT NULL DEFAULT false,
    "throttle" BOOLEAN NOT NULL DEFAULT false,
    "in_progress" BOOLEAN NOT NULL DEFAULT false,
    "inferred" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "spans_pkey" PRIMARY KEY ("trace_id","span_id","start_time")
) PARTITION BY RANGE ("start_time");

-- CreateTable
CREATE TABLE "metric_points" (
    "resource_id" INTEGER NOT NULL,
    "namespace" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "stat" TEXT NOT NULL,
    "period_s" INTEGER NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "metric_points_pkey" PRIMARY KEY ("resource_id","metric","stat","period_s","ts")
) PARTITION BY RANGE ("ts");

-- CreateTable
CREATE TABLE "rollup_minute" (
    "resource_id" INTEGER NOT NULL,
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "invocations" INTEGER NOT NULL DEFAULT 0,
    "successes" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "timeouts" INTEGER NOT NULL DEFAULT 0,
    "out_of_memory" INTEGER NOT NULL DEFAULT 0,
    "crashes" INTEGER NOT NULL DEFAULT 0,
    "cold_starts" INTEGER NOT NULL DEFAULT 0,
    "retries" INTEGER NOT NULL DEFAULT 0,
    "duration_hist" INTEGER[],
    "duration_sum_ms" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "billed_ms" BIGINT NOT NULL DEFAULT 0,
    "gb_seconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "cost_usd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "max_memory_used_mb" INTEGER,

    CONSTRAINT "rollup_minute_pkey" PRIMARY KEY ("resource_id","minute")
);

-- CreateTable
CREATE TABLE "error_groups" (
    "id" SERIAL NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "error_type" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "sample_message" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "state" "ErrorGroupState" NOT NULL DEFAULT 'new',
    "resolved_at" TIMESTAMPTZ(3),
    "resource_ids" INTEGER[],

    CONSTRAINT "error_groups_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "error_occurrences" (
    "event_id" TEXT NOT NULL,
    "group_id" INTEGER NOT NULL,
    "resource_id" INTEGER NOT NULL,
    "request_id" TEXT,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "error_message" TEXT NOT NULL,

    CONSTRAINT "error_occurrences_pkey" PRIMARY KEY ("event_id")
);

-- CreateTable
CREATE TABLE "insights" (
    "id" SERIAL NOT NULL,
    "rule_id" TEXT NOT NULL,
    "resource_id" INTEGER,
    "account_id" INTEGER,
    "severity" TEXT NOT NULL,
    "pillar" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,
    "recommendation" TEXT NOT NULL,
    "monthly_saving_usd" DOUBLE PRECISION,
    "state" "InsightState" NOT NULL DEFAULT 'open',
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "insights_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_cursors" (
    "job" TEXT NOT NULL,
    "account_id" INTEGER NOT NULL,
    "region" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "position" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ingest_cursors_pkey" PRIMARY KEY ("job","account_id","region","key")
);

-- CreateTable
CREATE TABLE "ingest_runs" (
    "id" BIGSERIAL NOT NULL,
    "job" TEXT NOT NULL,
    "account_id" INTEGER,
    "region" TEXT,
    "status" "RunStatus" NOT NULL DEFAULT 'running',
    "error" TEXT,
    "counts" JSONB NOT NULL DEFAULT '{}',
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "ingest_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "worker_heartbeats" (
    "worker_id" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "host" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "worker_heartbeats_pkey" PRIMARY KEY ("worker_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "accounts_name_key" ON "accounts"("name");

-- CreateIndex
CREATE UNIQUE INDEX "resources_arn_key" ON "resources"("arn");

-- CreateIndex
CREATE INDEX "resources_account_id_region_kind_idx" ON "resources"("account_id", "region", "kind");

-- CreateIndex
CREATE INDEX "resource_config_versions_resource_id_seen_at_idx" ON "resource_config_versions"("resource_id", "seen_at");

-- CreateIndex
CREATE INDEX "invocations_resource_id_started_at_idx" ON "invocations"("resource_id", "started_at");

-- CreateIndex
CREATE INDEX "invocations_resource_id_request_id_idx" ON "invocations"("resource_id", "request_id");

-- CreateIndex
CREATE UNIQUE INDEX "invocations_resource_id_request_id_attempt_day_key" ON "invocations"("resource_id", "request_id", "attempt", "day");

-- CreateIndex
CREATE INDEX "log_events_resource_id_request_id_idx" ON "log_events"("resource_id", "request_id");

-- CreateIndex
CREATE INDEX "log_events_resource_id_ts_idx" ON "log_events"("resource_id", "ts");

-- CreateIndex
CREATE INDEX "spans_resource_id_request_id_idx" ON "spans"("resource_id", "request_id");

-- CreateIndex
CREATE UNIQUE INDEX "error_groups_fingerprint_key" ON "error_groups"("fingerprint");

-- CreateIndex
CREATE INDEX "error_occurrences_group_id_ts_idx" ON "error_occurrences"("group_id", "ts");

-- CreateIndex
CREATE UNIQUE INDEX "insights_rule_id_resource_id_key" ON "insights"("rule_id", "resource_id");

-- CreateIndex
CREATE INDEX "ingest_runs_job_account_id_region_started_at_idx" ON "ingest_runs"("job", "account_id", "region", "started_at");

-- AddForeignKey
ALTER TABLE "resources" ADD CONSTRAINT "resources_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "resource_config_versions" ADD CONSTRAINT "resource_config_versions_resource_id_fkey" FOREIGN KEY ("resource_id") REFERENCES "resources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Partitions (plain SQL: Prisma has no word for them).
-- Each partitioned table gets a DEFAULT partition so an insert into a day
-- without its own partition never fails; osprey_ensure_day_partition()
-- creates a day's partition and moves any rows the default caught for it.
CREATE TABLE "invocations_default" PARTITION OF "invocations" DEFAULT;
CREATE TABLE "log_events_default" PARTITION OF "log_events" DEFAULT;
CREATE TABLE "spans_default" PARTITION OF "spans" DEFAULT;
CREATE TABLE "metric_points_default" PARTITION OF "metric_points" DEFAULT;

CREATE OR REPLACE FUNCTION osprey_ensure_day_partition(parent text, d date) RETURNS boolean
LANGUAGE plpgsql AS $fn$
DECLARE
  part text := parent || '_p' || to_char(d, 'YYYYMMDD');
  deflt text := parent || '_default';
  keycol text;
  keytype text;
  lo text;
  hi text;
BEGIN
  -- Two workers may create the same day at once: serialise on the partition's name.
  PERFORM pg_advisory_xact_lock(hashtext(part));
  IF to_regclass(quote_ident(part)) IS NOT NULL THEN
    RETURN false;
  END IF;
  SELECT a.attname, format_type(a.atttypid, a.atttypmod) INTO keycol, keytype
    FROM pg_partitioned_table p
    JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
   WHERE p.partrelid = parent::regclass;
  IF keytype = 'date' THEN
    lo := d::text;
    hi := (d + 1)::text;
  ELSE
    lo := d::text || ' 00:00:00+00';
    hi := (d + 1)::text || ' 00:00:00+00';
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS)', part, parent);
  IF to_regclass(quote_ident(deflt)) IS NOT NULL THEN
    EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
                   deflt, keycol, lo, keycol, hi, part);
  END IF;
  EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part, lo, hi);
  RETURN true;
END
$fn$;

-- Retention: dropping a day is dropping a table, not deleting rows.
CREATE OR REPLACE FUNCTION osprey_drop_day_partitions_before(parent text, d date) RETURNS integer
LANGUAGE plpgsql AS $fn$
DECLARE
  r record;
  dropped integer := 0;
BEGIN
  FOR r IN
    SELECT c.relname FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = parent::regclass
       AND c.relname ~ ('^' || parent || '_p[0-9]{8}$')
       AND to_date(right(c.relname, 8), 'YYYYMMDD') < d
  LOOP
    EXECUTE format('DROP TABLE %I', r.relname);
    dropped := dropped + 1;
  END LOOP;
  RETURN dropped;
END
$fn$;

SELECT osprey_ensure_day_partition(t, (current_date + g)::date)
  FROM unnest(ARRAY['invocations', 'log_events', 'spans', 'metric_points']) AS t,
       generate_series(-1, 2) AS g;
