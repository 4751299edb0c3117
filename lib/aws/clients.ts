import { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { ApiGatewayV2Client } from "@aws-sdk/client-apigatewayv2";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { FirehoseClient } from "@aws-sdk/client-firehose";
import { IAMClient } from "@aws-sdk/client-iam";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { STSClient } from "@aws-sdk/client-sts";
import { XRayClient } from "@aws-sdk/client-xray";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { setMaxListeners } from "node:events";
import type { AwsCredentialIdentityProvider, MetadataBearer, MiddlewareStack } from "@smithy/types";
import { credentialsFor, type AccountAccess } from "./credentials";
import { RETRY_DEFAULTS, RetryBudget, type RetryBudgetOptions } from "./retry-budget";

// Throttling, 5xx and cut connections are retried with exponential backoff and full jitter, from a
// retry budget per client that refills with time (see RetryBudget). Eight attempts ride out a busy
// minute of throttling.
export const MAX_ATTEMPTS = RETRY_DEFAULTS.maxAttempts;

export interface AwsClients {
  logs: CloudWatchLogsClient;
  cloudwatch: CloudWatchClient;
  xray: XRayClient;
  lambda: LambdaClient;
  sts: STSClient;
  sqs: SQSClient;
  apigateway: APIGatewayClient;
  apigatewayv2: ApiGatewayV2Client;
  dynamodb: DynamoDBClient;
  sns: SNSClient;
  kinesis: KinesisClient;
  firehose: FirehoseClient;
  sfn: SFNClient;
  events: EventBridgeClient;
  /** Global: the SDK resolves the partition's one endpoint (iam.amazonaws.com, signed for us-east-1) from any region. */
  iam: IAMClient;
}

export interface ClientOptions {
  maxAttempts?: number;
  /** instead of the account's own (onboarding verifies a role before the account exists) */
  credentials?: AwsCredentialIdentityProvider;
  /** tests: shorter backoff, a smaller budget */
  retry?: Partial<RetryBudgetOptions>;
}

// Aborted when the worker process stops: calls in flight and retries waiting their turn end at once,
// so a pass stops within the shutdown grace instead of riding out minutes of backoff. What a pass
// committed stays, with its cursors; the rest is read again next time.
let shutdown = abortController();

function abortController(): AbortController {
  const c = new AbortController();
  // Every call in flight listens to it: dozens at once are normal, not a leak.
  setMaxListeners(0, c.signal);
  return c;
}

/** Makes every AWS call in flight, and every later one, fail with an AbortError. */
export function abortAwsCalls(reason = "Osprey is stopping"): void {
  shutdown.abort(Object.assign(new Error(reason), { name: "AbortError" }));
}

/** True once abortAwsCalls() ran: the worker is stopping, and a pass that failed now failed for that reason. */
export function awsCallsAborted(): boolean {
  return shutdown.signal.aborted;
}

/** Tests: let calls run again after abortAwsCalls(). */
export function resetAwsAbort(): void {
  shutdown = abortController();
}

type AnyClient = AwsClients[keyof AwsClients];

function abortOnShutdown<C extends AnyClient>(client: C): C {
  (client.middlewareStack as unknown as MiddlewareStack<object, MetadataBearer>).add(
    (next) => async (args) => {
      const signal = shutdown.signal;
      signal.throwIfAborted();
      let onAbort = () => {};
      const aborted = new Promise<never>((_, reject) => (onAbort = () => reject(signal.reason)));
      signal.addEventListener("abort", onAbort, { once: true });
      try {
        return await Promise.race([next(args), aborted]);
      } finally {
        signal.removeEventListener("abort", onAbort);
      }
    },
    { step: "initialize", name: "ospreyAbortOnShutdown" },
  );
  return client;
}

/**
 * SDK clients for one account and region. Only the sandbox account names an endpoint;
 * every real account resolves endpoints as the SDK does (AWS_ENDPOINT_URL and friends apply).
 */
export function createAwsClients(account: AccountAccess, region: string, opts: ClientOptions = {}): AwsClients {
  const maxAttempts = opts.maxAttempts ?? MAX_ATTEMPTS;
  const shared = {
    region,
    credentials: opts.credentials ?? credentialsFor(account, region),
    maxAttempts,
    ...(account.isSandbox && account.endpointUrl ? { endpoint: account.endpointUrl } : {}),
  };
  // A budget of each client's own: a storm on one service does not spend the others' retries.
  const config = () => ({ ...shared, retryStrategy: new RetryBudget({ ...opts.retry, maxAttempts }) });
  return {
    logs: abortOnShutdown(new CloudWatchLogsClient(config())),
    cloudwatch: abortOnShutdown(new CloudWatchClient(config())),
    xray: abortOnShutdown(new XRayClient(config())),
    lambda: abortOnShutdown(new LambdaClient(config())),
    sts: abortOnShutdown(new STSClient(config())),
    sqs: abortOnShutdown(new SQSClient(config())),
    apigateway: abortOnShutdown(new APIGatewayClient(config())),
    apigatewayv2: abortOnShutdown(new ApiGatewayV2Client(config())),
    dynamodb: abortOnShutdown(new DynamoDBClient(config())),
    sns: abortOnShutdown(new SNSClient(config())),
    // client-kinesis alone defaults to HTTP/2, which only SubscribeToShard needs. Osprey's control-plane
    // calls go over HTTP/1.1 like every other client's: one transport to reason about (proxies, resets,
    // the sandbox), and AWS answers both.
    kinesis: abortOnShutdown(new KinesisClient({ ...config(), requestHandler: new NodeHttpHandler() })),
    firehose: abortOnShutdown(new FirehoseClient(config())),
    sfn: abortOnShutdown(new SFNClient(config())),
    events: abortOnShutdown(new EventBridgeClient(config())),
    iam: abortOnShutdown(new IAMClient(config())),
  };
}

export function destroyAwsClients(c: AwsClients): void {
  for (const client of Object.values(c)) client.destroy();
}
