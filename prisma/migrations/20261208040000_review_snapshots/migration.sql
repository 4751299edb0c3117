-- Well-Architected review (issue 16 item 1): each insight run keeps the pillar scores of its account and region
-- for the day, so the review page can chart a team's progress. One row per day: the day's last run wins.

CREATE TABLE "review_snapshots" (
    "account_id" INTEGER NOT NULL,
    "region" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "pillar" TEXT NOT NULL,
    "passed" INTEGER NOT NULL,
    "failed" INTEGER NOT NULL,
    "not_checked" INTEGER NOT NULL,
    "taken_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "review_snapshots_pkey" PRIMARY KEY ("account_id", "region", "day", "pillar")
);

CREATE INDEX "review_snapshots_day_idx" ON "review_snapshots"("day");

ALTER TABLE "review_snapshots" ADD CONSTRAINT "review_snapshots_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
