-- Coverage (issue 16 item 3): Kinesis streams, Firehose delivery streams, Step Functions state machines, SNS topics
-- and EventBridge rules are resources of their own; failed Step Functions executions keep the state that failed.

ALTER TYPE "ResourceKind" ADD VALUE 'kinesis';
ALTER TYPE "ResourceKind" ADD VALUE 'firehose';
ALTER TYPE "ResourceKind" ADD VALUE 'stepfunctions';
ALTER TYPE "ResourceKind" ADD VALUE 'sns';
ALTER TYPE "ResourceKind" ADD VALUE 'eventbridge';

CREATE TABLE "failed_executions" (
    "id" BIGSERIAL NOT NULL,
    "resource_id" INTEGER NOT NULL,
    "execution_arn" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "stopped_at" TIMESTAMPTZ(3) NOT NULL,
    "failed_state" TEXT,
    "error" TEXT,
    "cause" TEXT,

    CONSTRAINT "failed_executions_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "failed_executions_execution_arn_key" ON "failed_executions"("execution_arn");
CREATE INDEX "failed_executions_resource_id_stopped_at_idx" ON "failed_executions"("resource_id", "stopped_at" DESC);

ALTER TABLE "failed_executions" ADD CONSTRAINT "failed_executions_resource_id_fkey" FOREIGN KEY ("resource_id") REFERENCES "resources"("id") ON DELETE CASCADE ON UPDATE CASCADE;
