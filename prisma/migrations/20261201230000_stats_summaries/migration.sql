-- Aggregates over the preset ranges (1h, 24h, 7d, 30d ending now), computed ahead by the
-- workers so that the first view of the overview or the function list reads a thousand rows
-- instead of merging tens of thousands of rollup rows. Each is stamped with the rollup version of
-- its account and region; a write to the rollups bumps the version, and a summary whose version
-- is not the current one is never read (lib/db/queries/stats-summary.ts).

-- Bumped in the same transaction as every rollup write of the account and region.
CREATE TABLE "rollup_versions" (
    "account_id" INTEGER NOT NULL,
    "region" TEXT NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "rollup_versions_pkey" PRIMARY KEY ("account_id", "region"),
    CONSTRAINT "rollup_versions_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- One account and region over one range: the range is named by the rollup rows that answer it
-- (JSON of lib/db/queries/rollup-range.ts coverRange), so any request covering the same rows uses it.
CREATE TABLE "stats_summary_scopes" (
    "cover" TEXT NOT NULL,
    "account_id" INTEGER NOT NULL,
    "region" TEXT NOT NULL,
    "version" BIGINT NOT NULL,
    -- A preset range keeps the fleet per sparkline bin (invocations, errors, coldStarts, costUsd and
    -- the sparse histogram of each); the period before it keeps those totals only.
    "totals" JSONB,
    "bins" JSONB,
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stats_summary_scopes_pkey" PRIMARY KEY ("cover", "account_id", "region"),
    CONSTRAINT "stats_summary_scopes_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE "stats_summaries" (
    "cover" TEXT NOT NULL,
    "account_id" INTEGER NOT NULL,
    "region" TEXT NOT NULL,
    "resource_id" INTEGER NOT NULL,
    "invocations" DOUBLE PRECISION NOT NULL,
    "successes" DOUBLE PRECISION NOT NULL,
    "errors" DOUBLE PRECISION NOT NULL,
    "timeouts" DOUBLE PRECISION NOT NULL,
    "out_of_memory" DOUBLE PRECISION NOT NULL,
    "crashes" DOUBLE PRECISION NOT NULL,
    "cold_starts" DOUBLE PRECISION NOT NULL,
    "retries" DOUBLE PRECISION NOT NULL,
    "duration_sum_ms" DOUBLE PRECISION NOT NULL,
    "billed_ms" DOUBLE PRECISION NOT NULL,
    "gb_seconds" DOUBLE PRECISION NOT NULL,
    "cost_usd" DOUBLE PRECISION NOT NULL,
    "max_memory_used_mb" INTEGER,
    -- The merged histogram, sparse as in the rollups, and the sparkline's invocations per bin.
    "hist_buckets" SMALLINT[] NOT NULL,
    "hist_counts" INTEGER[] NOT NULL,
    "spark" DOUBLE PRECISION[] NOT NULL,

    CONSTRAINT "stats_summaries_pkey" PRIMARY KEY ("cover", "resource_id"),
    CONSTRAINT "stats_summaries_scope_fkey" FOREIGN KEY ("cover", "account_id", "region") REFERENCES "stats_summary_scopes"("cover", "account_id", "region") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "stats_summaries_resource_id_fkey" FOREIGN KEY ("resource_id") REFERENCES "resources"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "stats_summaries_scope_idx" ON "stats_summaries"("cover", "account_id", "region");
