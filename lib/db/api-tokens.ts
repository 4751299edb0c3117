import type pg from "pg";
import { AppError, NotFoundError } from "../api/errors";
import { apiTokenHint, apiTokenPrefix, generateApiToken, type ApiTokenScope } from "../crypto/api-token";
import { secretMatches, secretVerifier } from "../crypto/verifier";
import { isRole, type Role } from "../auth/roles";
import { recordAudit, type Actor } from "./audit";
import { pool } from "./prisma";

type Db = Pick<pg.Pool, "query">;

export interface ApiTokenView {
  id: number;
  name: string;
  scope: ApiTokenScope;
  /** The token's public start, e.g. osp_1a2b3c4d_…: enough to tell it apart, useless to sign in. */
  hint: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  state: "active" | "revoked" | "expired";
  user: { id: string; email: string; name: string };
}

interface TokenRow {
  id: number;
  name: string;
  scope: ApiTokenScope;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
  expired: boolean;
  user_id: string;
  email: string;
  user_name: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const toView = (r: TokenRow): ApiTokenView => ({
  id: r.id,
  name: r.name,
  scope: r.scope,
  hint: apiTokenHint(r.prefix),
  createdAt: r.created_at.toISOString(),
  lastUsedAt: iso(r.last_used_at),
  expiresAt: iso(r.expires_at),
  revokedAt: iso(r.revoked_at),
  state: r.revoked_at ? "revoked" : r.expired ? "expired" : "active",
  user: { id: r.user_id, email: r.email, name: r.user_name },
});

const SELECT = `SELECT t.id, t.name, t.scope, t.prefix, t.created_at, t.last_used_at, t.expires_at, t.revoked_at, coalesce(t.expires_at <= now(), false) AS expired,
    t.user_id, u.email, u.name AS user_name
  FROM api_tokens t JOIN users u ON u.id = t.user_id`;

export interface NewApiToken {
  userId: string;
  name: string;
  scope: ApiTokenScope;
  expiresInDays?: number | null;
}

/** A new token for the user: the row keeps its SHA-256; the text is answered this once. */
export async function createApiToken(input: NewApiToken, actor: Actor, db: Db = pool()): Promise<{ token: string; data: ApiTokenView }> {
  for (let attempt = 0; ; attempt++) {
    const { token, prefix } = generateApiToken();
    try {
      const { rows } = await db.query<{ id: number }>(
        `INSERT INTO api_tokens (user_id, name, scope, prefix, token_hash, expires_at)
         VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::int IS NULL THEN NULL ELSE now() + make_interval(days => $6::int) END) RETURNING id`,
        [input.userId, input.name, input.scope, prefix, secretVerifier(token), input.expiresInDays ?? null],
      );
      const data = (await getApiToken(rows[0].id, db))!;
      await recordAudit(db, actor, "api_token.created", { kind: "api_token", id: data.id, name: data.name }, { scope: data.scope, user: data.user.email, expiresAt: data.expiresAt, hint: data.hint });
      return { token, data };
    } catch (err) {
      // Two tokens drew the same 32-bit prefix: draw again.
      if ((err as { code?: string }).code === "23505" && attempt < 3) continue;
      throw err;
    }
  }
}

export async function getApiToken(id: number, db: Db = pool()): Promise<ApiTokenView | null> {
  const { rows } = await db.query<TokenRow>(`${SELECT} WHERE t.id = $1`, [id]);
  return rows[0] ? toView(rows[0]) : null;
}

/** One user's tokens, or everyone's (userId null), newest first. */
export async function listApiTokens(userId: string | null, db: Db = pool()): Promise<ApiTokenView[]> {
  const { rows } = await db.query<TokenRow>(`${SELECT} WHERE $1::text IS NULL OR t.user_id = $1 ORDER BY t.created_at DESC, t.id DESC`, [userId]);
  return rows.map(toView);
}

/**
 * Revokes a token. `ownerId` limits it to that user's tokens (another's answers not found, as if it did not
 * exist); null lets an admin revoke anyone's. Revoking twice keeps the first time.
 */
export async function revokeApiToken(id: number, ownerId: string | null, actor: Actor, db: Db = pool()): Promise<ApiTokenView> {
  const { rows } = await db.query<{ id: number }>(
    `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND ($2::text IS NULL OR user_id = $2) RETURNING id`,
    [id, ownerId],
  );
  if (!rows[0]) throw new NotFoundError("API token");
  const data = (await getApiToken(id, db))!;
  await recordAudit(db, actor, "api_token.revoked", { kind: "api_token", id: data.id, name: data.name }, { user: data.user.email, hint: data.hint });
  return data;
}

export class TokenRejectedError extends AppError {
  constructor(message: string) {
    super(message, 401, "unauthenticated");
  }
}

export interface TokenUser {
  tokenId: number;
  scope: ApiTokenScope;
  prefix: string;
  userId: string;
  name: string;
  email: string;
  role: Role;
}

interface AuthRow {
  id: number;
  scope: ApiTokenScope;
  prefix: string;
  token_hash: Buffer;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  user_id: string;
  email: string;
  name: string;
  role: string;
  now: Date;
}

// last_used_at moves at most once a minute per token: a busy script does not write on every request.
const LAST_USED_RESOLUTION_MS = 60_000;

/** The token's user, or TokenRejectedError saying why not (not a token, unknown, revoked, expired). */
export async function authenticateApiToken(token: string, db: Db = pool()): Promise<TokenUser> {
  const prefix = apiTokenPrefix(token);
  if (!prefix) throw new TokenRejectedError("Not an Osprey API token: expected Authorization: Bearer osp_…");
  // The user's row goes with its tokens (ON DELETE CASCADE): a removed user's token is simply unknown.
  const { rows } = await db.query<AuthRow>(
    `SELECT t.id, t.scope, t.prefix, t.token_hash, t.expires_at, t.revoked_at, t.last_used_at, u.id AS user_id, u.email, u.name, u.role, now() AS now
       FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.prefix = $1`,
    [prefix],
  );
  const row = rows[0];
  if (!row || !secretMatches(token, row.token_hash)) throw new TokenRejectedError("Unknown API token");
  if (row.revoked_at) throw new TokenRejectedError("This API token was revoked");
  if (row.expires_at && row.expires_at <= row.now) throw new TokenRejectedError(`This API token expired at ${row.expires_at.toISOString()}`);
  if (!isRole(row.role)) throw new TokenRejectedError("This API token's user has no role");
  if (!row.last_used_at || row.now.getTime() - row.last_used_at.getTime() >= LAST_USED_RESOLUTION_MS) {
    await db.query(`UPDATE api_tokens SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`, [row.id]);
  }
  return { tokenId: row.id, scope: row.scope, prefix: row.prefix, userId: row.user_id, name: row.name, email: row.email, role: row.role };
}
