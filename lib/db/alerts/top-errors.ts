import type pg from "pg";
import { topFrameOf } from "@/lib/ingest/stack/top-frame";

export interface TopErrorWant {
  resourceId: number;
  from: number;
  to: number;
}

export interface TopError {
  groupId: number;
  errorType: string;
  /** the resource's own latest message of the group in the window: a group spans functions (a timeout's seconds differ) */
  message: string;
  topFrame: string | null;
  /** occurrences of the group on the resource in the window */
  count: number;
}

const key = (w: TopErrorWant) => `${w.resourceId}:${w.from}:${w.to}`;

/**
 * The most frequent error group of each resource in its window (ties: the group seen first), for all
 * the notices of one evaluation in ONE query; keyed by `resourceId:from:to`. The message is the
 * resource's latest in the window, not the group's sample, which may come from another function. The
 * top frame is the group's, else the one of its sample stack. Notices and the incident's evidence both
 * read it here, so they name the same group.
 */
export async function readTopErrors(db: Pick<pg.Pool, "query">, wants: readonly TopErrorWant[]): Promise<Map<string, TopError>> {
  const unique = [...new Map(wants.map((w) => [key(w), w])).values()];
  const out = new Map<string, TopError>();
  if (!unique.length) return out;
  const { rows } = await db.query<{ i: string; id: number; error_type: string; message: string; top_frame: string | null; sample_stack: string | null; n: number }>(
    `SELECT t.i, g.id, g.error_type, coalesce(last.error_message, g.message) AS message, g.top_frame, g.sample_stack, x.n
       FROM unnest($1::int[], $2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS t(r, f, e, i)
       CROSS JOIN LATERAL (
         SELECT o.group_id, count(*)::int AS n FROM error_occurrences o
          WHERE o.resource_id = t.r AND o.ts >= t.f AND o.ts <= t.e
          GROUP BY o.group_id ORDER BY n DESC, o.group_id LIMIT 1) x
       JOIN error_groups g ON g.id = x.group_id
       LEFT JOIN LATERAL (
         SELECT o.error_message FROM error_occurrences o
          WHERE o.resource_id = t.r AND o.group_id = x.group_id AND o.ts >= t.f AND o.ts <= t.e AND o.error_message <> ''
          ORDER BY o.ts DESC LIMIT 1) last ON true`,
    [unique.map((w) => w.resourceId), unique.map((w) => new Date(w.from)), unique.map((w) => new Date(w.to))],
  );
  for (const r of rows) {
    const topFrame = r.top_frame ?? (r.sample_stack ? topFrameOf(r.sample_stack.split("\n")) : null);
    out.set(key(unique[Number(r.i) - 1]), { groupId: r.id, errorType: r.error_type, message: r.message, topFrame, count: r.n });
  }
  return out;
}

export const topErrorKey = key;
