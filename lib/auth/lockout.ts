import { randomUUID } from "node:crypto";
import type pg from "pg";
import { pool } from "../db/prisma";
import { normalizeEmail } from "./users";

type Db = Pick<pg.Pool, "query">;

/** Failed sign-ins allowed per address and email within the window, before sign-in for that pair is refused. */
export const LOCKOUT_FAILURES = 5;
/** Failed sign-ins allowed per email from all addresses together: a client can claim any address (X-Forwarded-For). */
export const LOCKOUT_FAILURES_ANY_ADDRESS = 20;
export const LOCKOUT_WINDOW_MS = 15 * 60_000;

// Kept in better-auth's rate-limit table (shared by every web process), under keys of our own.
const counters = (ip: string, email: string) => [
  { key: `signin-failures|${ip}|${normalizeEmail(email)}`, max: LOCKOUT_FAILURES },
  { key: `signin-failures|*|${normalizeEmail(email)}`, max: LOCKOUT_FAILURES_ANY_ADDRESS },
];

/** Seconds until sign-in may be tried again, or null when not locked out. */
export async function lockedOutFor(ip: string, email: string, now = Date.now(), db: Db = pool()): Promise<number | null> {
  const all = counters(ip, email);
  const { rows } = await db.query<{ key: string; count: number; last_request: string }>("SELECT key, count, last_request FROM rate_limits WHERE key = ANY($1)", [all.map((c) => c.key)]);
  let wait: number | null = null;
  for (const row of rows) {
    const last = Number(row.last_request);
    const max = all.find((c) => c.key === row.key)!.max;
    if (now - last >= LOCKOUT_WINDOW_MS || row.count < max) continue;
    wait = Math.max(wait ?? 0, Math.ceil((last + LOCKOUT_WINDOW_MS - now) / 1000));
  }
  return wait;
}

/** Counts a failure; a failure after a quiet window starts the count again. */
export async function recordSignInFailure(ip: string, email: string, now = Date.now(), db: Db = pool()): Promise<void> {
  for (const { key } of counters(ip, email)) {
    await db.query(
      `INSERT INTO rate_limits (id, key, count, last_request) VALUES ($1, $2, 1, $3)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN $3 - rate_limits.last_request >= $4 THEN 1 ELSE rate_limits.count + 1 END,
         last_request = $3`,
      [randomUUID(), key, now, LOCKOUT_WINDOW_MS],
    );
  }
}

/** A successful sign-in forgets this address's failures (not those of other addresses). */
export async function clearSignInFailures(ip: string, email: string, db: Db = pool()): Promise<void> {
  await db.query("DELETE FROM rate_limits WHERE key = $1", [counters(ip, email)[0].key]);
}
