import { z } from "zod";
import path from "node:path";
import { PRINCIPAL_PATTERN } from "./aws/onboarding-template";
import { parseFaultSpec } from "./sandbox/faults";

// The one reader of process.env for Osprey's own settings. The AWS SDK reads its
// own variables (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL[_<SERVICE>], credentials)
// untouched, so they are deliberately not parsed here.

const LogLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);

const validFaultSpec = (v: string) => {
  try {
    parseFaultSpec(v);
    return true;
  } catch {
    return false;
  }
};

/** A 32-byte key written as 64 hex characters or as base64 (standard or url-safe); null when it is neither. */
export function decodeKey(text: string): Buffer | null {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, "hex");
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    const b = Buffer.from(t.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    return b.length === 32 ? b : null;
  }
  return null;
}

const emptyAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const Env = z.object({
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((v) => /^postgres(ql)?:\/\//.test(v), "must be a postgres:// or postgresql:// URL")
      .optional(),
  ),
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).default(3000)),
  HOST: z.preprocess(emptyAsUndefined, z.string().default("127.0.0.1")),
  OSPREY_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default("./.osprey")),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, LogLevel.default("info")),
  OSPREY_SANDBOX: z.preprocess(emptyAsUndefined, z.enum(["auto", "on", "off"]).default("auto")),
  // e.g. "throttle=0.3,5xx=0.1,reset=0.05,seed=42": the sandbox answers that share of calls as a failing AWS does.
  OSPREY_SANDBOX_FAULTS: z.preprocess(emptyAsUndefined, z.string().refine(validFaultSpec, "is not a fault spec such as throttle=0.3,5xx=0.1,reset=0.05,seed=42").optional()),
  // Sandbox only: enforce AWS's request-rate quotas (lib/sandbox/quotas.ts); `osprey sandbox` defaults to on.
  OSPREY_SANDBOX_QUOTAS: z.preprocess(emptyAsUndefined, z.enum(["on", "off"]).optional()),
  OSPREY_SANDBOX_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(4566)),
  // A worker silent this long is dead: the others release its jobs and mark its runs interrupted.
  OSPREY_WORKER_STALE_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(2).max(3600).default(60)),
  // How often the schedule fans out due account jobs; a job due every N minutes runs every N ticks. 60 (the
  // default) is real time; a few seconds makes minutes of passes happen in seconds (tests, demos).
  OSPREY_SCHEDULE_TICK_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(60).default(60)),
  // On SIGTERM, jobs in flight get this long to finish before their AWS calls are aborted.
  OSPREY_WORKER_STOP_GRACE_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).max(3600).default(8)),
  // Sandbox only: IAM actions it refuses, comma-separated (e.g. lambda:ListProvisionedConcurrencyConfigs).
  OSPREY_SANDBOX_DENY: z.preprocess(emptyAsUndefined, z.string().optional()),
  OSPREY_SANDBOX_HTML404: z.preprocess(emptyAsUndefined, z.string().optional()),
  OSPREY_FIREHOSE_ACCESS_KEY: z.preprocess(emptyAsUndefined, z.string().min(16, "must be at least 16 characters").optional()),
  OSPREY_RETENTION_DAYS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(3650).default(30)),
  OSPREY_RESULT_CACHE_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(600_000).default(20_000)),
  // 32 bytes, base64 or hex: the key secrets at rest are encrypted under (else a key file in OSPREY_DATA_DIR).
  OSPREY_SECRET_KEY: z.preprocess(emptyAsUndefined, z.string().trim().refine((v) => decodeKey(v) !== null, "must be 32 bytes written as 64 hex characters or base64 (generate one with: openssl rand -base64 32)").optional()),
  // The IAM principal the onboarding template trusts; by default the caller identity of Osprey's own credentials.
  OSPREY_AWS_PRINCIPAL: z.preprocess(emptyAsUndefined, z.string().trim().regex(PRINCIPAL_PATTERN, "must be a 12-digit account id or an IAM user, role or root ARN").optional()),
  // First run: the token of the setup link `osprey start` prints while no user exists (else a random one), for automation.
  OSPREY_SETUP_TOKEN: z.preprocess(emptyAsUndefined, z.string().trim().min(16, "must be at least 16 characters").max(200).optional()),
  // Single sign-on from the environment, instead of Settings (README "Single sign-on (OpenID Connect)").
  OSPREY_OIDC_ISSUER: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/, error: "must be the IdP's issuer URL (http:// or https://)" }).optional()),
  OSPREY_OIDC_CLIENT_ID: z.preprocess(emptyAsUndefined, z.string().trim().max(500).optional()),
  OSPREY_OIDC_CLIENT_SECRET: z.preprocess(emptyAsUndefined, z.string().max(2000).optional()),
  OSPREY_OIDC_NAME: z.preprocess(emptyAsUndefined, z.string().trim().max(60).optional()),
  OSPREY_OIDC_SCOPES: z.preprocess(emptyAsUndefined, z.string().trim().max(500).optional()),
  OSPREY_OIDC_ROLE_CLAIM: z.preprocess(emptyAsUndefined, z.string().trim().max(200).optional()),
  // value=role pairs, comma-separated: "osprey-admins=admin,osprey-devs=member".
  OSPREY_OIDC_ROLE_MAP: z.preprocess(emptyAsUndefined, z.string().regex(/^\s*[^=,]+=(owner|admin|member|viewer)\s*(,\s*[^=,]+=(owner|admin|member|viewer)\s*)*$/, "must be value=role pairs, comma-separated (roles: owner, admin, member, viewer)").optional()),
  OSPREY_OIDC_DEFAULT_ROLE: z.preprocess(emptyAsUndefined, z.enum(["owner", "admin", "member", "viewer", "none"]).default("none")),
  OSPREY_PUBLIC_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional()),
  // `osprey api`: the Osprey it talks to (default http://127.0.0.1:<PORT>) and the API token it sends.
  OSPREY_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional()),
  OSPREY_TOKEN: z.preprocess(emptyAsUndefined, z.string().trim().optional()),
  // Osprey's own mail (password links): smtp://user:pass@host:587 (STARTTLS when offered) or smtps://user:pass@host:465.
  OSPREY_SMTP_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL such as smtps://user:password@mail.example.com:465" }).optional()),
  OSPREY_MAIL_FROM: z.preprocess(emptyAsUndefined, z.string().trim().regex(/^[^\r\n]*<?[^\s@<>]+@[^\s@<>]+>?$/, "must be an address such as Osprey <osprey@example.com>").optional()),
});
export type Env = z.infer<typeof Env>;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = "ConfigError";
  }
}

