import type pg from "pg";
import { ConflictError, NotFoundError } from "../api/errors";
import type { SsoConfigInput, SsoConfigView } from "../api/schemas/sso";
import { isRole, type Role } from "../auth/roles";
import type { SsoRoleRule } from "../auth/sso-roles";
import { aadFor, openStored, sealSecret } from "../crypto/secrets";
import { env, publicUrl, type Env } from "../env";
import { maskSecret } from "../notify/channel-kinds";
import { recordAudit, type Actor } from "./audit";
import { pool } from "./prisma";

type Db = Pick<pg.Pool, "query">;

/** better-auth's provider id: the callback is /api/auth/callback/sso. */
export const SSO_PROVIDER_ID = "sso";
const ROW_ID = 1;
const SECRET_AAD = aadFor("sso_configs", "client_secret", ROW_ID);

/** The configuration sign-in uses, with the client secret opened. */
export interface SsoConfig {
  source: "settings" | "env";
  enabled: boolean;
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  scopes: string[];
  roleClaim: string;
  rules: SsoRoleRule[];
  defaultRole: Role | null;
  /** Changes whenever the stored row does: sign-in rebuilds its OIDC client when it moves. */
  version: string;
}

export const ssoRedirectUri = (e: Env = env()) => `${publicUrl(e)}/api/auth/callback/${SSO_PROVIDER_ID}`;

/** OSPREY_OIDC_* variables, when OSPREY_OIDC_ISSUER is set: they take the place of Settings. */
export function ssoConfigFromEnv(e: Env = env()): SsoConfig | null {
  if (!e.OSPREY_OIDC_ISSUER) return null;
  const rules = (e.OSPREY_OIDC_ROLE_MAP ?? "")
    .split(",")
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const at = pair.lastIndexOf("=");
      return { value: pair.slice(0, at).trim(), role: pair.slice(at + 1).trim() as Role };
    });
  return {
    source: "env",
    enabled: Boolean(e.OSPREY_OIDC_CLIENT_ID),
    name: e.OSPREY_OIDC_NAME ?? "SSO",
    issuer: e.OSPREY_OIDC_ISSUER,
    clientId: e.OSPREY_OIDC_CLIENT_ID ?? "",
    clientSecret: e.OSPREY_OIDC_CLIENT_SECRET ?? null,
    scopes: (e.OSPREY_OIDC_SCOPES ?? "openid email profile").split(/\s+/).filter(Boolean),
    roleClaim: e.OSPREY_OIDC_ROLE_CLAIM ?? "groups",
    rules,
    defaultRole: e.OSPREY_OIDC_DEFAULT_ROLE === "none" ? null : e.OSPREY_OIDC_DEFAULT_ROLE,
    version: "env",
  };
}

interface Row {
  enabled: boolean;
  name: string;
  issuer: string;
  client_id: string;
  client_secret: string | null;
  scopes: string;
  role_claim: string;
  role_rules: SsoRoleRule[];
  default_role: string | null;
  updated_at: Date;
}

async function storedRow(db: Db): Promise<Row | null> {
  const { rows } = await db.query<Row>("SELECT enabled, name, issuer, client_id, client_secret, scopes, role_claim, role_rules, default_role, updated_at FROM sso_configs WHERE id = $1", [ROW_ID]);
  return rows[0] ?? null;
}

const toConfig = (r: Row): SsoConfig => ({
  source: "settings",
  enabled: r.enabled,
  name: r.name,
  issuer: r.issuer,
  clientId: r.client_id,
  clientSecret: r.client_secret ? openStored(r.client_secret, SECRET_AAD) : null,
  scopes: r.scopes.split(/\s+/).filter(Boolean),
  roleClaim: r.role_claim,
  rules: r.role_rules,
  defaultRole: isRole(r.default_role) ? r.default_role : null,
  version: r.updated_at.toISOString(),
});

/** The configuration in force: the environment's, else the one stored from Settings, else null. */
export async function getSsoConfig(db: Db = pool(), e: Env = env()): Promise<SsoConfig | null> {
  const fromEnv = ssoConfigFromEnv(e);
  if (fromEnv) return fromEnv;
  const row = await storedRow(db);
  return row ? toConfig(row) : null;
}

/** What the API and Settings show: everything but the secret, which is masked. */
export function toSsoView(config: SsoConfig | null, e: Env = env()): SsoConfigView {
  const redirectUri = ssoRedirectUri(e);
  if (!config) {
    return { configured: false, source: "settings", enabled: false, name: "", issuer: "", clientId: "", clientSecret: null, scopes: "openid email profile", roleClaim: "groups", rules: [], defaultRole: null, redirectUri, updatedAt: null };
  }
  return {
    configured: true,
    source: config.source,
    enabled: config.enabled,
    name: config.name,
    issuer: config.issuer,
    clientId: config.clientId,
    clientSecret: maskSecret(config.clientSecret),
    scopes: config.scopes.join(" "),
    roleClaim: config.roleClaim,
    rules: config.rules,
    defaultRole: config.defaultRole,
    redirectUri,
    updatedAt: config.source === "settings" ? config.version : null,
  };
}

/** Saves Settings' configuration (the secret sealed; an omitted secret keeps the stored one) and audits the change, secret left out. */
export async function saveSsoConfig(input: SsoConfigInput, actor: Actor, db: Db = pool(), e: Env = env()): Promise<SsoConfig> {
  if (ssoConfigFromEnv(e)) throw new ConflictError("Single sign-on is set by the OSPREY_OIDC_* environment variables: change them there, or unset OSPREY_OIDC_ISSUER to use Settings");
  const before = await storedRow(db);
  const secret = input.clientSecret !== undefined ? sealSecret(input.clientSecret, SECRET_AAD) : (before?.client_secret ?? null);
  const { rows } = await db.query<Row>(
    `INSERT INTO sso_configs (id, enabled, name, issuer, client_id, client_secret, scopes, role_claim, role_rules, default_role, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, clock_timestamp())
     ON CONFLICT (id) DO UPDATE SET enabled = EXCLUDED.enabled, name = EXCLUDED.name, issuer = EXCLUDED.issuer, client_id = EXCLUDED.client_id,
       client_secret = EXCLUDED.client_secret, scopes = EXCLUDED.scopes, role_claim = EXCLUDED.role_claim, role_rules = EXCLUDED.role_rules,
       default_role = EXCLUDED.default_role, updated_at = clock_timestamp()
     RETURNING enabled, name, issuer, client_id, client_secret, scopes, role_claim, role_rules, default_role, updated_at`,
    [ROW_ID, input.enabled, input.name, input.issuer, input.clientId, secret, input.scopes, input.roleClaim, JSON.stringify(input.rules), input.defaultRole],
  );
  const { clientSecret: _secret, ...shown } = input;
  await recordAudit(db, actor, "settings.sso_changed", { kind: "settings", id: "sso", name: "Single sign-on" }, {
    ...shown,
    clientSecretChanged: input.clientSecret !== undefined,
    created: before === null,
  });
  return toConfig(rows[0]);
}

/** The issuer to test discovery for: the one given, else the configured one. */
export async function issuerToTest(issuer: string | undefined, db: Db = pool()): Promise<string> {
  if (issuer) return issuer;
  const config = await getSsoConfig(db);
  if (!config) throw new NotFoundError("Single sign-on configuration");
  return config.issuer;
}
