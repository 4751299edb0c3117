-- Scale and freshness (issue 15 item 2): Logs Insights queries running at once per account, shared by every
-- worker process. A query holds one slot until it ends; a slot whose lease ran out (a worker that died
-- mid-query) is free again.

CREATE TABLE "logs_query_leases" (
    "account_id" INTEGER NOT NULL,
    "slot" INTEGER NOT NULL,
    "expires_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "logs_query_leases_pkey" PRIMARY KEY ("account_id","slot")
);

ALTER TABLE "logs_query_leases" ADD CONSTRAINT "logs_query_leases_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
