import type { Env } from "../env";
import { countRealAccounts, findSandboxAccount, upsertSandboxAccount } from "../db/accounts";
import { freePort } from "../db/embedded";
import { portInUse } from "./processes";

export const SANDBOX_AWS_ACCOUNT_ID = "123456789012";
export const SANDBOX_REGIONS = ["us-east-1", "eu-west-1"];

/**
 * Decides whether `osprey start` runs the sandbox: when it is switched on, or in auto mode
 * when no real account is connected yet or the sandbox account was kept. Returns the
 * arguments for `osprey sandbox`, with the account pointed at its endpoint, or null.
 */
export async function prepareSandbox(_databaseUrl: string, e: Env): Promise<{ url: string; args: string[] } | null> {
  if (e.OSPREY_SANDBOX === "off") return null;
  if (e.OSPREY_SANDBOX === "auto") {
    const [real, sandbox] = await Promise.all([countRealAccounts(), findSandboxAccount()]);
    if (real > 0 && !sandbox) return null;
  }
  let port = e.OSPREY_SANDBOX_PORT;
  if (port === 0 || (await portInUse(port, "127.0.0.1"))) port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  await upsertSandboxAccount(url, SANDBOX_AWS_ACCOUNT_ID, SANDBOX_REGIONS);
  return { url, args: ["--port", String(port), "--backfill", "1d"] };
}
