import type { WildcardStatement } from "./role-policy";
import type { AliasConfiguration, EventSourceMappingConfiguration, FunctionConfiguration, FunctionEventInvokeConfig, FunctionUrlConfig } from "@aws-sdk/client-lambda";

/** What Osprey keeps of a Lambda function's configuration: what insights and the UI need, never env values. */
export interface LambdaConfig {
  functionName: string;
  arn: string;
  runtime: string | null;
  memorySizeMB: number;
  timeoutS: number;
  architecture: "x86_64" | "arm64";
  packageType: "Zip" | "Image";
  codeSizeBytes: number;
  /** The deployment package's SHA-256 (base64): a change is a code deploy, which the configuration history records. */
  codeSha256: string | null;
  handler: string | null;
  role: string | null;
  layers: string[];
  tracingMode: "Active" | "PassThrough";
  logGroup: string;
  logFormat: "Text" | "JSON";
  logRetentionDays: number | null;
  reservedConcurrency: number | null;
  provisionedConcurrency: number | null;
  deadLetterTargetArn: string | null;
  onFailureDestination: string | null;
  snapStart: boolean;
  ephemeralStorageMB: number;
  lastModified: string | null;
  envVarCount: number;
  eventSourceMappings: {
    eventSourceArn: string;
    kind: "sqs" | "kinesis" | "dynamodb" | "kafka" | "other";
    state: string | null;
    /** What the performance advisor tunes: BatchSize, MaximumBatchingWindowInSeconds, ParallelizationFactor (streams). */
    batchSize: number | null;
    batchingWindowS: number | null;
    parallelizationFactor: number | null;
  }[];
  invokedAsync: boolean;
  userFacing: boolean;
  tags: Record<string, string>;
  /** Names only: the values of environment variables are never kept. */
  secretLikeEnvNames: string[];
  applicationLogLevel: string | null;
  /** AuthType of the function URL; null when it has none. */
  functionUrlAuthType: "NONE" | "AWS_IAM" | null;
  functionUrlCorsAnyOrigin: boolean;
  /** Published versions (not $LATEST), newest last, at most MAX_VERSIONS, with their code and description. */
  publishedVersions: PublishedVersion[];
  aliases: LambdaAlias[];
  /** The execution role's Allow statements with wildcard actions or any resource; null until its policies are read. */
  roleWildcards: WildcardStatement[] | null;
  /**
   * Optional calls (LAMBDA_FEATURES) that failed with no earlier answer to fall back on: the fields they feed hold
   * defaults, not AWS's answer. Absent when every call has answered at least once.
   */
  unread?: string[];
}

export interface PublishedVersion {
  version: string;
  codeSha256: string | null;
  lastModified: string | null;
  /** The description given at publishing; null when none. */
  description: string | null;
}

export interface LambdaAlias {
  name: string;
  /** The version the alias routes to, or most of its traffic when it is weighted. */
  functionVersion: string | null;
  /** RoutingConfig.AdditionalVersionWeights of a weighted alias: other versions and their share (0..1); {} when unweighted. */
  additionalVersionWeights: Record<string, number>;
}

/** The newest published versions kept: enough to follow recent deploys without growing the config. */
export const MAX_VERSIONS = 10;

export interface LambdaExtras {
  tags?: Record<string, string>;
  reservedConcurrency?: number | null;
  provisionedConcurrency?: number | null;
  eventInvokeConfig?: FunctionEventInvokeConfig | null;
  mappings?: EventSourceMappingConfiguration[];
  logRetentionDays?: number | null;
  /** The function's URLs (lambda:ListFunctionUrlConfigs), usually none or one. */
  functionUrls?: FunctionUrlConfig[];
  versions?: FunctionConfiguration[];
  aliases?: AliasConfiguration[];
  /** From the role's IAM policies (lib/aws/discovery-iam.ts); null when they could not be read. */
  roleWildcards?: WildcardStatement[] | null;
}

// Variable names secret scanners flag; a reference to a secret (its ARN or parameter name) is not one.
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|PRIVATE_KEY|API_?KEY|ACCESS_KEY|TOKEN|CREDENTIAL)/i;
const REFERENCE_NAME = /(_ARN|_NAME|_ID|_PARAM|_PARAMETER|_PATH|_URL)$/i;

/** Environment variable names that look like a secret kept in plain text rather than a reference to one. */
export function secretLikeNames(names: readonly string[]): string[] {
  return names.filter((n) => SECRET_NAME.test(n) && !REFERENCE_NAME.test(n)).sort();
}

