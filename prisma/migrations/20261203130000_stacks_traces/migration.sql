-- The whole stack of one occurrence of an error group: the one its top_frame came from, else the first with a stack.
ALTER TABLE "error_groups" ADD COLUMN "sample_stack" TEXT;

-- X-Ray spans keep their kind (segment, subsegment, inferred; null for rows stored before kinds were kept)
-- and the parent id a document names when that parent is not in the trace (a caller outside it).
ALTER TABLE "spans" ADD COLUMN "kind" TEXT;
ALTER TABLE "spans" ADD COLUMN "external_parent_id" TEXT;
