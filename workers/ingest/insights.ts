import type pg from "pg";
import { evaluateInsights } from "../../lib/analysis/insights";
import { loadInsightContext } from "../../lib/db/insight-inputs";
import { storeFindings } from "../../lib/db/insights";
import { recordReviewSnapshot } from "../../lib/db/review";

/** Evaluates every insight rule for an account and region, stores the outcome and the day's review scores. */
export async function evaluateAccountInsights(db: pg.Pool, accountId: number, region: string, now = Date.now()) {
  const { context, arnToId } = await loadInsightContext(db, accountId, region, now);
  const findings = evaluateInsights(context);
  const counts = await storeFindings(db, { accountId, region }, findings, arnToId, new Date(now));
  await recordReviewSnapshot(db, accountId, region, new Date(now));
  return { counts: { findings: findings.length, ...counts } };
}
