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

/** The fresh config, with the fields of each failed feature taken from the stored config when there is one. */
export function carryForward(fresh: LambdaConfig, stored: Record<string, unknown> | undefined, failed: Iterable<LambdaFeature>): LambdaConfig {
  if (!stored) return fresh;
  const out: Record<string, unknown> = { ...fresh };
  for (const feature of failed) for (const field of FIELDS[feature]) if (field in stored) out[field] = stored[field];
  return out as unknown as LambdaConfig;
}
