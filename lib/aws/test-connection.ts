import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { createAwsClients, destroyAwsClients } from "./clients";
import type { AccountAccess } from "./credentials";
import { describeAwsError } from "./errors";

export type ConnectionTest = { ok: true; awsAccountId: string | null; arn: string | null; region: string } | { ok: false; region: string; error: string };

/** Asks STS who the configured credentials are (assuming the role first, when one is named). */
export async function testConnection(account: AccountAccess, region: string): Promise<ConnectionTest> {
  const c = createAwsClients(account, region, { maxAttempts: 2 });
  try {
    const id = await c.sts.send(new GetCallerIdentityCommand({}));
    return { ok: true, awsAccountId: id.Account ?? null, arn: id.Arn ?? null, region };
  } catch (err) {
    return { ok: false, region, error: describeAwsError(err) };
  } finally {
    destroyAwsClients(c);
  }
}
