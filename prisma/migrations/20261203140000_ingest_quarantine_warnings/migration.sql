-- Log events Postgres refused for a data reason, kept aside so the rest of their chunk lands and the
-- cursor moves (issue 12, item 1). event_ts_ms is the event's raw timestamp: it may be one Postgres
-- cannot store as a timestamptz. message is the raw message with NUL and unpaired surrogates as U+FFFD.
CREATE TABLE "quarantined_events" (
    "id" BIGSERIAL NOT NULL,
    "account_id" INTEGER NOT NULL,
    "region" TEXT NOT NULL,
    "log_group" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "event_ts_ms" DOUBLE PRECISION,
    "log_stream" TEXT NOT NULL DEFAULT '',
    "message" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "sqlstate" TEXT,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seen_count" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "quarantined_events_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "quarantined_events_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "quarantined_events_account_id_region_log_group_event_id_key" ON "quarantined_events"("account_id", "region", "log_group", "event_id");
CREATE INDEX "quarantined_events_first_seen_at_idx" ON "quarantined_events"("first_seen_at");

-- A call that failed for one feature and resource without failing the region (issue 12, item 2):
-- one row per account, region, feature and resource ('' for the whole region), cleared when the call
-- succeeds again. action is the IAM action of the call (e.g. lambda:ListProvisionedConcurrencyConfigs).
CREATE TABLE "ingest_warnings" (
    "id" BIGSERIAL NOT NULL,
    "account_id" INTEGER NOT NULL,
    "region" TEXT NOT NULL,
    "feature" TEXT NOT NULL,
    "resource" TEXT NOT NULL DEFAULT '',
    "action" TEXT,
    "denied" BOOLEAN NOT NULL DEFAULT false,
    "message" TEXT NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "count" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "ingest_warnings_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ingest_warnings_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "ingest_warnings_account_id_region_feature_resource_key" ON "ingest_warnings"("account_id", "region", "feature", "resource");
