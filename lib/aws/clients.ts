import { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { ApiGatewayV2Client } from "@aws-sdk/client-apigatewayv2";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { SQSClient } from "@aws-sdk/client-sqs";
import { STSClient } from "@aws-sdk/client-sts";
import { XRayClient } from "@aws-sdk/client-xray";
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
}

export interface ClientOptions {
  maxAttempts?: number;
  /** tests: shorter backoff, a smaller budget */
  retry?: Partial<RetryBudgetOptions>;
}

/**
 * SDK clients for one account and region. Only the sandbox account names an endpoint;
 * every real account resolves endpoints as the SDK does (AWS_ENDPOINT_URL and friends apply).
 */
export function createAwsClients(account: AccountAccess, region: string, opts: ClientOptions = {}): AwsClients {
  const maxAttempts = opts.maxAttempts ?? MAX_ATTEMPTS;
  const shared = {
    region,
    credentials: credentialsFor(account, region),
    maxAttempts,
    ...(account.isSandbox && account.endpointUrl ? { endpoint: account.endpointUrl } : {}),
  };
  // A budget of each client's own: a storm on one service does not spend the others' retries.
  const config = () => ({ ...shared, retryStrategy: new RetryBudget({ ...opts.retry, maxAttempts }) });
  return {
    logs: new CloudWatchLogsClient(config()),
    cloudwatch: new CloudWatchClient(config()),
    xray: new XRayClient(config()),
    lambda: new LambdaClient(config()),
    sts: new STSClient(config()),
    sqs: new SQSClient(config()),
    apigateway: new APIGatewayClient(config()),
    apigatewayv2: new ApiGatewayV2Client(config()),
    dynamodb: new DynamoDBClient(config()),
  };
}

export function destroyAwsClients(c: AwsClients): void {
  for (const client of Object.values(c)) client.destroy();
}
