import { hash, verify } from "@node-rs/argon2";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { derivedSecret } from "../crypto/secrets";
import { COOKIE_PREFIX } from "./cookie";
import { clientIp } from "./client-ip";
import { FORGOT_LINK_MINUTES, sendForgotPasswordMail } from "./password-mail";
import { recordAudit } from "../db/audit";
import { pool, prisma } from "../db/prisma";
import { getSsoConfig, type SsoConfig } from "../db/sso-config";
import { env, publicUrl, type Env } from "../env";
import { childLog } from "../log";
import { mailConfigured } from "../mail/osprey-mail";
import type { PrismaClient } from "../generated/prisma/client";
import { ssoOptions } from "./sso";

export const MIN_PASSWORD_LENGTH = 12;
const SESSION_DAYS = 7;

// argon2id (the library's default algorithm, named here) with its default costs: 19 MiB, 2 passes.
const ARGON2ID = 2;
export const hashPassword = (password: string) => hash(password, { algorithm: ARGON2ID });
export const verifyPassword = ({ hash: stored, password }: { hash: string; password: string }) => verify(stored, password).catch(() => false);

/** Where the browser reaches Osprey, and the loopback names of the same server. */
export function trustedOrigins(e: Env = env()): string[] {
  return [...new Set([publicUrl(e), `http://127.0.0.1:${e.PORT}`, `http://localhost:${e.PORT}`])];
}

function createAuth(db: PrismaClient, e: Env, sso: SsoConfig | null = null) {
  const baseURL = publicUrl(e);
  const withSso = sso ? ssoOptions(sso) : null;
  return betterAuth({
    appName: "Osprey",
    baseURL,
    basePath: "/api/auth",
    secret: derivedSecret("better-auth"),
    trustedOrigins: trustedOrigins(e),
    database: prismaAdapter(db, { provider: "postgresql" }),
    telemetry: { enabled: false },
    // Failed sign-ins are in the audit log; better-auth need not warn about each.
    logger: { level: "error" },
    user: {
      additionalFields: { role: { type: "string", required: false, defaultValue: "viewer", input: false } },
      ...withSso?.user,
    },
    account: { modelName: "authAccount", ...withSso?.account },
    ...(withSso && { plugins: withSso.plugins }),
    // Errors of an SSO sign-in (refused, state or issuer mismatch) come back to the sign-in page as ?error=<code>.
    onAPIError: { errorURL: `${baseURL}/sign-in` },
    session: { expiresIn: SESSION_DAYS * 86_400, updateAge: 86_400 },
    emailAndPassword: {
      enabled: true,
      // Users come from the setup link, the CLI and owners.
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      revokeSessionsOnPasswordReset: true,
      password: { hash: hashPassword, verify: verifyPassword },
      // "Forgot password?" only when Osprey can send mail; owners' links (lib/auth/password-link.ts) use the same tokens.
      sendResetPassword: mailConfigured(e) ? sendForgotPasswordMail : undefined,
      resetPasswordTokenExpiresIn: FORGOT_LINK_MINUTES * 60,
      onPasswordReset: async ({ user }, request) => {
        await db.$executeRaw`DELETE FROM verifications WHERE value = ${user.id}`;
        await recordAudit(pool(), { name: user.email, ip: request ? clientIp(request.headers) : null }, "user.password_reset", { kind: "user", id: user.id, name: user.email }, { by: "link" });
      },
    },
    // Reset tokens are kept as SHA-256 hashes: the database alone cannot be used to set a password.
    verification: { storeIdentifier: "hashed" },
    databaseHooks: {
      ...withSso?.databaseHooks,
      session: {
        create: {
          // SSO sets the role from the IdP's claim before the session exists.
          ...withSso?.databaseHooks?.session?.create,
          after: async (session) => {
            await db.$executeRaw`UPDATE users SET last_sign_in_at = ${session.createdAt} WHERE id = ${session.userId}`;
          },
        },
      },
    },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 100,
      // Per address; the per-address-and-email lockout after failures is lib/auth/lockout.ts.
      // SSO's button only starts a redirect to the IdP, which does its own limiting: better-auth's default for /sign-in/* (3 in 10 s) would trip an office behind one address.
      customRules: {
        "/sign-in/email": { window: 15 * 60, max: 30 },
        "/sign-in/social": { window: 60, max: 30 },
        "/request-password-reset": { window: 15 * 60, max: 5 },
        "/reset-password": { window: 15 * 60, max: 10 },
      },
    },
    advanced: {
      cookiePrefix: COOKIE_PREFIX,
      useSecureCookies: baseURL.startsWith("https://"),
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

// One instance per Prisma client: tests hand the handlers their own database's pool.
const g = globalThis as unknown as { ospreyAuth?: { db: PrismaClient; auth: Auth } };

export function auth(): Auth {
  const db = prisma();
  if (g.ospreyAuth?.db !== db) g.ospreyAuth = { db, auth: createAuth(db, env()) };
  return g.ospreyAuth.auth;
}

const gSso = globalThis as unknown as { ospreySsoAuth?: { db: PrismaClient; version: string; auth: Auth } };

/** The enabled single sign-on configuration, or null; one that cannot be read (its secret does not open) leaves password sign-in working. */
export async function activeSsoConfig(): Promise<SsoConfig | null> {
  try {
    const config = await getSsoConfig(pool());
    return config?.enabled && config.clientId ? config : null;
  } catch (err) {
    childLog("auth").error({ err: (err as Error).message }, "single sign-on is configured but cannot be read: SSO is off until this is fixed");
    return null;
  }
}

/**
 * The instance /api/auth answers with: with the OIDC provider of the SSO configuration when it is enabled
 * (rebuilt, with a fresh discovery, whenever the configuration changes), else the plain one.
 */
export async function signInAuth(): Promise<Auth> {
  const sso = await activeSsoConfig();
  if (!sso) return auth();
  const db = prisma();
  const version = `${sso.source}|${sso.version}`;
  if (gSso.ospreySsoAuth?.db !== db || gSso.ospreySsoAuth.version !== version) gSso.ospreySsoAuth = { db, version, auth: createAuth(db, env(), sso) };
  return gSso.ospreySsoAuth.auth;
}
