import type pg from "pg";
import { reconcileFindings, type Finding, type StoredInsight } from "../analysis/insights";

export interface InsightWriteCounts {
  opened: number;
  updated: number;
  resolved: number;
}

/**
 * Stores one evaluation of an account and region: new findings open, standing ones refresh
 * their evidence (keeping acknowledged and muted states), cleared ones resolve by themselves.
 */
export async function storeFindings(
  db: pg.Pool,
  scope: { accountId: number; region: string },
  findings: Finding[],
  arnToId: Map<string, number>,
  now = new Date(),
): Promise<InsightWriteCounts> {
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(7262, $1)", [scope.accountId]);
    const { rows } = await client.query<{ rule_id: string; resource_arn: string; state: StoredInsight["state"]; first_seen_at: Date }>(
      "SELECT rule_id, resource_arn, state, first_seen_at FROM insights WHERE account_id = $1 AND region = $2",
      [scope.accountId, scope.region],
    );
    const previous: StoredInsight[] = rows.map((r) => ({ ruleId: r.rule_id, resourceArn: r.resource_arn, state: r.state, firstSeenAt: r.first_seen_at }));
    const plan = reconcileFindings(previous, findings, now);
    const upsert = async (f: Finding, state: string, firstSeen: Date, lastSeen: Date) => {
      await client.query(
        `INSERT INTO insights (rule_id, resource_id, account_id, region, resource_arn, service, severity, pillar, title, evidence, recommendation,
            monthly_saving_usd, state, first_seen_at, last_seen_at, resolved_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, NULL)
         ON CONFLICT (rule_id, resource_id) DO UPDATE SET severity = EXCLUDED.severity, pillar = EXCLUDED.pillar, title = EXCLUDED.title,
            evidence = EXCLUDED.evidence, recommendation = EXCLUDED.recommendation, monthly_saving_usd = EXCLUDED.monthly_saving_usd,
            state = EXCLUDED.state, first_seen_at = EXCLUDED.first_seen_at, last_seen_at = EXCLUDED.last_seen_at, resolved_at = NULL,
            account_id = EXCLUDED.account_id, region = EXCLUDED.region, resource_arn = EXCLUDED.resource_arn, service = EXCLUDED.service`,
        [
          f.ruleId,
          arnToId.get(f.resourceArn) ?? null,
          scope.accountId,
          scope.region,
          f.resourceArn,
          f.service,
          f.severity,
          f.pillar,
          f.title,
          JSON.stringify(f.evidence),
          f.recommendation,
          f.monthlySavingUsd,
          state,
          firstSeen,
          lastSeen,
        ],
      );
    };
    for (const i of plan.insert) await upsert(i.finding, i.state, i.firstSeenAt, i.lastSeenAt);
    for (const u of plan.update) await upsert(u.finding, u.state, u.firstSeenAt, u.lastSeenAt);
    for (const r of plan.resolve) {
      await client.query(
        "UPDATE insights SET state = 'resolved', resolved_at = $4 WHERE account_id = $1 AND region = $2 AND rule_id = $3 AND resource_arn = $5",
        [scope.accountId, scope.region, r.ruleId, r.resolvedAt, r.resourceArn],
      );
    }
    await client.query("COMMIT");
    return { opened: plan.insert.length + plan.update.filter((u) => u.reopened).length, updated: plan.update.length, resolved: plan.resolve.length };
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
