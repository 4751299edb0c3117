import { randomBytes } from "node:crypto";

/**
 * An API token: `osp_<prefix>_<32 random bytes, base64url>`. The prefix (8 hex characters) is public: it finds the
 * token's row and tells tokens apart in lists; the random part is what proves it. Only a SHA-256 of the whole
 * text is stored (lib/crypto/verifier.ts says why a fast hash is right for it).
 */
const TOKEN = /^osp_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

export const API_TOKEN_SCOPES = ["read", "write"] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

export function generateApiToken(): { token: string; prefix: string } {
  const prefix = randomBytes(4).toString("hex");
  return { token: `osp_${prefix}_${randomBytes(32).toString("base64url")}`, prefix };
}

/** The prefix a token names, or null when the text is not shaped like an Osprey API token. */
export function apiTokenPrefix(token: string | null | undefined): string | null {
  const m = token ? TOKEN.exec(token) : null;
  return m ? m[1] : null;
}

/** What lists show of a token: its public prefix. */
export const apiTokenHint = (prefix: string) => `osp_${prefix}_…`;
