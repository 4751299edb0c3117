/** A short, secret-free description of an AWS SDK error for ingest runs and CLI messages. */
export function describeAwsError(err: unknown): string {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; code?: string };
  const status = e?.$metadata?.httpStatusCode;
  const name = e?.name ?? e?.code ?? "Error";
  return `${name}${status ? ` (HTTP ${status})` : ""}: ${e?.message ?? String(err)}`.slice(0, 500);
}

export function isThrottling(err: unknown): boolean {
  const name = (err as { name?: string })?.name ?? "";
  return /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/.test(name);
}
