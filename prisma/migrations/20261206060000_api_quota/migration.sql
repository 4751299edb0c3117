-- Scale and freshness (issue 15): AWS's request quotas shared by every worker process, and the calls made per hour.

CREATE TABLE "api_quota_buckets" (
    "account_id" INTEGER NOT NULL,
    "region" TEXT NOT NULL,
    "api" TEXT NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "api_quota_buckets_pkey" PRIMARY KEY ("account_id","region","api")
);

CREATE TABLE "api_call_counts" (
    "account_id" INTEGER NOT NULL,
    "region" TEXT NOT NULL,
    "api" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 0,
    "units" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "api_call_counts_pkey" PRIMARY KEY ("account_id","region","api","hour")
);

CREATE INDEX "api_call_counts_hour_idx" ON "api_call_counts"("hour");

ALTER TABLE "api_quota_buckets" ADD CONSTRAINT "api_quota_buckets_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "api_call_counts" ADD CONSTRAINT "api_call_counts_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
