import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { credentialsFor } from "@/lib/aws/credentials";
import type { AccountRow } from "@/lib/db/account-access";
import type { SendOutcome } from "../policy";
import type { SnsMessage } from "../render/sns";

const THROTTLING = new Set(["Throttling", "ThrottlingException", "ThrottledException", "KMSThrottlingException", "RequestThrottled"]);

/** Region of a topic, from its ARN. */
export const topicRegion = (topicArn: string) => topicArn.split(":")[3];

/**
 * Publishes through the SDK: with an Osprey account, its credentials (and the sandbox's endpoint for
 * the sandbox account); without one, the workers' own AWS configuration (AWS_ENDPOINT_URL_SNS applies).
 */
export async function publishSns(topicArn: string, msg: SnsMessage, account: AccountRow | null): Promise<SendOutcome> {
  const region = topicRegion(topicArn);
  const client = new SNSClient({
    region,
    maxAttempts: 2,
    requestHandler: { requestTimeout: 10_000, connectionTimeout: 5_000 },
    ...(account ? { credentials: credentialsFor(account, region) } : {}),
    ...(account?.isSandbox && account.endpointUrl ? { endpoint: account.endpointUrl } : {}),
  });
  try {
    const out = await client.send(new PublishCommand({ TopicArn: topicArn, ...msg }));
    return { ok: true, info: `SNS MessageId ${out.MessageId ?? "?"}` };
  } catch (err) {
    const e = err as Error & { $fault?: "client" | "server"; $metadata?: { httpStatusCode?: number } };
    const permanent = e.$fault === "client" && !THROTTLING.has(e.name) && e.$metadata?.httpStatusCode !== undefined;
    return { ok: false, permanent, error: `SNS ${e.name}: ${e.message}`.slice(0, 500) };
  } finally {
    client.destroy();
  }
}
