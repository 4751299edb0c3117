import { z } from "zod";
import path from "node:path";
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
  OSPREY_SANDBOX_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(4566)),
  // A worker silent this long is dead: the others release its jobs and mark its runs interrupted.
  OSPREY_WORKER_STALE_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(2).max(3600).default(60)),
  // On SIGTERM, jobs in flight get this long to finish before their AWS calls are aborted.
  OSPREY_WORKER_STOP_GRACE_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).max(3600).default(8)),
  // Sandbox only: IAM actions it refuses, comma-separated (e.g. lambda:ListProvisionedConcurrencyConfigs).
  OSPREY_SANDBOX_DENY: z.preprocess(emptyAsUndefined, z.string().optional()),
  OSPREY_SANDBOX_HTML404: z.preprocess(emptyAsUndefined, z.string().optional()),
  OSPREY_FIREHOSE_ACCESS_KEY: z.preprocess(emptyAsUndefined, z.string().min(16, "must be at least 16 characters").optional()),
  OSPREY_RETENTION_DAYS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(3650).default(30)),
  OSPREY_RESULT_CACHE_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(600_000).default(20_000)),
  OSPREY_PUBLIC_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional()),
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

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = Env.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = String(issue.path[0] ?? "environment");
    throw new ConfigError(variable, `${issue.message} (got ${JSON.stringify(source[variable] ?? null)})`);
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