function sourceKind(arn: string): LambdaConfig["eventSourceMappings"][number]["kind"] {
  if (arn.startsWith("arn:aws:sqs:") || /:sqs:/.test(arn)) return "sqs";
  if (/:kinesis:/.test(arn)) return "kinesis";
  if (/:dynamodb:.*\/stream\//.test(arn)) return "dynamodb";
  if (/:kafka:/.test(arn)) return "kafka";
  return "other";
}

// Tags are the only signal Osprey has for intent it cannot discover; these names are conventions.
const USER_FACING_TAGS = ["osprey:user-facing", "user-facing"];
const ASYNC_TAGS = ["osprey:async", "invocation"];

export function toLambdaConfig(fn: FunctionConfiguration, extras: LambdaExtras = {}): LambdaConfig {
  const name = fn.FunctionName ?? "";
  const tags = extras.tags ?? {};
  const destination = extras.eventInvokeConfig?.DestinationConfig?.OnFailure?.Destination ?? null;
  const userFacingTag = USER_FACING_TAGS.some((t) => tags[t] === "true");
  const asyncTag = ASYNC_TAGS.some((t) => tags[t] === "true" || tags[t] === "async");
  const urls = extras.functionUrls ?? [];
  return {
    functionName: name,
    arn: fn.FunctionArn ?? "",
    runtime: fn.Runtime ?? null,
    memorySizeMB: fn.MemorySize ?? 128,
    timeoutS: fn.Timeout ?? 3,
    architecture: fn.Architectures?.[0] === "arm64" ? "arm64" : "x86_64",
    packageType: fn.PackageType === "Image" ? "Image" : "Zip",
    codeSizeBytes: fn.CodeSize ?? 0,
    codeSha256: fn.CodeSha256 ?? null,
    handler: fn.Handler ?? null,
    role: fn.Role ?? null,
    layers: (fn.Layers ?? []).map((l) => l.Arn ?? "").filter(Boolean),
    tracingMode: fn.TracingConfig?.Mode === "Active" ? "Active" : "PassThrough",
    logGroup: fn.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`,
    logFormat: fn.LoggingConfig?.LogFormat === "JSON" ? "JSON" : "Text",
    logRetentionDays: extras.logRetentionDays ?? null,
    reservedConcurrency: extras.reservedConcurrency ?? null,
    provisionedConcurrency: extras.provisionedConcurrency ?? null,
    deadLetterTargetArn: fn.DeadLetterConfig?.TargetArn ?? null,
    onFailureDestination: destination,
    snapStart: fn.SnapStart?.ApplyOn === "PublishedVersions",
    ephemeralStorageMB: fn.EphemeralStorage?.Size ?? 512,
    lastModified: fn.LastModified ?? null,
    envVarCount: Object.keys(fn.Environment?.Variables ?? {}).length,
    eventSourceMappings: (extras.mappings ?? [])
      .filter((m) => m.EventSourceArn)
      .map((m) => ({
        eventSourceArn: m.EventSourceArn!,
        kind: sourceKind(m.EventSourceArn!),
        state: m.State ?? null,
        batchSize: m.BatchSize ?? null,
        batchingWindowS: m.MaximumBatchingWindowInSeconds ?? null,
        parallelizationFactor: m.ParallelizationFactor ?? null,
      })),
    invokedAsync: asyncTag || Boolean(extras.eventInvokeConfig) || Boolean(fn.DeadLetterConfig?.TargetArn),
    userFacing: userFacingTag || (extras.functionUrls?.length ?? 0) > 0,
    tags,
    secretLikeEnvNames: secretLikeNames(Object.keys(fn.Environment?.Variables ?? {})),
    applicationLogLevel: fn.LoggingConfig?.LogFormat === "JSON" ? (fn.LoggingConfig.ApplicationLogLevel ?? null) : null,
    // With several URLs (one per alias) the most open one decides.
    functionUrlAuthType: urls.length === 0 ? null : urls.some((u) => u.AuthType === "NONE") ? "NONE" : "AWS_IAM",
    functionUrlCorsAnyOrigin: urls.some((u) => u.Cors?.AllowOrigins?.includes("*")),
    publishedVersions: (extras.versions ?? [])
      .filter((v) => v.Version && v.Version !== "$LATEST")
      .sort((a, b) => Number(a.Version) - Number(b.Version))
      .slice(-MAX_VERSIONS)
      .map((v) => ({ version: v.Version!, codeSha256: v.CodeSha256 ?? null, lastModified: v.LastModified ?? null, description: v.Description || null })),
    aliases: (extras.aliases ?? []).map((a) => ({
      name: a.Name ?? "",
      functionVersion: a.FunctionVersion ?? null,
      additionalVersionWeights: Object.fromEntries(Object.entries(a.RoutingConfig?.AdditionalVersionWeights ?? {}).filter(([, w]) => Number.isFinite(w))),
    })),
    roleWildcards: extras.roleWildcards ?? null,
  };
}
