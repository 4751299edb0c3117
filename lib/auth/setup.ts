import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type pg from "pg";
import { pool } from "../db/prisma";
import { countUsers } from "./users";

type Db = Pick<pg.Pool, "query">;

// The first-run setup link's token, kept as a SHA-256 verifier: 32 random bytes need no slow hash.
const KEY = "setup_token";

const digest = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

/**
 * When nobody can sign in yet: a fresh one-time token (or `preset`, from OSPREY_SETUP_TOKEN), stored hashed and
 * valid until used. Null once a user exists. Each call replaces the previous token, which nobody can show again.
 */
export async function issueSetupToken(db: Db = pool(), preset?: string): Promise<string | null> {
  if ((await countUsers(db)) > 0) {
    await db.query("DELETE FROM app_settings WHERE key = $1", [KEY]);
    return null;
  }
  const token = preset ?? randomBytes(32).toString("base64url");
  await db.query(
    `INSERT INTO app_settings (key, value) VALUES ($1, $2::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [KEY, JSON.stringify({ sha256: digest(token) })],
  );
  return token;
}

/** Whether a setup token is pending and `token` is it. */
export async function checkSetupToken(token: string, db: Db = pool()): Promise<boolean> {
  const { rows } = await db.query<{ value: { sha256?: string } }>("SELECT value FROM app_settings WHERE key = $1", [KEY]);
  const stored = rows[0]?.value?.sha256;
  if (!stored || !token) return false;
  const a = Buffer.from(stored, "hex");
  const b = Buffer.from(digest(token), "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Uses the token up: true for exactly one caller holding the right token. */
export async function consumeSetupToken(token: string, db: Db = pool()): Promise<boolean> {
  const { rowCount } = await db.query("DELETE FROM app_settings WHERE key = $1 AND value->>'sha256' = $2", [KEY, digest(token)]);
  return rowCount === 1;
}
