import type pg from "pg";
import { diffConfig } from "../ingest/discovery/config-diff";

import type { ResourceKind } from "../resource-kinds";

export type { ResourceKind };

export interface ResourceSnapshot {
  kind: ResourceKind;
  arn: string;
  name: string;
  config: Record<string, unknown>;
  tags: Record<string, string>;
}

export interface SyncCounts {
  created: number;
  changed: number;
  deleted: number;
  seen: number;
}

/**
 * Records what discovery saw in one account and region for the given kinds: new resources,
 * configuration changes (kept as versions with their time), and resources gone from AWS
 * (marked deleted, never erased). One transaction, so a crash leaves the previous state.
 */
export async function syncResources(
  db: pg.Pool,
  accountId: number,
  region: string,
  kinds: ResourceKind[],
  seen: ResourceSnapshot[],
  now = new Date(),
): Promise<SyncCounts> {
  const client = await db.connect();
  const counts: SyncCounts = { created: 0, changed: 0, deleted: 0, seen: seen.length };
  try {
    await client.query("BEGIN");
    const { rows: existing } = await client.query<{ id: number; arn: string; config: Record<string, unknown>; deleted_at: Date | null }>(
      "SELECT id, arn, config, deleted_at FROM resources WHERE account_id = $1 AND region = $2 AND kind = ANY($3::\"ResourceKind\"[]) FOR UPDATE",
      [accountId, region, kinds],
    );
    const byArn = new Map(existing.map((r) => [r.arn, r]));
    for (const r of seen) {
      const prev = byArn.get(r.arn);
      if (!prev) {
        const { rows } = await client.query<{ id: number }>(
          `INSERT INTO resources (account_id, region, kind, arn, name, config, tags, first_seen_at, last_seen_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
           ON CONFLICT (arn) DO UPDATE SET account_id = EXCLUDED.account_id, region = EXCLUDED.region, name = EXCLUDED.name,
             config = EXCLUDED.config, tags = EXCLUDED.tags, last_seen_at = EXCLUDED.last_seen_at, deleted_at = NULL
           RETURNING id`,
          [accountId, region, r.kind, r.arn, r.name, JSON.stringify(r.config), JSON.stringify(r.tags), now],
        );
        await client.query("INSERT INTO resource_config_versions (resource_id, seen_at, config, changes) VALUES ($1, $2, $3, '[]')", [
          rows[0].id,
          now,
          JSON.stringify(r.config),
        ]);
        counts.created++;
        continue;
      }
      const changes = diffConfig(prev.config, r.config);
      await client.query(
        "UPDATE resources SET name = $2, config = $3, tags = $4, last_seen_at = $5, deleted_at = NULL WHERE id = $1",
        [prev.id, r.name, JSON.stringify(r.config), JSON.stringify(r.tags), now],
      );
      if (changes.length) {
        await client.query("INSERT INTO resource_config_versions (resource_id, seen_at, config, changes) VALUES ($1, $2, $3, $4)", [
          prev.id,
          now,
          JSON.stringify(r.config),
          JSON.stringify(changes),
        ]);
        counts.changed++;
      }
    }
    const seenArns = new Set(seen.map((r) => r.arn));
    const gone = existing.filter((r) => !seenArns.has(r.arn) && !r.deleted_at).map((r) => r.id);
    if (gone.length) {
      await client.query("UPDATE resources SET deleted_at = $2 WHERE id = ANY($1::int[])", [gone, now]);
      counts.deleted = gone.length;
    }
    await client.query("COMMIT");
    return counts;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

export interface LambdaTarget {
  id: number;
  name: string;
  logGroup: string;
  memorySizeMB: number;
  architecture: "x86_64" | "arm64";
  tracingMode: string;
}

/** The live Lambda functions of an account and region, with what log ingestion needs. */
export async function listLambdaTargets(db: pg.Pool, accountId: number, region: string): Promise<LambdaTarget[]> {
  const { rows } = await db.query<{ id: number; name: string; config: Record<string, unknown> }>(
    "SELECT id, name, config FROM resources WHERE account_id = $1 AND region = $2 AND kind = 'lambda' AND deleted_at IS NULL ORDER BY id",
    [accountId, region],
  );
  return rows.map(toLambdaTarget);
}

/** A function's row (id, name, config) as the log and trace readers use it. */
export function toLambdaTarget(r: { id: number; name: string; config: Record<string, unknown> }): LambdaTarget {
  return {
    id: r.id,
    name: r.name,
    logGroup: String(r.config.logGroup ?? `/aws/lambda/${r.name}`),
    memorySizeMB: Number(r.config.memorySizeMB ?? 128),
    architecture: r.config.architecture === "arm64" ? "arm64" : "x86_64",
    tracingMode: String(r.config.tracingMode ?? "PassThrough"),
  };
}
