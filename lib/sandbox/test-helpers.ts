import type { Sandbox } from "./index";

export const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
export const HOUR = 3_600_000;
export const MIN = 60_000;

export function clientConfig(sb: Sandbox, region = "us-east-1") {
  return { endpoint: sb.url, region, credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 };
}

/** Runs fn and returns the error it throws (fails when it does not throw). */
export async function caught(fn: () => Promise<unknown>): Promise<Error & { name: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await fn();
  } catch (err) {
    return err as Error & { name: string; $metadata?: { httpStatusCode?: number } };
  }
  throw new Error("expected an error");
}
