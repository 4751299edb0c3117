import type pg from "pg";
import { groupStackSamples, type StackedError } from "../ingest/stack/group-sample";

/**
 * Gives error groups their top frame and sample stack from this batch's occurrences: the first
 * occurrence with a stack sets them, a later one only fills what is still missing (a stack with a
 * frame of the user's code replaces one without). Re-reading a batch changes nothing.
 */
export async function fillGroupStacks(db: Pick<pg.PoolClient, "query">, groupOf: Map<string, number>, errors: readonly StackedError[]): Promise<void> {
  const samples = groupStackSamples(errors).filter((s) => groupOf.has(s.fingerprint));
  if (!samples.length) return;
  await db.query(
    `UPDATE error_groups g
        SET top_frame = coalesce(g.top_frame, u.frame),
            sample_stack = CASE WHEN g.top_frame IS NULL AND u.frame IS NOT NULL THEN u.stack ELSE coalesce(g.sample_stack, u.stack) END
       FROM unnest($1::int[], $2::text[], $3::text[]) AS u(id, frame, stack)
      WHERE g.id = u.id AND (g.top_frame IS NULL OR g.sample_stack IS NULL)`,
    [samples.map((s) => groupOf.get(s.fingerprint)!), samples.map((s) => s.topFrame), samples.map((s) => s.stack)],
  );
}
