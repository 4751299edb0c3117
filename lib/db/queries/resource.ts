import type pg from "pg";
import type { ResourceDetail } from "@/lib/api/schemas/resource";
import { failedExecutionsOf } from "@/lib/db/failed-executions";

/** One resource with its configuration history; null when the id is unknown. */
export async function getResource(db: pg.Pool, id: number): Promise<ResourceDetail | null> {
  const { rows } = await db.query(
    `SELECT r.id, r.name, r.kind::text AS kind, r.arn, r.region, r.account_id, a.name AS account, r.config, r.tags,
            r.first_seen_at, r.last_seen_at, r.deleted_at,
            coalesce((SELECT json_agg(v ORDER BY v.seen_at DESC, v.id DESC) FROM (
              SELECT id, seen_at, changes, config FROM resource_config_versions WHERE resource_id = r.id ORDER BY seen_at DESC, id DESC LIMIT 100) v), '[]') AS versions
       FROM resources r JOIN accounts a ON a.id = r.account_id WHERE r.id = $1`,
    [id],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    arn: r.arn,
    region: r.region,
    accountId: r.account_id,
    account: r.account,
    config: r.config,
    tags: r.tags,
    firstSeenAt: r.first_seen_at.toISOString(),
    lastSeenAt: r.last_seen_at.toISOString(),
    deletedAt: r.deleted_at ? r.deleted_at.toISOString() : null,
    deleted: r.deleted_at !== null,
    versions: (r.versions as { id: number; seen_at: string; changes: ResourceDetail["versions"][number]["changes"]; config: Record<string, unknown> }[]).map((v) => ({
      id: v.id,
      seenAt: new Date(v.seen_at).toISOString(),
      changes: v.changes,
      config: v.config,
    })),
    ...(r.kind === "stepfunctions" ? { failedExecutions: await failedExecutionsOf(db, r.id) } : {}),
  };
}

/** Resource identity for the nested routes; null when the id is unknown. */
export async function getResourceRef(db: pg.Pool, id: number): Promise<{ id: number; name: string; region: string; kind: string; config: Record<string, unknown> } | null> {
  const { rows } = await db.query("SELECT id, name, region, kind::text AS kind, config FROM resources WHERE id = $1", [id]);
  return rows[0] ?? null;
}
