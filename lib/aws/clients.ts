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

// Throttling and 5xx are retried by the SDK's standard strategy: exponential backoff with
// full jitter, a retry quota per client. Eight attempts ride out a busy minute of throttling.
export const MAX_ATTEMPTS = 8;

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
}

/**
 * SDK clients for one account and region. Only the sandbox account names an endpoint;
 * every real account resolves endpoints as the SDK does (AWS_ENDPOINT_URL and friends apply).
 */
export function createAwsClients(account: AccountAccess, region: string, opts: ClientOptions = {}): AwsClients {
  const config = {
    region,
    credentials: credentialsFor(account, region),
    maxAttempts: opts.maxAttempts ?? MAX_ATTEMPTS,
    retryMode: "standard" as const,
    ...(account.isSandbox && account.endpointUrl ? { endpoint: account.endpointUrl } : {}),
  };
  return {
    logs: new CloudWatchLogsClient(config),
    cloudwatch: new CloudWatchClient(config),
    xray: new XRayClient(config),
    lambda: new LambdaClient(config),
    sts: new STSClient(config),
    sqs: new SQSClient(config),
    apigateway: new APIGatewayClient(config),
    apigatewayv2: new ApiGatewayV2Client(config),
    dynamodb: new DynamoDBClient(config),
  };
}

export function destroyAwsClients(c: AwsClients): void {
  for (const client of Object.values(c)) client.destroy();
}
