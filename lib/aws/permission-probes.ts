import { GetApisCommand, GetRoutesCommand, GetStagesCommand as GetApiStagesCommand } from "@aws-sdk/client-apigatewayv2";
import { GetResourcesCommand, GetRestApisCommand, GetStagesCommand as GetRestApiStagesCommand } from "@aws-sdk/client-api-gateway";
import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeLogGroupsCommand, FilterLogEventsCommand, GetQueryResultsCommand, StartQueryCommand, StopQueryCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeContinuousBackupsCommand, DescribeTableCommand, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { ListRulesCommand, ListTagsForResourceCommand as ListRuleTagsCommand, ListTargetsByRuleCommand } from "@aws-sdk/client-eventbridge";
import { DescribeDeliveryStreamCommand, ListDeliveryStreamsCommand } from "@aws-sdk/client-firehose";
import { GetPolicyCommand, GetPolicyVersionCommand, GetRolePolicyCommand, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from "@aws-sdk/client-iam";
import { DescribeStreamSummaryCommand, ListStreamsCommand, ListTagsForStreamCommand } from "@aws-sdk/client-kinesis";
import {
  GetFunctionConcurrencyCommand,
  GetFunctionEventInvokeConfigCommand,
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
  ListFunctionUrlConfigsCommand,
  ListAliasesCommand,
  ListProvisionedConcurrencyConfigsCommand,
  ListVersionsByFunctionCommand,
  ListTagsCommand,
} from "@aws-sdk/client-lambda";
import {
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  ListTagsForResourceCommand as ListStateMachineTagsCommand,
} from "@aws-sdk/client-sfn";
import { GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, ListTagsForResourceCommand as ListSnsTagsCommand, ListTopicsCommand } from "@aws-sdk/client-sns";
import { GetQueueAttributesCommand, ListQueuesCommand } from "@aws-sdk/client-sqs";
import { BatchGetTracesCommand, GetTraceSummariesCommand } from "@aws-sdk/client-xray";
import { mapLimit } from "../util/map-limit";
import { classifyCallFailure } from "./call-failure";
import type { AwsClients } from "./clients";
import { describeAwsError } from "./errors";
import { AWS_CALLS, type AwsCall } from "./permissions";

// One cheap call per action of the read-only policy, to tell a role that lacks an action before
// ingestion finds out. Calls that need a resource name a made-up one: IAM is evaluated before the
// resource is looked up, so "not found" means allowed and only AccessDenied means denied.
const PROBE = "osprey-permission-probe";

interface ProbeContext {
  c: AwsClients;
  region: string;
  accountId: string;
}

type Probe = (p: ProbeContext) => Promise<unknown>;

const PROBES: Record<string, Probe> = {
  "@aws-sdk/client-lambda:ListFunctions": ({ c }) => c.lambda.send(new ListFunctionsCommand({ MaxItems: 1 })),
  "@aws-sdk/client-lambda:ListTags": ({ c, region, accountId }) => c.lambda.send(new ListTagsCommand({ Resource: `arn:aws:lambda:${region}:${accountId}:function:${PROBE}` })),
  "@aws-sdk/client-lambda:GetFunctionConcurrency": ({ c }) => c.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: PROBE })),
  "@aws-sdk/client-lambda:GetFunctionEventInvokeConfig": ({ c }) => c.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: PROBE })),
  "@aws-sdk/client-lambda:ListEventSourceMappings": ({ c }) => c.lambda.send(new ListEventSourceMappingsCommand({ MaxItems: 1 })),
  "@aws-sdk/client-lambda:ListProvisionedConcurrencyConfigs": ({ c }) => c.lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: PROBE, MaxItems: 1 })),
  "@aws-sdk/client-lambda:ListFunctionUrlConfigs": ({ c }) => c.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: PROBE, MaxItems: 1 })),
  "@aws-sdk/client-lambda:ListVersionsByFunction": ({ c }) => c.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: PROBE, MaxItems: 1 })),
  "@aws-sdk/client-lambda:ListAliases": ({ c }) => c.lambda.send(new ListAliasesCommand({ FunctionName: PROBE, MaxItems: 1 })),
  "@aws-sdk/client-cloudwatch-logs:DescribeLogGroups": ({ c }) => c.logs.send(new DescribeLogGroupsCommand({ limit: 1 })),
  "@aws-sdk/client-cloudwatch-logs:FilterLogEvents": ({ c }) => c.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${PROBE}`, limit: 1 })),
  // A log group that does not exist: AWS answers ResourceNotFoundException and runs no query (nothing scanned, nothing billed).
  "@aws-sdk/client-cloudwatch-logs:StartQuery": ({ c }) =>
    c.logs.send(new StartQueryCommand({ logGroupNames: [`/aws/lambda/${PROBE}`], startTime: Math.floor(Date.now() / 1000) - 60, endTime: Math.floor(Date.now() / 1000), queryString: "fields @timestamp | limit 1" })),
  "@aws-sdk/client-cloudwatch-logs:GetQueryResults": ({ c }) => c.logs.send(new GetQueryResultsCommand({ queryId: "00000000-0000-0000-0000-000000000000" })),
  "@aws-sdk/client-cloudwatch-logs:StopQuery": ({ c }) => c.logs.send(new StopQueryCommand({ queryId: "00000000-0000-0000-0000-000000000000" })),
  "@aws-sdk/client-cloudwatch:GetMetricData": ({ c }) => {
    const end = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    return c.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(end.getTime() - 300_000),
        EndTime: end,
        MetricDataQueries: [{ Id: "probe", MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "Invocations" }, Period: 60, Stat: "Sum" } }],
      }),
    );
  },
  "@aws-sdk/client-xray:GetTraceSummaries": ({ c }) => c.xray.send(new GetTraceSummariesCommand({ StartTime: new Date(Date.now() - 60_000), EndTime: new Date() })),
  "@aws-sdk/client-xray:BatchGetTraces": ({ c }) => c.xray.send(new BatchGetTracesCommand({ TraceIds: ["1-00000000-000000000000000000000000"] })),
  "@aws-sdk/client-sqs:ListQueues": ({ c }) => c.sqs.send(new ListQueuesCommand({ MaxResults: 1 })),
  "@aws-sdk/client-sqs:GetQueueAttributes": async ({ c, region, accountId }) => {
    // The SDK sends to the queue URL's host: a listed queue keeps the probe on the account's endpoint.
    const listed = await c.sqs.send(new ListQueuesCommand({ MaxResults: 1 })).catch(() => undefined);
    const url = listed?.QueueUrls?.[0] ?? `https://sqs.${region}.amazonaws.com/${accountId}/${PROBE}`;
    return c.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }));
  },
  "@aws-sdk/client-api-gateway:GetRestApis": ({ c }) => c.apigateway.send(new GetRestApisCommand({ limit: 1 })),
  "@aws-sdk/client-api-gateway:GetStages": ({ c }) => c.apigateway.send(new GetRestApiStagesCommand({ restApiId: "ospreyprobe" })),
  "@aws-sdk/client-api-gateway:GetResources": ({ c }) => c.apigateway.send(new GetResourcesCommand({ restApiId: "ospreyprobe", limit: 1 })),
  "@aws-sdk/client-apigatewayv2:GetRoutes": ({ c }) => c.apigatewayv2.send(new GetRoutesCommand({ ApiId: "ospreyprobe", MaxResults: "1" })),
  "@aws-sdk/client-apigatewayv2:GetApis": ({ c }) => c.apigatewayv2.send(new GetApisCommand({ MaxResults: "1" })),
  "@aws-sdk/client-apigatewayv2:GetStages": ({ c }) => c.apigatewayv2.send(new GetApiStagesCommand({ ApiId: "ospreyprobe" })),
  "@aws-sdk/client-dynamodb:ListTables": ({ c }) => c.dynamodb.send(new ListTablesCommand({ Limit: 1 })),
  "@aws-sdk/client-dynamodb:DescribeTable": ({ c }) => c.dynamodb.send(new DescribeTableCommand({ TableName: PROBE })),
  "@aws-sdk/client-kinesis:ListStreams": ({ c }) => c.kinesis.send(new ListStreamsCommand({ Limit: 1 })),
  "@aws-sdk/client-kinesis:DescribeStreamSummary": ({ c }) => c.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: PROBE })),
  "@aws-sdk/client-kinesis:ListTagsForStream": ({ c }) => c.kinesis.send(new ListTagsForStreamCommand({ StreamName: PROBE })),
  "@aws-sdk/client-firehose:ListDeliveryStreams": ({ c }) => c.firehose.send(new ListDeliveryStreamsCommand({ Limit: 1 })),
  "@aws-sdk/client-firehose:DescribeDeliveryStream": ({ c }) => c.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: PROBE })),
  "@aws-sdk/client-sfn:ListStateMachines": ({ c }) => c.sfn.send(new ListStateMachinesCommand({ maxResults: 1 })),
  "@aws-sdk/client-sfn:DescribeStateMachine": ({ c, region, accountId }) => c.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `arn:aws:states:${region}:${accountId}:stateMachine:${PROBE}` })),
  "@aws-sdk/client-sfn:ListTagsForResource": ({ c, region, accountId }) => c.sfn.send(new ListStateMachineTagsCommand({ resourceArn: `arn:aws:states:${region}:${accountId}:stateMachine:${PROBE}` })),
  "@aws-sdk/client-sfn:ListExecutions": ({ c, region, accountId }) => c.sfn.send(new ListExecutionsCommand({ stateMachineArn: `arn:aws:states:${region}:${accountId}:stateMachine:${PROBE}`, maxResults: 1 })),
  "@aws-sdk/client-sfn:GetExecutionHistory": ({ c, region, accountId }) => c.sfn.send(new GetExecutionHistoryCommand({ executionArn: `arn:aws:states:${region}:${accountId}:execution:${PROBE}:${PROBE}`, maxResults: 1 })),
  "@aws-sdk/client-sns:ListTopics": ({ c }) => c.sns.send(new ListTopicsCommand({})),
  "@aws-sdk/client-sns:GetTopicAttributes": ({ c, region, accountId }) => c.sns.send(new GetTopicAttributesCommand({ TopicArn: `arn:aws:sns:${region}:${accountId}:${PROBE}` })),
  "@aws-sdk/client-sns:ListSubscriptionsByTopic": ({ c, region, accountId }) => c.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: `arn:aws:sns:${region}:${accountId}:${PROBE}` })),
  "@aws-sdk/client-sns:GetSubscriptionAttributes": ({ c, region, accountId }) =>
    c.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: `arn:aws:sns:${region}:${accountId}:${PROBE}:00000000-0000-0000-0000-000000000000` })),
  "@aws-sdk/client-sns:ListTagsForResource": ({ c, region, accountId }) => c.sns.send(new ListSnsTagsCommand({ ResourceArn: `arn:aws:sns:${region}:${accountId}:${PROBE}` })),
  "@aws-sdk/client-eventbridge:ListRules": ({ c }) => c.events.send(new ListRulesCommand({ Limit: 1 })),
  "@aws-sdk/client-eventbridge:ListTargetsByRule": ({ c }) => c.events.send(new ListTargetsByRuleCommand({ Rule: PROBE })),
  "@aws-sdk/client-eventbridge:ListTagsForResource": ({ c, region, accountId }) => c.events.send(new ListRuleTagsCommand({ ResourceARN: `arn:aws:events:${region}:${accountId}:rule/${PROBE}` })),
  "@aws-sdk/client-iam:ListRolePolicies": ({ c }) => c.iam.send(new ListRolePoliciesCommand({ RoleName: PROBE, MaxItems: 1 })),
  "@aws-sdk/client-iam:GetRolePolicy": ({ c }) => c.iam.send(new GetRolePolicyCommand({ RoleName: PROBE, PolicyName: PROBE })),
  "@aws-sdk/client-iam:ListAttachedRolePolicies": ({ c }) => c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: PROBE, MaxItems: 1 })),
  "@aws-sdk/client-iam:GetPolicy": ({ c, accountId }) => c.iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${accountId}:policy/${PROBE}` })),
  "@aws-sdk/client-iam:GetPolicyVersion": ({ c, accountId }) => c.iam.send(new GetPolicyVersionCommand({ PolicyArn: `arn:aws:iam::${accountId}:policy/${PROBE}`, VersionId: "v1" })),
  "@aws-sdk/client-dynamodb:DescribeContinuousBackups": ({ c }) => c.dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: PROBE })),
};

/** The calls verify checks: every call of the read-only policy. */
export const PROBED_CALLS: readonly AwsCall[] = AWS_CALLS.filter((c) => c.action !== null && !c.optional);

export const hasProbe = (call: AwsCall) => `${call.sdk}:${call.command}` in PROBES;

export interface PermissionCheck {
  /** the IAM action, e.g. "xray:BatchGetTraces" */
  action: string;
  /** the SDK command probed, e.g. "BatchGetTraces" */
  call: string;
  status: "allowed" | "denied" | "unchecked";
  /** nothing is monitored without it */
  essential: boolean;
  /** for denied and unchecked: what the user reads, naming the action */
  message: string | null;
}

// AWS's answers for a resource that does not exist (some with HTTP 404, which alone would mean "not implemented").
const NOT_FOUND = /^(ResourceNotFoundException|NotFoundException|TableNotFoundException|QueueDoesNotExist|AWS\.SimpleQueueService\.NonExistentQueue|NotFound|ResourceNotFound|StateMachineDoesNotExist|ExecutionDoesNotExist|NoSuchEntity|NoSuchEntityException)$/;

// A few at a time: the account's API quotas are shared with ingestion.
const PROBE_CONCURRENCY = 4;

/** Probes every action of the read-only policy with the clients' credentials. */
export async function probePermissions(c: AwsClients, region: string, accountId: string): Promise<PermissionCheck[]> {
  return mapLimit([...PROBED_CALLS], PROBE_CONCURRENCY, async (call): Promise<PermissionCheck> => {
    const base = { action: call.action!, call: call.command, essential: call.essential === true };
    try {
      await PROBES[`${call.sdk}:${call.command}`]({ c, region, accountId });
      return { ...base, status: "allowed", message: null };
    } catch (err) {
      const kind = classifyCallFailure(err);
      if (kind === "denied" || kind === "credentials") return { ...base, status: "denied", message: `${call.action} denied – ${call.withoutIt ?? "its feature is unavailable"}` };
      // The made-up resource does not exist, or the request was refused on its merits: IAM allowed it.
      if (kind === "rejected" || NOT_FOUND.test((err as { name?: string })?.name ?? "")) return { ...base, status: "allowed", message: null };
      return { ...base, status: "unchecked", message: `${call.action} could not be checked: ${describeAwsError(err)}` };
    }
  });
}
