import type pg from "pg";
import type { IngestWarningInput } from "../aws/call-failure";
import { toStorable } from "../ingest/text/storable";

/**
 * Records what one pass saw for the features it covered in an account and region: each failed call
 * is kept (first seen, last seen, how many passes), and every other warning of those features is
 * cleared, because its call succeeded this time.
 */
export async function recordIngestWarnings(
  db: Pick<pg.Pool, "query">,
  scope: { accountId: number; region: string },
  features: readonly string[],
  warnings: readonly IngestWarningInput[],
  now = new Date(),
): Promise<void> {
  const byKey = new Map<string, IngestWarningInput>();
  for (const w of toStorable(warnings)) if (features.includes(w.feature)) byKey.set(`${w.feature}\u0001${w.resource}`, w);
  const rows = [...byKey.values()];
  await db.query(
    `DELETE FROM ingest_warnings w
      WHERE w.account_id = $1 AND w.region = $2 AND w.feature = ANY($3::text[])
        AND NOT EXISTS (SELECT 1 FROM unnest($4::text[], $5::text[]) AS k(f, r) WHERE k.f = w.feature AND k.r = w.resource)`,
    [scope.accountId, scope.region, features, rows.map((w) => w.feature), rows.map((w) => w.resource)],
  );
  if (!rows.length) return;
  await db.query(
    `INSERT INTO ingest_warnings (account_id, region, feature, resource, action, denied, message, first_seen_at, last_seen_at, count)
     SELECT $1, $2, f, r, a, d, m, $8, $8, 1 FROM unnest($3::text[], $4::text[], $5::text[], $6::bool[], $7::text[]) AS u(f, r, a, d, m)
     ON CONFLICT (account_id, region, feature, resource) DO UPDATE SET
       action = EXCLUDED.action, denied = EXCLUDED.denied, message = EXCLUDED.message,
       last_seen_at = EXCLUDED.last_seen_at, count = ingest_warnings.count + 1`,
    [
      scope.accountId,
      scope.region,
      rows.map((w) => w.feature),
      rows.map((w) => w.resource),
      rows.map((w) => w.action),
      rows.map((w) => w.denied),
      rows.map((w) => w.message),
      now,
    ],
  );
}
