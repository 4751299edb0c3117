import { AsyncLocalStorage } from "node:async_hooks";
import type { BetterAuthOptions } from "better-auth";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import type pg from "pg";
import { pool } from "../db/prisma";
import { SSO_PROVIDER_ID, type SsoConfig } from "../db/sso-config";
import { hasRole, type Role } from "./roles";
import { claimValues, roleForProfile } from "./sso-roles";

type Db = Pick<pg.Pool, "query">;

/** What one request to /api/auth learnt about an SSO sign-in, for the audit log. */
export interface SsoSignIn {
  email?: string;
  role?: Role;
  refused?: boolean;
  claimValues?: string[];
  userId?: string;
  from?: Role;
}

const current = new AsyncLocalStorage<SsoSignIn>();

/** Runs an /api/auth request; its SSO sign-in, if any, is recorded in the returned state. */
export async function trackSsoSignIn<T>(fn: () => Promise<T>): Promise<{ result: T; sso: SsoSignIn }> {
  const sso: SsoSignIn = {};
  const result = await current.run(sso, fn);
  return { result, sso };
}

export const SSO_NO_ROLE = "sso_no_role";

/** Sets the role the IdP's claim maps to, at every sign-in; the last owner stays owner (the IdP cannot lock everyone out of user management). */
export async function applySsoRole(userId: string, role: Role, db: Db = pool()): Promise<{ from: Role; to: Role }> {
  const { rows } = await db.query<{ role: Role }>("SELECT role FROM users WHERE id = $1", [userId]);
  const from = rows[0]?.role ?? "viewer";
  let to = role;
  if (from === "owner" && !hasRole(role, "owner")) {
    const others = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE role = 'owner' AND id <> $1", [userId]);
    if (others.rows[0].n === 0) to = "owner";
  }
  if (to !== from) await db.query("UPDATE users SET role = $2, updated_at = now() WHERE id = $1", [userId, to]);
  return { from, to };
}

/** better-auth options that add the OIDC provider: discovery, PKCE, state, nonce and ID token checks are the library's. */
export function ssoOptions(config: SsoConfig): Pick<BetterAuthOptions, "plugins" | "user" | "databaseHooks" | "account"> {
  const mapping = { claim: config.roleClaim, rules: config.rules, defaultRole: config.defaultRole };
  return {
    plugins: [
      genericOAuth({
        config: [
          {
            providerId: SSO_PROVIDER_ID,
            name: config.name,
            discoveryUrl: `${config.issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`,
            requireIdTokenVerification: true,
            clientId: config.clientId,
            clientSecret: config.clientSecret ?? undefined,
            scopes: config.scopes,
            pkce: true,
            // Signing out of Osprey ends Osprey's session only, not the one at the IdP (other apps use it too).
            disableProviderLogout: true,
          },
        ],
      }),
    ],
    account: {
      encryptOAuthTokens: true,
      // An existing user is linked only when both the IdP and Osprey say the e-mail is verified.
      accountLinking: { enabled: true, requireLocalEmailVerified: true },
    },
    user: {
      validateUserInfo: ({ user, source }) => {
        if (source.method !== "oauth" || source.oauth?.providerId !== SSO_PROVIDER_ID) return;
        const profile = source.oauth.profile ?? {};
        const state = current.getStore();
        const role = roleForProfile(profile, mapping);
        if (state) {
          state.email = typeof user.email === "string" ? user.email : state.email;
          state.claimValues = claimValues(profile, mapping.claim).slice(0, 50);
        }
        if (role === null) {
          if (state) state.refused = true;
          return { error: SSO_NO_ROLE, errorDescription: `No Osprey role for this account: none of its ${mapping.claim} is mapped to a role` };
        }
        if (state) state.role = role;
      },
    },
    databaseHooks: {
      session: {
        create: {
          before: async (session) => {
            const state = current.getStore();
            if (!state?.role) return;
            const { from, to } = await applySsoRole(session.userId, state.role);
            state.userId = session.userId;
            state.from = from;
            state.role = to;
          },
        },
      },
    },
  };
}
