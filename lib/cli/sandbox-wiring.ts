import type { Env } from "../env";
import { countRealAccounts, findSandboxAccount, upsertSandboxAccount } from "../db/accounts";
import { freePort } from "../db/embedded";
import { getSandboxSetting, updateSandboxSetting } from "../db/sandbox-setting";
import { SANDBOX_AWS_ACCOUNT_ID, SANDBOX_REGIONS } from "../db/sandbox-switch";
import { portInUse } from "./processes";

/**
 * Decides whether `osprey start` runs the sandbox: when OSPREY_SANDBOX is on, or in auto mode
 * unless it was switched off in Settings, when no real account is connected yet or the sandbox
 * account was kept. Returns the arguments for `osprey sandbox`, with the account pointed at its
 * endpoint, or null.
 */
export async function prepareSandbox(_databaseUrl: string, e: Env): Promise<{ url: string; args: string[] } | null> {
  if (e.OSPREY_SANDBOX === "off") return null;
  if (e.OSPREY_SANDBOX === "auto") {
    const [real, sandbox, setting] = await Promise.all([countRealAccounts(), findSandboxAccount(), getSandboxSetting()]);
    if (!setting.enabled || (real > 0 && !sandbox)) return null;
  }
  let port = e.OSPREY_SANDBOX_PORT;
  if (port === 0 || (await portInUse(port, "127.0.0.1"))) port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  await upsertSandboxAccount(url, SANDBOX_AWS_ACCOUNT_ID, SANDBOX_REGIONS);
  await updateSandboxSetting({ endpointUrl: url });
  return { url, args: ["--port", String(port), "--backfill", "1d"] };
}
