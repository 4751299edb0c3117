import type pg from "pg";
import { REVIEW_DATA_WINDOW_HOURS, pillarScores, reviewChecks, scoreOf, type DataCoverage, type FailedCall, type ReviewCheck, type ReviewFinding, type ReviewInput } from "../analysis/insights/review";
import type { InsightService, Pillar, Severity } from "../analysis/insights";

type Db = Pick<pg.Pool, "query">;

export interface ReviewScope {
  account?: number[];
  region?: string[];
}

/**
 * What the review judges, from SQL: resources per service, which of them hold metrics, logs and traces in the
 * review window, findings that stand (open, acknowledged or muted: a muted finding is still true, only its
 * alerts are off) and the calls ingest health recorded failing.
 */
export async function loadReviewInput(db: Db, scope: ReviewScope, now = new Date()): Promise<ReviewInput> {
  const params = [scope.account ?? null, scope.region ?? null];
  // One probe per resource and kind of data, each an index lookup: metric_points by its (resource_id, ...) key,
  // rollups (invocations parsed from logs) by theirs, log events by (resource_id, ts), spans by (resource_id, ...).
  const { rows: coverage } = await db.query<DataCoverage>(
    `SELECT kind AS service, metrics, logs, traces, count(*)::int AS resources FROM (
       SELECT r.kind,
              EXISTS (SELECT 1 FROM metric_points m WHERE m.resource_id = r.id AND m.ts >= $3 AND m.ts <= $4) AS metrics,
              (EXISTS (SELECT 1 FROM rollup_minute u WHERE u.resource_id = r.id AND u.bucket_start >= $3 AND u.bucket_start <= $4)
                OR EXISTS (SELECT 1 FROM log_events l WHERE l.resource_id = r.id AND l.ts >= $3 AND l.ts <= $4)) AS logs,
              EXISTS (SELECT 1 FROM spans s WHERE s.resource_id = r.id AND s.start_time >= $3 AND s.start_time <= $4) AS traces
         FROM resources r
        WHERE r.deleted_at IS NULL AND ($1::int[] IS NULL OR r.account_id = ANY($1)) AND ($2::text[] IS NULL OR r.region = ANY($2))) d
      GROUP BY kind, metrics, logs, traces`,
    [...params, new Date(now.getTime() - REVIEW_DATA_WINDOW_HOURS * 3_600_000), now],
  );
  const { rows: counts } = await db.query<{ kind: InsightService; n: number }>(
    `SELECT kind, count(*)::int AS n FROM resources
      WHERE deleted_at IS NULL AND ($1::int[] IS NULL OR account_id = ANY($1)) AND ($2::text[] IS NULL OR region = ANY($2)) GROUP BY kind`,
    params,
  );
  const { rows: findings } = await db.query<{ rule_id: string; resource_arn: string; name: string | null; severity: Severity; evidence: ReviewFinding["evidence"]; recommendation: string }>(
    `SELECT i.rule_id, i.resource_arn, r.name, i.severity, i.evidence, i.recommendation FROM insights i LEFT JOIN resources r ON r.id = i.resource_id
      WHERE i.state <> 'resolved' AND ($1::int[] IS NULL OR i.account_id = ANY($1)) AND ($2::text[] IS NULL OR i.region = ANY($2))
      ORDER BY i.rule_id, i.resource_arn`,
    params,
  );
  const { rows: failed } = await db.query<FailedCall>(
    `SELECT action, resource, denied, message FROM ingest_warnings
      WHERE action IS NOT NULL AND ($1::int[] IS NULL OR account_id = ANY($1)) AND ($2::text[] IS NULL OR region = ANY($2))
      ORDER BY action, resource`,
    params,
  );
  return {
    resourceCounts: Object.fromEntries(counts.map((c) => [c.kind, c.n])),
    dataCoverage: coverage,
    findings: findings.map((f) => ({
      ruleId: f.rule_id,
      resourceArn: f.resource_arn,
      resourceName: f.name ?? f.resource_arn.split(/[:/]/).pop() ?? f.resource_arn,
      severity: f.severity,
      evidence: f.evidence,
      recommendation: f.recommendation,
    })),
    failedCalls: failed,
  };
}

/** Keeps today's pillar scores of one account and region (the day's last run replaces earlier ones). */
export async function recordReviewSnapshot(db: Db, accountId: number, region: string, now = new Date()): Promise<void> {
  const scores = pillarScores(reviewChecks(await loadReviewInput(db, { account: [accountId], region: [region] }, now)));
  await db.query(
    `INSERT INTO review_snapshots (account_id, region, day, pillar, passed, failed, not_checked, taken_at)
     SELECT $1, $2, $3::date, p, a, b, c, $4 FROM unnest($5::text[], $6::int[], $7::int[], $8::int[]) AS u(p, a, b, c)
     ON CONFLICT (account_id, region, day, pillar) DO UPDATE SET passed = EXCLUDED.passed, failed = EXCLUDED.failed,
       not_checked = EXCLUDED.not_checked, taken_at = EXCLUDED.taken_at`,
    [accountId, region, now.toISOString().slice(0, 10), now, scores.map((s) => s.pillar), scores.map((s) => s.passed), scores.map((s) => s.failed), scores.map((s) => s.notChecked)],
  );
}

export interface ScorePoint {
  day: string;
  score: number | null;
}

/** Per pillar, the score of each day with a snapshot: passed over run checks summed over the scope's accounts and regions. */
export async function reviewHistory(db: Db, scope: ReviewScope, days: number, now = new Date()): Promise<Record<Pillar, ScorePoint[]>> {
  const { rows } = await db.query<{ day: string; pillar: Pillar; passed: number; failed: number }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, pillar, sum(passed)::int AS passed, sum(failed)::int AS failed FROM review_snapshots
      WHERE day > $3::date - $4::int AND ($1::int[] IS NULL OR account_id = ANY($1)) AND ($2::text[] IS NULL OR region = ANY($2))
      GROUP BY day, pillar ORDER BY day`,
    [scope.account ?? null, scope.region ?? null, now.toISOString().slice(0, 10), days],
  );
  const out = { security: [], operational_excellence: [], reliability: [], performance: [], cost: [] } as Record<Pillar, ScorePoint[]>;
  for (const r of rows) out[r.pillar]?.push({ day: r.day, score: scoreOf(r.passed, r.failed) });
  return out;
}

export async function getReviewChecks(db: Db, scope: ReviewScope, now = new Date()): Promise<ReviewCheck[]> {
  return reviewChecks(await loadReviewInput(db, scope, now));
}
