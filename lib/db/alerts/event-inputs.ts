import type pg from "pg";
import type { GroupOnResource } from "@/lib/analysis/alerts/conditions";

type Db = Pick<pg.Pool, "query">;

/**
 * Inputs of the event conditions (lib/analysis/alerts/conditions.ts), each for every resource of every
 * such policy in one query, over the longest window (`from`..`now`); the evaluator cuts each policy's window.
 */

/** Error groups that occurred on the resources in [from, now], with their state and whether they occurred on the resource before. */
export async function readErrorGroupsOnResources(db: Db, ids: readonly number[], from: number, now: number): Promise<Map<number, GroupOnResource[]>> {
  const out = new Map<number, GroupOnResource[]>();
  if (!ids.length) return out;
  const { rows } = await db.query<{ resource_id: number; group_id: number; state: GroupOnResource["state"]; resolved_at: Date | null; first_in: Date; last_in: Date; seen_before: boolean }>(
    `SELECT o.resource_id, o.group_id, g.state::text AS state, g.resolved_at, min(o.ts) AS first_in, max(o.ts) AS last_in,
            EXISTS (SELECT 1 FROM error_occurrences e WHERE e.group_id = o.group_id AND e.resource_id = o.resource_id AND e.ts < $2) AS seen_before
       FROM error_occurrences o JOIN error_groups g ON g.id = o.group_id
      WHERE o.resource_id = ANY($1::int[]) AND o.ts >= $2 AND o.ts <= $3
      GROUP BY o.resource_id, o.group_id, g.state, g.resolved_at`,
    [ids, new Date(from), new Date(now)],
  );
  for (const r of rows) {
    const list = out.get(r.resource_id) ?? [];
    list.push({ groupId: r.group_id, state: r.state, resolvedAt: r.resolved_at?.getTime() ?? null, firstIn: r.first_in.getTime(), lastIn: r.last_in.getTime(), seenBefore: r.seen_before });
    out.set(r.resource_id, list);
  }
  return out;
}

/** Insights still open that were opened (first seen, or reopened) in [from, now], per resource. */
export async function readOpenedInsights(db: Db, ids: readonly number[], from: number, now: number): Promise<Map<number, { severity: string; firstSeenAt: number }[]>> {
  const out = new Map<number, { severity: string; firstSeenAt: number }[]>();
  if (!ids.length) return out;
  const { rows } = await db.query<{ resource_id: number; severity: string; first_seen_at: Date }>(
    `SELECT resource_id, severity, first_seen_at FROM insights
      WHERE state = 'open' AND resource_id = ANY($1::int[]) AND first_seen_at >= $2 AND first_seen_at <= $3`,
    [ids, new Date(from), new Date(now)],
  );
  for (const r of rows) {
    const list = out.get(r.resource_id) ?? [];
    list.push({ severity: r.severity, firstSeenAt: r.first_seen_at.getTime() });
    out.set(r.resource_id, list);
  }
  return out;
}

/**
 * The last minute with invocations of each function, from the minute rollups, else the hour rollups
 * (when the minute rows have aged out); absent: it never ran (as far as the rollups know).
 */
export async function readLastInvocation(db: Db, ids: readonly number[], now: number): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (!ids.length) return out;
  const { rows } = await db.query<{ id: number; last_minute: Date | null; last_hour: Date | null }>(
    `SELECT x.id,
            (SELECT max(bucket_start) FROM rollup_minute m WHERE m.resource_id = x.id AND m.invocations > 0 AND m.bucket_start <= $2) AS last_minute,
            (SELECT max(bucket_start) FROM rollup_hour h WHERE h.resource_id = x.id AND h.invocations > 0 AND h.bucket_start <= $2) AS last_hour
       FROM unnest($1::int[]) AS x(id)`,
    [ids, new Date(now)],
  );
  for (const r of rows) {
    const last = r.last_minute ?? r.last_hour;
    if (last) out.set(r.id, last.getTime());
  }
  return out;
}

export interface AccountRegionFreshness {
  accountId: number;
  accountName: string;
  region: string;
  accountCreatedAt: number;
  /** The newest finish of an ingest run with status ok (any job), as the ingest health shows it. */
  lastSuccessAt: number | null;
}

/** Every account and region Osprey ingests (accounts.regions) with its newest successful ingest run. */
export async function readIngestFreshness(db: Db, now: number): Promise<AccountRegionFreshness[]> {
  const { rows } = await db.query<{ id: number; name: string; region: string; created_at: Date; last_success_at: Date | null }>(
    `SELECT a.id, a.name, rg AS region, a.created_at,
            (SELECT max(r.finished_at) FROM ingest_runs r WHERE r.account_id = a.id AND r.region = rg AND r.status = 'ok' AND r.finished_at <= $1) AS last_success_at
       FROM accounts a CROSS JOIN unnest(a.regions) AS rg ORDER BY a.id, rg`,
    [new Date(now)],
  );
  return rows.map((r) => ({ accountId: r.id, accountName: r.name, region: r.region, accountCreatedAt: r.created_at.getTime(), lastSuccessAt: r.last_success_at?.getTime() ?? null }));
}
