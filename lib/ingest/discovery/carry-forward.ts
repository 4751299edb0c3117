import type { LambdaConfig } from "./lambda-config";

/** The optional per-function calls of Lambda discovery, by the feature each one serves. */
export const LAMBDA_FEATURES = {
  tags: "lambda:ListTags",
  "reserved concurrency": "lambda:GetFunctionConcurrency",
  "event invoke config": "lambda:GetFunctionEventInvokeConfig",
  "event source mappings": "lambda:ListEventSourceMappings",
  "provisioned concurrency": "lambda:ListProvisionedConcurrencyConfigs",
  "log retention": "logs:DescribeLogGroups",
  "function url": "lambda:ListFunctionUrlConfigs",
  versions: "lambda:ListVersionsByFunction",
  aliases: "lambda:ListAliases",
  // Several IAM reads (lib/aws/discovery-iam.ts); a failure names the one that failed.
  "role policies": "iam:GetRolePolicy",
} as const;
export type LambdaFeature = keyof typeof LAMBDA_FEATURES;

// The config fields each call feeds; a failed call must not blank what an earlier pass learned.
const FIELDS: Record<LambdaFeature, (keyof LambdaConfig)[]> = {
  tags: ["tags", "userFacing", "invokedAsync"],
  "reserved concurrency": ["reservedConcurrency"],
  "event invoke config": ["onFailureDestination", "invokedAsync"],
  "event source mappings": ["eventSourceMappings"],
  "provisioned concurrency": ["provisionedConcurrency"],
  "log retention": ["logRetentionDays"],
  "function url": ["functionUrlAuthType", "functionUrlCorsAnyOrigin", "userFacing"],
  versions: ["publishedVersions"],
  aliases: ["aliases"],
  "role policies": ["roleWildcards"],
};

/**
 * The fresh config, with the fields of each failed feature taken from the stored config when there is one. A feature
 * that failed with no earlier answer (a function seen for the first time, or one whose call has never succeeded) is
 * listed in `unread`: its fields hold defaults, and a first pass denied ListTags must not call a function untagged.
 */
export function carryForward(fresh: LambdaConfig, stored: Record<string, unknown> | undefined, failed: Iterable<LambdaFeature>): LambdaConfig {
  const out: Record<string, unknown> = { ...fresh };
  delete out.unread;
  const neverRead = new Set(Array.isArray(stored?.unread) ? (stored.unread as string[]) : []);
  const unread: LambdaFeature[] = [];
  for (const feature of failed) {
    if (!stored || neverRead.has(feature)) unread.push(feature);
    else for (const field of FIELDS[feature]) if (field in stored) out[field] = stored[field];
  }
  if (unread.length) out.unread = [...new Set(unread)].sort();
  return out as unknown as LambdaConfig;
}

/** The IAM actions of the features a config lists as never read. */
export function unreadActions(config: { unread?: unknown }): string[] {
  if (!Array.isArray(config.unread)) return [];
  return config.unread.filter((f): f is LambdaFeature => f in LAMBDA_FEATURES).map((f) => LAMBDA_FEATURES[f]);
}
