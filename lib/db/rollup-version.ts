import type pg from "pg";

/**
 * Marks the rollups of a resource's account and region as changed, in the caller's transaction:
 * summaries computed before it are no longer exact (lib/db/queries/stats-summary.ts). The row lock
 * it takes is held to the commit, so it comes last in a batch.
 */
export async function bumpRollupVersion(client: pg.PoolClient, resourceId: number): Promise<void> {
  await bumpRollupVersions(client, [resourceId]);
}

/**
 * bumpRollupVersion for several resources in one statement: each account and region once, in one
 * order, so two transactions bumping overlapping rows wait for each other rather than deadlock.
 */
export async function bumpRollupVersions(client: pg.PoolClient, resourceIds: number[]): Promise<void> {
  if (!resourceIds.length) return;
  await client.query(
    `INSERT INTO rollup_versions (account_id, region, version)
     SELECT DISTINCT account_id, region, 1 FROM resources WHERE id = ANY($1::int[]) ORDER BY account_id, region
     ON CONFLICT (account_id, region) DO UPDATE SET version = rollup_versions.version + 1`,
    [resourceIds],
  );
}
