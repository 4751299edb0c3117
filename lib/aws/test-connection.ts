import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { deniedActionIn } from "./call-failure";
import { createAwsClients, destroyAwsClients, type ClientOptions } from "./clients";
import type { AccountAccess } from "./credentials";
import { describeAwsError } from "./errors";
import { probePermissions, type PermissionCheck } from "./permission-probes";

export type { PermissionCheck } from "./permission-probes";

export type ConnectionTest =
  | { ok: true; awsAccountId: string | null; arn: string | null; region: string; permissions: PermissionCheck[] }
  | { ok: false; region: string; error: string; permissions: PermissionCheck[] };

/** What the user reads when AssumeRole is refused: the usual causes, not only AWS's sentence. */
function describeConnectionError(err: unknown, roleArn: string | null): string {
  const detail = describeAwsError(err);
  if (roleArn && deniedActionIn(err) === "sts:AssumeRole") {
    return `Osprey may not assume ${roleArn}: the external id does not match the role's trust policy, or the role does not trust Osprey's principal. (${detail})`;
  }
  return detail;
}

/**
 * Asks STS who the configured credentials are (assuming the role first, when one is named), then
 * probes each action of the read-only policy so a denied one is named before ingestion misses it.
 */
export async function testConnection(account: AccountAccess, region: string, opts: Pick<ClientOptions, "credentials"> = {}): Promise<ConnectionTest> {
  const c = createAwsClients(account, region, { maxAttempts: 2, ...opts });
  try {
    let id;
    try {
      id = await c.sts.send(new GetCallerIdentityCommand({}));
    } catch (err) {
      return { ok: false, region, error: describeConnectionError(err, account.credentialMethod === "assume_role" ? account.roleArn : null), permissions: [] };
    }
    const permissions = await probePermissions(c, region, id.Account ?? "000000000000");
    return { ok: true, awsAccountId: id.Account ?? null, arn: id.Arn ?? null, region, permissions };
  } finally {
    destroyAwsClients(c);
  }
}
