import type pg from "pg";

export interface QuotaKey {
  accountId: number;
  region: string;
  /** the API, e.g. "FilterLogEvents" */
  api: string;
}

export interface QuotaRate {
  perSecond: number;
  /** calls that may go at once after a quiet spell; default 1 */
  burst?: number;
}

type Queryable = Pick<pg.Pool, "query">;

/**
 * Takes one call from the account and region's bucket for this API, shared by every worker process
 * through Postgres, and counts the call in its hour. One atomic statement: the bucket refills by the
 * time since its last use (the database's clock, the same for every process) and gives a token even
 * when empty, going below zero; the caller then waits until its token exists. Calls therefore go out
 * in the order they asked, never faster than the rate together.
 * Returns how long to wait (ms) before making the call.
 */
export async function reserveCall(db: Queryable, key: QuotaKey, rate: QuotaRate, units = 1): Promise<number> {
  const burst = rate.burst ?? 1;
  const { rows } = await db.query<{ tokens: number }>(
    `WITH b AS (
       INSERT INTO api_quota_buckets AS q (account_id, region, api, tokens, updated_at)
       VALUES ($1, $2, $3, $4::float8 - 1, clock_timestamp())
       ON CONFLICT (account_id, region, api) DO UPDATE
         SET tokens = least($4::float8, q.tokens + $5::float8 * extract(epoch FROM EXCLUDED.updated_at - q.updated_at)::float8) - 1,
             updated_at = EXCLUDED.updated_at
       RETURNING tokens
     ), c AS (
       INSERT INTO api_call_counts (account_id, region, api, hour, calls, units) VALUES ($1, $2, $3, date_trunc('hour', now()), 1, $6)
       ON CONFLICT (account_id, region, api, hour) DO UPDATE SET calls = api_call_counts.calls + 1, units = api_call_counts.units + EXCLUDED.units
     )
     SELECT tokens FROM b`,
    [key.accountId, key.region, key.api, burst, rate.perSecond, units],
  );
  const tokens = rows[0].tokens;
  return tokens >= 0 ? 0 : Math.ceil((-tokens / rate.perSecond) * 1000);
}

/** Waits for this process's turn at the shared quota; see reserveCall. `units` is what AWS bills the call by. */
export async function acquireCall(db: Queryable, key: QuotaKey, rate: QuotaRate, units = 1, signal?: AbortSignal): Promise<void> {
  const wait = await reserveCall(db, key, rate, units);
  if (wait > 0) await new Promise<void>((resolve) => {
    const t = setTimeout(resolve, wait);
    signal?.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });
}

/**
 * Takes one call from a share of a quota that is not itself an AWS API: a cap on what one kind of
 * caller (the live tail) may take of the API's bucket. Same bucket arithmetic as reserveCall, but the
 * call is not counted (the API's own bucket counts it). Returns how long to wait (ms).
 */
export async function reserveShare(db: Queryable, key: QuotaKey, rate: QuotaRate): Promise<number> {
  const burst = rate.burst ?? 1;
  const { rows } = await db.query<{ tokens: number }>(
    `INSERT INTO api_quota_buckets AS q (account_id, region, api, tokens, updated_at)
     VALUES ($1, $2, $3, $4::float8 - 1, clock_timestamp())
     ON CONFLICT (account_id, region, api) DO UPDATE
       SET tokens = least($4::float8, q.tokens + $5::float8 * extract(epoch FROM EXCLUDED.updated_at - q.updated_at)::float8) - 1,
           updated_at = EXCLUDED.updated_at
     RETURNING tokens`,
    [key.accountId, key.region, key.api, burst, rate.perSecond],
  );
  const tokens = rows[0].tokens;
  return tokens >= 0 ? 0 : Math.ceil((-tokens / rate.perSecond) * 1000);
}

/**
 * Adds billed units to the hour's count of an API without counting a call: for what AWS bills after the
 * call (a Logs Insights query's bytes scanned are known when it has run).
 */
export async function countUnits(db: Queryable, key: QuotaKey, units: number): Promise<void> {
  if (!(units > 0)) return;
  await db.query(
    `INSERT INTO api_call_counts (account_id, region, api, hour, calls, units) VALUES ($1, $2, $3, date_trunc('hour', now()), 0, $4)
     ON CONFLICT (account_id, region, api, hour) DO UPDATE SET units = api_call_counts.units + EXCLUDED.units`,
    [key.accountId, key.region, key.api, Math.ceil(units)],
  );
}
