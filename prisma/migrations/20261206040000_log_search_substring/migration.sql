-- Log search finds text anywhere in a line, inside tokens too (`NullPointerException` in
-- `java.lang.NullPointerException`), case-insensitively: a trigram index serves ILIKE '%…%' and ~*.
-- pg_trgm ships with Postgres (contrib) and is a trusted extension; where it is missing the search
-- reads the time range sequentially instead (the app checks for the index).
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN others THEN
  RAISE NOTICE 'pg_trgm is not available (%): log search will read the time range sequentially', SQLERRM;
END
$$;

-- On the partitioned table: Postgres builds it on every existing day partition and on every new one.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    EXECUTE 'CREATE INDEX IF NOT EXISTS "log_events_message_trgm_idx" ON "log_events" USING GIN ("message" gin_trgm_ops)';
  END IF;
END
$$;

-- The full-text index found whole tokens only; the trigram index replaces it.
DROP INDEX IF EXISTS "log_events_message_fts_idx";

-- `level = ERROR` reads the level column the ingest fills, newest first.
CREATE INDEX "log_events_level_ts_idx" ON "log_events" ("level", "ts");

-- Saved log searches, shared with the team.
CREATE TABLE "saved_searches" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "q" TEXT NOT NULL,
    "range" TEXT,
    "resource" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "saved_searches_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "saved_searches_created_at_idx" ON "saved_searches"("created_at");
