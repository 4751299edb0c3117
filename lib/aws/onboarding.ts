import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { randomBytes } from "node:crypto";
import { createAwsClients, destroyAwsClients } from "./clients";
import { assumeRoleCredentials, type AccountAccess } from "./credentials";
import { describeAwsError } from "./errors";
import { cliDeployCommands, DEFAULT_STACK_NAME, principalFromCallerArn, quickCreateUrl, stackSetCommands, TEMPLATE_FILE } from "./onboarding-template";
import { testConnection, type ConnectionTest } from "./test-connection";

/** A fresh ExternalId: 128 random bits, in the characters IAM accepts. */
export function generateExternalId(): string {
  return `osprey-${randomBytes(16).toString("hex")}`;
}

export type PrincipalSource = "configured" | "credentials" | "sandbox";
export type ResolvedPrincipal = { arn: string; source: PrincipalSource } | { arn: null; error: string };

const NO_SANDBOX_ID = 0;

function callerClients(sandboxEndpoint: string | null, region: string) {
  const account: AccountAccess = { id: NO_SANDBOX_ID, credentialMethod: "default_chain", profile: null, roleArn: null, externalId: null, isSandbox: sandboxEndpoint !== null, endpointUrl: sandboxEndpoint };
  return createAwsClients(account, region, { maxAttempts: 1 });
}

async function callerArn(sandboxEndpoint: string | null, region: string): Promise<string> {
  const c = callerClients(sandboxEndpoint, region);
  try {
    const id = await c.sts.send(new GetCallerIdentityCommand({}));
    if (!id.Arn) throw new Error("GetCallerIdentity answered no ARN");
    return principalFromCallerArn(id.Arn);
  } finally {
    destroyAwsClients(c);
  }
}

/**
 * Whom the template trusts: OSPREY_AWS_PRINCIPAL when set, else the caller identity of Osprey's own
 * credentials (an assumed-role session becomes its role), else, with the sandbox running, the sandbox's.
 */
export async function resolvePrincipal(opts: { configured?: string; sandboxEndpoint: string | null; region: string }): Promise<ResolvedPrincipal> {
  if (opts.configured) return { arn: opts.configured, source: "configured" };
  let failure: string;
  try {
    return { arn: await callerArn(null, opts.region), source: "credentials" };
  } catch (err) {
    failure = describeAwsError(err);
  }
  if (opts.sandboxEndpoint) {
    try {
      return { arn: await callerArn(opts.sandboxEndpoint, opts.region), source: "sandbox" };
    } catch {
      // fall through to the credentials' own failure, which says more
    }
  }
  return { arn: null, error: `Osprey's credentials do not say who Osprey is (${failure}): set OSPREY_AWS_PRINCIPAL to the IAM user or role Osprey runs as.` };
}

export interface VerifyInput {
  roleArn: string;
  externalId: string;
  region: string;
  /** the running sandbox's endpoint when the role is in the sandbox's account */
  sandboxEndpoint: string | null;
}

/** Assumes the role with the external id (on the sandbox's STS for a sandbox role), then probes each permission. */
export function verifyRole(v: VerifyInput): Promise<ConnectionTest> {
  const account: AccountAccess = { id: NO_SANDBOX_ID, credentialMethod: "assume_role", profile: null, roleArn: v.roleArn, externalId: null, isSandbox: v.sandboxEndpoint !== null, endpointUrl: v.sandboxEndpoint };
  const credentials = assumeRoleCredentials({ roleArn: v.roleArn, externalId: v.externalId, sessionName: "osprey-onboarding", region: v.region, sandboxEndpoint: v.sandboxEndpoint });
  return testConnection(account, v.region, { credentials });
}

/** The account id in an ARN ("arn:aws:iam::123456789012:role/x" -> "123456789012"). */
export const accountOfArn = (arn: string): string | null => /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1] ?? null;

export interface StartInput {
  region: string;
  /** asked for in the request */
  principal?: string;
  /** OSPREY_AWS_PRINCIPAL */
  configured?: string;
  sandboxEndpoint: string | null;
}

/** A fresh ExternalId, whom to trust, and every way to deploy the template with both filled in. */
export async function startOnboarding(s: StartInput) {
  const externalId = generateExternalId();
  const resolved = await resolvePrincipal({ configured: s.principal ?? s.configured, sandboxEndpoint: s.sandboxEndpoint, region: s.region });
  const principalArn = resolved.arn ?? "arn:aws:iam::OSPREY-ACCOUNT-ID:role/OSPREY-ROLE";
  const templateUrl = (format: "yaml" | "json") => `/api/v1/onboarding/template?${new URLSearchParams({ format, externalId, ...(resolved.arn ? { principal: resolved.arn } : {}) })}`;
  const deploy = { principalArn, externalId, region: s.region };
  return {
    externalId,
    principal: "source" in resolved ? { arn: resolved.arn, source: resolved.source, error: null } : { arn: null, source: null, error: resolved.error },
    region: s.region,
    stackName: DEFAULT_STACK_NAME,
    templateFile: TEMPLATE_FILE,
    templateUrls: { yaml: templateUrl("yaml"), json: templateUrl("json") },
    quickCreateUrl: quickCreateUrl(deploy),
    cliCommands: cliDeployCommands(deploy),
    stackSetCommands: stackSetCommands(deploy),
    sandbox: s.sandboxEndpoint !== null,
  };
}
