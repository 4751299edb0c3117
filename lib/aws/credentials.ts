import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentityProvider } from "@smithy/types";

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

/** Credentials for an account, by its configured method; the SDK's own chain when nothing else is named. */
export function credentialsFor(account: AccountAccess, region: string): AwsCredentialIdentityProvider {
  if (account.isSandbox) return async () => SANDBOX_CREDENTIALS;
  switch (account.credentialMethod) {
    case "profile":
      return fromIni({ profile: account.profile ?? undefined });
    case "assume_role":
      if (!account.roleArn) throw new Error(`account ${account.id}: assume_role needs a role ARN`);
      return fromTemporaryCredentials({
        params: {
          RoleArn: account.roleArn,
          RoleSessionName: `osprey-${account.id}`,
          ExternalId: account.externalId ?? undefined,
          DurationSeconds: 3600,
        },
        clientConfig: { region },
      });
    default:
      return fromNodeProviderChain();
  }
}
