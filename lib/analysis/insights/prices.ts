// The few prices the insight rules need, kept here so the rules do not depend on the cost model's
// internals. us-east-1, first tier; other regions are priced the same, an estimate stated in evidence.

export const PRICED_REGION = "us-east-1";

/** AWS Lambda pricing, https://aws.amazon.com/lambda/pricing/ (first tier, us-east-1). */
export const LAMBDA_USD_PER_GB_SECOND = {
  x86_64: 0.0000166667,
  arm64: 0.0000133334,
} as const;

/** AWS Lambda pricing, https://aws.amazon.com/lambda/pricing/: $0.20 per million requests. */
export const LAMBDA_USD_PER_REQUEST = 0.2 / 1_000_000;

/** Amazon CloudWatch pricing, https://aws.amazon.com/cloudwatch/pricing/: Logs ingestion $0.50 per GB, us-east-1. */
export const CLOUDWATCH_LOGS_USD_PER_INGESTED_GB = 0.5;

export const BYTES_PER_GB = 1024 ** 3;

// A month is 30 days wherever Osprey projects one (insight cards, the cost page's right-sizing), so one
// function's monthly figures agree on every card. AWS's pricing examples use 730 hours, 1.4 % more.
export const HOURS_PER_MONTH = 720;

export type LambdaArchitecture = keyof typeof LAMBDA_USD_PER_GB_SECOND;

export function computeCostUsd(gbSeconds: number, architecture: LambdaArchitecture): number {
  return gbSeconds * LAMBDA_USD_PER_GB_SECOND[architecture];
}

export function logIngestionCostUsd(bytes: number): number {
  return (bytes / BYTES_PER_GB) * CLOUDWATCH_LOGS_USD_PER_INGESTED_GB;
}

/** Scales an amount observed over [start, end) to a month (HOURS_PER_MONTH); null for an empty window. */
export function perMonth(amount: number, start: Date, end: Date): number | null {
  const hours = (end.getTime() - start.getTime()) / 3_600_000;
  return hours > 0 ? (amount * HOURS_PER_MONTH) / hours : null;
}

export function perDay(amount: number, start: Date, end: Date): number | null {
  const hours = (end.getTime() - start.getTime()) / 3_600_000;
  return hours > 0 ? (amount * 24) / hours : null;
}