// A mistyped key is still close to the real one: its value is never echoed.
const SECRET_VARIABLES = new Set(["OSPREY_SECRET_KEY", "OSPREY_FIREHOSE_ACCESS_KEY", "OSPREY_SETUP_TOKEN", "OSPREY_OIDC_CLIENT_SECRET", "OSPREY_SMTP_URL", "OSPREY_TOKEN"]);

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = Env.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = String(issue.path[0] ?? "environment");
    const got = SECRET_VARIABLES.has(variable) ? `${source[variable]?.length ?? 0} characters, not shown` : JSON.stringify(source[variable] ?? null);
    throw new ConfigError(variable, `${issue.message} (got ${got})`);
  }
  return result.data;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Where people reach Osprey, for absolute links in notifications: OSPREY_PUBLIC_URL, else this server's own address. */
export function publicUrl(e: Env = env()): string {
  if (e.OSPREY_PUBLIC_URL) return e.OSPREY_PUBLIC_URL.replace(/\/+$/, "");
  const host = e.HOST === "0.0.0.0" || e.HOST === "::" ? "localhost" : e.HOST.includes(":") ? `[${e.HOST}]` : e.HOST;
  return `http://${host}:${e.PORT}`;
}

export function dataDir(e: Env = env()): string {
  return path.resolve(e.OSPREY_DATA_DIR);
}
