import net from "node:net";
import type { Env } from "../env";
import { deleteAccount, findSandboxAccount, upsertSandboxAccount } from "./accounts";
import { recordAudit, type Actor } from "./audit";
import { pool } from "./prisma";
import { getSandboxSetting, updateSandboxSetting } from "./sandbox-setting";

export const SANDBOX_AWS_ACCOUNT_ID = "123456789012";
export const SANDBOX_REGIONS = ["us-east-1", "eu-west-1"];

export type SandboxMode = Env["OSPREY_SANDBOX"];

export interface SandboxState {
  enabled: boolean;
  /** The sandbox account exists and is read by the workers. */
  connected: boolean;
  /** OSPREY_SANDBOX=on or off decides, and the switch cannot. */
  fixedBy: "OSPREY_SANDBOX" | null;
  /** Switched on while no sandbox endpoint runs: it starts with the next `osprey start`. */
  startsOnRestart: boolean;
}

function listening(endpointUrl: string): Promise<boolean> {
  const { hostname, port } = new URL(endpointUrl);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname.replace(/^\[|\]$/g, ""), port: Number(port) });
    socket.setTimeout(1000);
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}

export async function getSandboxState(mode: SandboxMode): Promise<SandboxState> {
  const [setting, account] = await Promise.all([getSandboxSetting(), findSandboxAccount()]);
  const enabled = mode === "auto" ? setting.enabled : mode === "on";
  return { enabled, connected: account !== null, fixedBy: mode === "auto" ? null : "OSPREY_SANDBOX", startsOnRestart: enabled && account === null };
}

/**
 * The Settings switch. Off: the sandbox account and everything stored for it are removed, and it
 * stays away across restarts. On: the account comes back at once when the sandbox endpoint of this
 * run still listens (its data is read again from the sandbox's history), else with the next start.
 */
export async function switchSandbox(mode: SandboxMode, enabled: boolean, actor: Actor): Promise<SandboxState> {
  if (mode !== "auto") return getSandboxState(mode);
  const setting = await updateSandboxSetting({ enabled });
  await recordAudit(pool(), actor, "settings.sandbox_changed", { kind: "settings", id: "sandbox", name: "Sandbox" }, { enabled });
  const account = await findSandboxAccount();
  if (!enabled && account) await deleteAccount(account.id, actor);
  if (enabled && !account && setting.endpointUrl && (await listening(setting.endpointUrl))) {
    await upsertSandboxAccount(setting.endpointUrl, SANDBOX_AWS_ACCOUNT_ID, SANDBOX_REGIONS);
  }
  return getSandboxState(mode);
}
