-- Alert policies, the incidents they open, and each incident's timeline.
-- A policy's scope is one of: all, account (account_id), region (account_id optional + region),
-- tag (tag_key = tag_value), resources (resource_ids). Removing an account removes the policies
-- scoped to it and every incident of its resources (FK cascades; lib/db/accounts.ts also deletes by
-- account_id / resource_id). Resolved incidents older than OSPREY_RETENTION_DAYS are pruned
-- (lib/db/retention.ts); their events go with them.
CREATE TABLE "alert_policies" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "condition_kind" TEXT NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    -- At or above it the incident is critical (an escalation when it was opened below it).
    "critical_threshold" DOUBLE PRECISION,
    "window_minutes" INTEGER NOT NULL DEFAULT 10,
    "min_invocations" INTEGER NOT NULL DEFAULT 0,
    "severity" TEXT NOT NULL DEFAULT 'warning',
    "scope_kind" TEXT NOT NULL DEFAULT 'all',
    "account_id" INTEGER,
    "region" TEXT,
    "tag_key" TEXT,
    "tag_value" TEXT,
    "resource_ids" INTEGER[] NOT NULL DEFAULT '{}',
    "channel_ids" INTEGER[] NOT NULL DEFAULT '{}',
    "resolve_after_minutes" INTEGER NOT NULL DEFAULT 5,
    "flap_minutes" INTEGER NOT NULL DEFAULT 10,
    "is_default" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_policies_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "alert_policies_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "alert_policies_name_key" ON "alert_policies"("name");

CREATE TABLE "incidents" (
    "id" BIGSERIAL NOT NULL,
    "policy_id" INTEGER NOT NULL,
    "resource_id" INTEGER,
    "account_id" INTEGER,
    "state" TEXT NOT NULL DEFAULT 'open',
    "severity" TEXT NOT NULL,
    "value" DOUBLE PRECISION,
    "threshold" DOUBLE PRECISION NOT NULL,
    "flaps" INTEGER NOT NULL DEFAULT 0,
    -- The last event a notice went out for: a re-open held back as flapping resolves again without a notice.
    "last_notice" TEXT,
    "opened_at" TIMESTAMPTZ(3) NOT NULL,
    "acknowledged_at" TIMESTAMPTZ(3),
    "acknowledged_by" TEXT,
    "resolved_at" TIMESTAMPTZ(3),
    "clear_since" TIMESTAMPTZ(3),
    "snoozed_until" TIMESTAMPTZ(3),
    "last_evaluated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "incidents_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "incidents_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "alert_policies"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "incidents_resource_id_fkey" FOREIGN KEY ("resource_id") REFERENCES "resources"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "incidents_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- One incident that is not resolved per (policy, resource); account/region-level ones have no resource (-1 stands for it).
CREATE UNIQUE INDEX "incidents_one_open_key" ON "incidents"("policy_id", COALESCE("resource_id", -1)) WHERE "state" <> 'resolved';
CREATE INDEX "incidents_state_opened_at_idx" ON "incidents"("state", "opened_at");
CREATE INDEX "incidents_resource_id_idx" ON "incidents"("resource_id");
CREATE INDEX "incidents_resolved_at_idx" ON "incidents"("resolved_at");

CREATE TABLE "incident_events" (
    "id" BIGSERIAL NOT NULL,
    "incident_id" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "detail" JSONB,

    CONSTRAINT "incident_events_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "incident_events_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "incident_events_incident_id_at_idx" ON "incident_events"("incident_id", "at");
