-- Firehose deliveries for log groups no known function owns yet (the function is new and discovery
-- has not run since): kept here instead of being dropped with a 200, and written by a later delivery
-- once discovery knows the function. The payload is the subscription payload's JSON, gzip'd, as bytes:
-- jsonb cannot hold the U+0000 that log text may carry. `attempts` counts failed writes: a payload that
-- keeps failing is left alone after 3, not retried by every delivery. Forgotten after OSPREY_RETENTION_DAYS.
CREATE TABLE "push_pending" (
    "id" BIGSERIAL NOT NULL,
    "owner" TEXT,
    "log_group" TEXT NOT NULL,
    "payload" BYTEA NOT NULL,
    "bytes" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "push_pending_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "push_pending_log_group_idx" ON "push_pending"("log_group");
CREATE INDEX "push_pending_received_at_idx" ON "push_pending"("received_at");
