import type pg from "pg";
import { evaluateInsights } from "../../lib/analysis/insights";
import { loadInsightContext } from "../../lib/db/insight-inputs";
import { storeFindings } from "../../lib/db/insights";

/** Evaluates every insight rule for an account and region and stores the outcome. */
export async function evaluateAccountInsights(db: pg.Pool, accountId: number, region: string, now = Date.now()) {
  const { context, arnToId } = await loadInsightContext(db, accountId, region, now);
  const findings = evaluateInsights(context);
  const counts = await storeFindings(db, { accountId, region }, findings, arnToId, new Date(now));
  return { counts: { findings: findings.length, ...counts } };
}
