import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { aadFor, openStored } from "../crypto/secrets";

export interface AccountAccess {
  id: number;
  credentialMethod: "default_chain" | "profile" | "assume_role";
  profile: string | null;
  roleArn: string | null;
  externalId: string | null;
  isSandbox: boolean;
  endpointUrl: string | null;
}

// The sandbox checks the SigV4 shape, not the secret: any fixed pair signs for it.
const SANDBOX_CREDENTIALS = { accessKeyId: "AKIAOSPREYSANDBOX000", secretAccessKey: "osprey-sandbox-not-a-secret" };

export interface AssumeRoleInput {
  roleArn: string;
  /** in clear */
  externalId: string | null;
  sessionName: string;
  region: string;
  /** The sandbox's endpoint: its STS is asked, with the sandbox's credentials, instead of AWS's. */
  sandboxEndpoint?: string | null;
}

/** Temporary credentials of a role, assumed with Osprey's own credentials (or the sandbox's). */
export function assumeRoleCredentials(r: AssumeRoleInput): AwsCredentialIdentityProvider {
  return fromTemporaryCredentials({
    params: { RoleArn: r.roleArn, RoleSessionName: r.sessionName, ExternalId: r.externalId ?? undefined, DurationSeconds: 3600 },
    clientConfig: { region: r.region, ...(r.sandboxEndpoint ? { endpoint: r.sandboxEndpoint, maxAttempts: 1 } : {}) },
    ...(r.sandboxEndpoint ? { masterCredentials: SANDBOX_CREDENTIALS } : {}),
  });
}

/** Credentials for an account, by its configured method; the SDK's own chain when nothing else is named. */
export function credentialsFor(account: AccountAccess, region: string): AwsCredentialIdentityProvider {
  if (account.isSandbox && account.credentialMethod !== "assume_role") return async () => SANDBOX_CREDENTIALS;
  switch (account.credentialMethod) {
    case "profile":
      return fromIni({ profile: account.profile ?? undefined });
    case "assume_role":
      if (!account.roleArn) throw new Error(`account ${account.id}: assume_role needs a role ARN`);
      return assumeRoleCredentials({
        roleArn: account.roleArn,
        sessionName: `osprey-${account.id}`,
        // Sealed at rest (lib/db/accounts.ts): opened here, where the role is assumed, and nowhere else.
        externalId: account.externalId ? openStored(account.externalId, aadFor("accounts", "external_id", account.id)) : null,
        region,
        sandboxEndpoint: account.isSandbox ? account.endpointUrl : null,
      });
    default:
      return fromNodeProviderChain();
  }
}
