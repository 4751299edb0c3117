import type pg from "pg";
import type { InsightsQuery, InsightView } from "../api/schemas/insights";

// Where a finding's evidence is seen: the function page with its invocation table filtered to the
// problem (the page's own URL filters), or the function's charts.
const EVIDENCE_FILTER: Record<string, string> = {
  "lambda-timeouts": "?timeouts=1",
  "lambda-out-of-memory": "?oom=1",
  "lambda-error-rate": "?errors=1",
  "lambda-cold-start-rate": "?cold=1",
  "lambda-new-error-type": "?errors=1",
};

function evidenceUrl(service: string, ruleId: string, resourceId: number | null): string | null {
  if (resourceId === null) return null;
  return `/functions/${resourceId}${service === "lambda" ? (EVIDENCE_FILTER[ruleId] ?? "") : ""}`;
}

/** The filters other than state, as SQL conditions over `i` with their arguments. */
function scopeOf(q: InsightsQuery, args: unknown[]): string[] {
  const arg = (v: unknown) => {
    args.push(v);
    return `$${args.length}`;
  };
  const where: string[] = [];
  if (q.severity) where.push(`i.severity = ANY(${arg(q.severity)}::text[])`);
  if (q.pillar) where.push(`i.pillar = ANY(${arg(q.pillar)}::text[])`);
  if (q.service) where.push(`i.service = ANY(${arg(q.service)}::text[])`);
  if (q.account?.length) where.push(`i.account_id = ANY(${arg(q.account)}::int[])`);
  if (q.region?.length) where.push(`i.region = ANY(${arg(q.region)}::text[])`);
  if (q.resource) where.push(`i.resource_id = ${arg(q.resource)}`);
  if (q.rule) where.push(`i.rule_id = ${arg(q.rule)}`);
  return where;
}

export async function listInsights(db: Pick<pg.Pool, "query">, q: InsightsQuery): Promise<{ data: InsightView[]; counts: Record<"critical" | "warning" | "info" | "muted", number> }> {
  const args: unknown[] = [q.state ?? ["open", "acknowledged"], q.limit];
  const where = ["i.state::text = ANY($1::text[])", ...scopeOf(q, args)];
  const { rows } = await db.query(
    `SELECT i.id, i.rule_id, i.title, i.service, i.severity, i.pillar, i.state::text AS state, i.resource_id, r.name AS resource_name,
            i.resource_arn, i.account_id, i.region, i.evidence, i.recommendation, i.monthly_saving_usd,
            i.first_seen_at, i.last_seen_at, i.resolved_at
       FROM insights i LEFT JOIN resources r ON r.id = i.resource_id
      WHERE ${where.join(" AND ")}
      ORDER BY CASE i.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, i.last_seen_at DESC, i.id
      LIMIT $2`,
    args,
  );
  const countArgs: unknown[] = [];
  const scope = scopeOf(q, countArgs);
  const { rows: c } = await db.query(
    `SELECT count(*) FILTER (WHERE state IN ('open', 'acknowledged') AND severity = 'critical')::int AS critical,
            count(*) FILTER (WHERE state IN ('open', 'acknowledged') AND severity = 'warning')::int AS warning,
            count(*) FILTER (WHERE state IN ('open', 'acknowledged') AND severity = 'info')::int AS info,
            count(*) FILTER (WHERE state = 'muted')::int AS muted
       FROM insights i ${scope.length ? `WHERE ${scope.join(" AND ")}` : ""}`,
    countArgs,
  );
  return {
    data: rows.map((r) => ({
      id: r.id,
      ruleId: r.rule_id,
      title: r.title,
      service: r.service,
      severity: r.severity,
      pillar: r.pillar,
      state: r.state,
      resourceId: r.resource_id,
      resourceName: r.resource_name,
      resourceArn: r.resource_arn,
      accountId: r.account_id,
      region: r.region,
      evidence: r.evidence,
      recommendation: r.recommendation,
      monthlySavingUsd: r.monthly_saving_usd,
      firstSeenAt: r.first_seen_at.toISOString(),
      lastSeenAt: r.last_seen_at.toISOString(),
      resolvedAt: r.resolved_at?.toISOString() ?? null,
      evidenceUrl: evidenceUrl(r.service, r.rule_id, r.resource_id),
    })),
    counts: c[0],
  };
}

export async function setInsightState(db: Pick<pg.Pool, "query">, id: number, state: "open" | "acknowledged" | "muted"): Promise<boolean> {
  const res = await db.query("UPDATE insights SET state = $2 WHERE id = $1 AND state <> 'resolved'", [id, state]);
  return (res.rowCount ?? 0) > 0;
}

export async function listThresholdOverrides(db: Pick<pg.Pool, "query">): Promise<Record<string, Record<string, number>>> {
  const { rows } = await db.query<{ rule_id: string; name: string; value: number }>("SELECT rule_id, name, value FROM insight_thresholds");
  const out: Record<string, Record<string, number>> = {};
  for (const r of rows) (out[r.rule_id] ??= {})[r.name] = r.value;
  return out;
}

export async function saveThresholds(db: Pick<pg.Pool, "query">, ruleId: string, thresholds: Record<string, number>): Promise<void> {
  await db.query("DELETE FROM insight_thresholds WHERE rule_id = $1", [ruleId]);
  for (const [name, value] of Object.entries(thresholds)) {
    await db.query("INSERT INTO insight_thresholds (rule_id, name, value) VALUES ($1, $2, $3)", [ruleId, name, value]);
  }
}
