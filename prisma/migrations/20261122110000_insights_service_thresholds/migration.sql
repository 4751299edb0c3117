-- Insights name the service and the resource ARN they are about (the page filters by both),
-- and the evaluation scope (account and region) they were found in.
ALTER TABLE "insights" ADD COLUMN "service" TEXT NOT NULL DEFAULT 'lambda',
  ADD COLUMN "resource_arn" TEXT,
  ADD COLUMN "region" TEXT;
CREATE INDEX "insights_account_id_region_idx" ON "insights" ("account_id", "region");
CREATE INDEX "insights_state_severity_idx" ON "insights" ("state", "severity");

-- A user's own threshold for a rule, overriding the rule's named default.
CREATE TABLE "insight_thresholds" (
    "rule_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
    CONSTRAINT "insight_thresholds_pkey" PRIMARY KEY ("rule_id", "name")
);
