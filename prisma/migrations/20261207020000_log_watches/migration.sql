-- Live tail (issue 15 item 4): the functions someone is watching now; a worker reads their log groups every few seconds until the watch expires.

CREATE TABLE "log_watches" (
    "resource_id" INTEGER NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "log_watches_pkey" PRIMARY KEY ("resource_id")
);

CREATE INDEX "log_watches_expires_at_idx" ON "log_watches"("expires_at");

ALTER TABLE "log_watches" ADD CONSTRAINT "log_watches_resource_id_fkey" FOREIGN KEY ("resource_id") REFERENCES "resources"("id") ON DELETE CASCADE ON UPDATE CASCADE;
