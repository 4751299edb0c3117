-- The whole stack of one occurrence of an error group: the one its top_frame came from, else the first with a stack.
ALTER TABLE "error_groups" ADD COLUMN "sample_stack" TEXT;

-- X-Ray spans keep their kind (segment, subsegment, inferred; null for rows stored before kinds were kept)
-- and the parent id a document names when that parent is not in the trace (a caller outside it).
ALTER TABLE "spans" ADD COLUMN "kind" TEXT;
ALTER TABLE "spans" ADD COLUMN "external_parent_id" TEXT;

-- Where a function's trace reading stands, page by page: the summary window in progress and the page
-- to read next in it (X-Ray's NextToken; null = the window's first page). direction 'forward' follows
-- new traces; 'backfill' walks back, most recent window first, down to floor (the first read's lookback).
CREATE TABLE "trace_scans" (
    "account_id" INTEGER NOT NULL,
    "region" TEXT NOT NULL,
    "function_name" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "window_from" TIMESTAMPTZ(3) NOT NULL,
    "window_to" TIMESTAMPTZ(3) NOT NULL,
    "next_token" TEXT,
    "floor" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trace_scans_pkey" PRIMARY KEY ("account_id","region","function_name","direction")
);
ALTER TABLE "trace_scans" ADD CONSTRAINT "trace_scans_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
