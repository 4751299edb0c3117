// Every AWS call Osprey sends to a monitored account, with the IAM action (and resources) it needs.
// The README's policy and `osprey iam-policy` are generated from this list, and a test holds it against
// every `new XxxCommand(` and `paginateXxx(` in the sources: a new call without an entry fails the test,
// and an entry no code sends any more fails it too, so the policy grants exactly what the code uses.

export interface AwsCall {
  /** The SDK package the command comes from. */
  sdk: string;
  /** The command's name without "Command" (what the SDK's paginator is named after too). */
  command: string;
  /** The IAM action, or null for calls IAM always allows (sts:GetCallerIdentity). */
  action: string | null;
  /** Resource ARNs the action is granted on. */
  resources: string[];
  /** Where the call is made and what for. */
  why: string;
  /** Calls made only for a feature the user turns on; not part of the read-only policy. */
  optional?: "sns-channel" | "push-setup";
  /** What Osprey loses while the action is denied, as onboarding's verify step says it ("… denied – <withoutIt>"). */
  withoutIt?: string;
  /** Nothing is monitored without it: verify fails instead of warning. */
  essential?: true;
}

const ANY = ["*"];
// API Gateway's IAM "actions" are HTTP verbs on resource paths: GET on * would also read API keys'
// values (/apikeys/*) and usage plans. Only the paths Osprey reads are granted.
const apigw = (path: string) => [`arn:aws:apigateway:*::${path}`];

export const AWS_CALLS: readonly AwsCall[] = [
  { sdk: "@aws-sdk/client-sts", command: "GetCallerIdentity", action: null, resources: [], why: "connection test and `ingest --once`: which account the credentials reach" },

  { sdk: "@aws-sdk/client-lambda", command: "ListFunctions", action: "lambda:ListFunctions", resources: ANY, why: "discovery: functions and their configuration", withoutIt: "no function is discovered, so nothing is monitored", essential: true },
  { sdk: "@aws-sdk/client-lambda", command: "ListTags", action: "lambda:ListTags", resources: ANY, why: "discovery: function tags", withoutIt: "function tags will not be shown or filterable" },
  { sdk: "@aws-sdk/client-lambda", command: "GetFunctionConcurrency", action: "lambda:GetFunctionConcurrency", resources: ANY, why: "discovery: reserved concurrency", withoutIt: "reserved concurrency will not be shown" },
  { sdk: "@aws-sdk/client-lambda", command: "GetFunctionEventInvokeConfig", action: "lambda:GetFunctionEventInvokeConfig", resources: ANY, why: "discovery: async retries and destinations", withoutIt: "async retry settings and destinations will not be shown" },
  { sdk: "@aws-sdk/client-lambda", command: "ListEventSourceMappings", action: "lambda:ListEventSourceMappings", resources: ANY, why: "discovery: queues and streams feeding a function", withoutIt: "the queues and streams feeding each function will not be shown" },
  { sdk: "@aws-sdk/client-lambda", command: "ListFunctionUrlConfigs", action: "lambda:ListFunctionUrlConfigs", resources: ANY, why: "discovery: function URLs and their auth type (Well-Architected review, SEC 1)", withoutIt: "function URLs will not be checked for open access" },
  { sdk: "@aws-sdk/client-lambda", command: "ListVersionsByFunction", action: "lambda:ListVersionsByFunction", resources: ANY, why: "discovery: published versions and their code (deploy tracking)", withoutIt: "published versions will not be shown" },
  { sdk: "@aws-sdk/client-lambda", command: "ListAliases", action: "lambda:ListAliases", resources: ANY, why: "discovery: aliases and the versions they point to (deploy tracking)", withoutIt: "aliases will not be shown" },
  { sdk: "@aws-sdk/client-lambda", command: "ListProvisionedConcurrencyConfigs", action: "lambda:ListProvisionedConcurrencyConfigs", resources: ANY, why: "discovery: provisioned concurrency", withoutIt: "provisioned concurrency will not be shown" },

  { sdk: "@aws-sdk/client-cloudwatch-logs", command: "DescribeLogGroups", action: "logs:DescribeLogGroups", resources: ANY, why: "discovery: log retention of each function's log group", withoutIt: "log retention will not be shown" },
  { sdk: "@aws-sdk/client-cloudwatch-logs", command: "FilterLogEvents", action: "logs:FilterLogEvents", resources: ANY, why: "log ingestion", withoutIt: "logs and invocations will not be collected", essential: true },
  { sdk: "@aws-sdk/client-cloudwatch-logs", command: "StartQuery", action: "logs:StartQuery", resources: ANY, why: "log ingestion at scale: Logs Insights reads up to 50 log groups a query when the active functions exceed what FilterLogEvents reads in a pass", withoutIt: "large fleets are read by FilterLogEvents alone, so their logs arrive later" },
  { sdk: "@aws-sdk/client-cloudwatch-logs", command: "GetQueryResults", action: "logs:GetQueryResults", resources: ANY, why: "log ingestion at scale: the rows of those Logs Insights queries", withoutIt: "large fleets are read by FilterLogEvents alone, so their logs arrive later" },
  { sdk: "@aws-sdk/client-cloudwatch-logs", command: "StopQuery", action: "logs:StopQuery", resources: ANY, why: "log ingestion at scale: stops a Logs Insights query that runs too long", withoutIt: "a Logs Insights query that runs too long keeps running (and scanning) to its end" },

  { sdk: "@aws-sdk/client-cloudwatch", command: "GetMetricData", action: "cloudwatch:GetMetricData", resources: ANY, why: "metric ingestion (throttles, concurrency, queue and API metrics)", withoutIt: "metrics (throttles, concurrency, queue and API metrics) will not be collected" },

  { sdk: "@aws-sdk/client-xray", command: "GetTraceSummaries", action: "xray:GetTraceSummaries", resources: ANY, why: "trace ingestion: which traces a function has", withoutIt: "traces will not be collected" },
  { sdk: "@aws-sdk/client-xray", command: "BatchGetTraces", action: "xray:BatchGetTraces", resources: ANY, why: "trace ingestion: the segments of those traces", withoutIt: "traces will not be collected" },

  { sdk: "@aws-sdk/client-sqs", command: "ListQueues", action: "sqs:ListQueues", resources: ANY, why: "discovery: queues", withoutIt: "SQS queues will not be discovered" },
  { sdk: "@aws-sdk/client-sqs", command: "GetQueueAttributes", action: "sqs:GetQueueAttributes", resources: ANY, why: "discovery: queue settings and redrive policy", withoutIt: "queue settings and redrive policies will not be shown" },

  { sdk: "@aws-sdk/client-api-gateway", command: "GetRestApis", action: "apigateway:GET", resources: apigw("/restapis"), why: "discovery: REST APIs", withoutIt: "REST APIs will not be discovered" },
  { sdk: "@aws-sdk/client-api-gateway", command: "GetStages", action: "apigateway:GET", resources: apigw("/restapis/*/stages"), why: "discovery: stages of each REST API", withoutIt: "REST API stages will not be discovered" },
  { sdk: "@aws-sdk/client-api-gateway", command: "GetResources", action: "apigateway:GET", resources: apigw("/restapis/*/resources"), why: "discovery: each REST API method's authorization type (Well-Architected review, SEC 1)", withoutIt: "REST API methods will not be checked for an authorizer" },
  { sdk: "@aws-sdk/client-apigatewayv2", command: "GetApis", action: "apigateway:GET", resources: apigw("/apis"), why: "discovery: HTTP and WebSocket APIs", withoutIt: "HTTP and WebSocket APIs will not be discovered" },
  { sdk: "@aws-sdk/client-apigatewayv2", command: "GetStages", action: "apigateway:GET", resources: apigw("/apis/*/stages"), why: "discovery: stages of each HTTP or WebSocket API", withoutIt: "HTTP and WebSocket API stages will not be discovered" },

  { sdk: "@aws-sdk/client-apigatewayv2", command: "GetRoutes", action: "apigateway:GET", resources: apigw("/apis/*/routes"), why: "discovery: each HTTP or WebSocket route's authorization type (Well-Architected review, SEC 1)", withoutIt: "HTTP and WebSocket routes will not be checked for an authorizer" },

  { sdk: "@aws-sdk/client-dynamodb", command: "ListTables", action: "dynamodb:ListTables", resources: ANY, why: "discovery: tables", withoutIt: "DynamoDB tables will not be discovered" },
  { sdk: "@aws-sdk/client-dynamodb", command: "DescribeContinuousBackups", action: "dynamodb:DescribeContinuousBackups", resources: ANY, why: "discovery: point-in-time recovery of each table (Well-Architected review, REL 2)", withoutIt: "tables will not be checked for point-in-time recovery" },
  { sdk: "@aws-sdk/client-dynamodb", command: "DescribeTable", action: "dynamodb:DescribeTable", resources: ANY, why: "discovery: billing mode and streams", withoutIt: "table billing mode and streams will not be shown" },

  { sdk: "@aws-sdk/client-kinesis", command: "ListStreams", action: "kinesis:ListStreams", resources: ANY, why: "discovery: Kinesis data streams", withoutIt: "Kinesis streams will not be discovered" },
  { sdk: "@aws-sdk/client-kinesis", command: "DescribeStreamSummary", action: "kinesis:DescribeStreamSummary", resources: ANY, why: "discovery: stream mode, shards, retention and encryption", withoutIt: "stream settings will not be shown" },
  { sdk: "@aws-sdk/client-kinesis", command: "ListTagsForStream", action: "kinesis:ListTagsForStream", resources: ANY, why: "discovery: stream tags", withoutIt: "stream tags will not be shown" },
  { sdk: "@aws-sdk/client-firehose", command: "ListDeliveryStreams", action: "firehose:ListDeliveryStreams", resources: ANY, why: "discovery: Firehose delivery streams", withoutIt: "Firehose delivery streams will not be discovered" },
  { sdk: "@aws-sdk/client-firehose", command: "DescribeDeliveryStream", action: "firehose:DescribeDeliveryStream", resources: ANY, why: "discovery: source and destination of each delivery stream", withoutIt: "delivery stream sources and destinations will not be shown" },
  { sdk: "@aws-sdk/client-sfn", command: "ListStateMachines", action: "states:ListStateMachines", resources: ANY, why: "discovery: Step Functions state machines", withoutIt: "state machines will not be discovered" },
  { sdk: "@aws-sdk/client-sfn", command: "DescribeStateMachine", action: "states:DescribeStateMachine", resources: ANY, why: "discovery: states, logging and tracing of each state machine", withoutIt: "state machine settings will not be shown" },
  { sdk: "@aws-sdk/client-sfn", command: "ListTagsForResource", action: "states:ListTagsForResource", resources: ANY, why: "discovery: state machine tags", withoutIt: "state machine tags will not be shown" },
  { sdk: "@aws-sdk/client-sfn", command: "ListExecutions", action: "states:ListExecutions", resources: ANY, why: "discovery: the newest failed executions", withoutIt: "failed executions will not be listed" },
  { sdk: "@aws-sdk/client-sfn", command: "GetExecutionHistory", action: "states:GetExecutionHistory", resources: ANY, why: "discovery: the state each failed execution failed in", withoutIt: "failed executions will not name the state that failed" },
  { sdk: "@aws-sdk/client-sns", command: "ListTopics", action: "sns:ListTopics", resources: ANY, why: "discovery: SNS topics", withoutIt: "SNS topics will not be discovered" },
  { sdk: "@aws-sdk/client-sns", command: "GetTopicAttributes", action: "sns:GetTopicAttributes", resources: ANY, why: "discovery: topic settings", withoutIt: "topic settings will not be shown" },
  { sdk: "@aws-sdk/client-sns", command: "ListSubscriptionsByTopic", action: "sns:ListSubscriptionsByTopic", resources: ANY, why: "discovery: each topic's subscriptions", withoutIt: "topic subscriptions will not be shown" },
  { sdk: "@aws-sdk/client-sns", command: "GetSubscriptionAttributes", action: "sns:GetSubscriptionAttributes", resources: ANY, why: "discovery: each subscription's dead-letter queue", withoutIt: "subscriptions without a dead-letter queue will not be found" },
  { sdk: "@aws-sdk/client-sns", command: "ListTagsForResource", action: "sns:ListTagsForResource", resources: ANY, why: "discovery: topic tags", withoutIt: "topic tags will not be shown" },
  { sdk: "@aws-sdk/client-eventbridge", command: "ListRules", action: "events:ListRules", resources: ANY, why: "discovery: EventBridge rules of the default bus", withoutIt: "EventBridge rules will not be discovered" },
  { sdk: "@aws-sdk/client-eventbridge", command: "ListTargetsByRule", action: "events:ListTargetsByRule", resources: ANY, why: "discovery: each rule's targets and their dead-letter queues", withoutIt: "rule targets will not be shown" },
  { sdk: "@aws-sdk/client-eventbridge", command: "ListTagsForResource", action: "events:ListTagsForResource", resources: ANY, why: "discovery: rule tags", withoutIt: "rule tags will not be shown" },

  { sdk: "@aws-sdk/client-iam", command: "ListRolePolicies", action: "iam:ListRolePolicies", resources: ["arn:aws:iam::*:role/*"], why: "discovery: the inline policies of each function's execution role (Well-Architected review, SEC 2)", withoutIt: "function roles will not be checked for wildcard permissions" },
  { sdk: "@aws-sdk/client-iam", command: "GetRolePolicy", action: "iam:GetRolePolicy", resources: ["arn:aws:iam::*:role/*"], why: "discovery: each inline policy of a function role, summarised to its wildcard statements", withoutIt: "function roles will not be checked for wildcard permissions" },
  { sdk: "@aws-sdk/client-iam", command: "ListAttachedRolePolicies", action: "iam:ListAttachedRolePolicies", resources: ["arn:aws:iam::*:role/*"], why: "discovery: the managed policies attached to each function role", withoutIt: "managed policies of function roles will not be checked for wildcard permissions" },
  { sdk: "@aws-sdk/client-iam", command: "GetPolicy", action: "iam:GetPolicy", resources: ["arn:aws:iam::*:policy/*"], why: "discovery: the default version of each managed policy a function role attaches", withoutIt: "managed policies of function roles will not be checked for wildcard permissions" },
  { sdk: "@aws-sdk/client-iam", command: "GetPolicyVersion", action: "iam:GetPolicyVersion", resources: ["arn:aws:iam::*:policy/*"], why: "discovery: that version's document, summarised to its wildcard statements", withoutIt: "managed policies of function roles will not be checked for wildcard permissions" },

  // `osprey push-setup --apply` runs with the operator's own credentials, never the monitoring role.
  { sdk: "@aws-sdk/client-cloudwatch-logs", command: "PutSubscriptionFilter", action: "logs:PutSubscriptionFilter", resources: ["arn:aws:logs:*:*:log-group:/aws/lambda/*"], why: "`osprey push-setup --apply`: subscribes the chosen log groups to the Firehose stream (a write, with the operator's credentials and iam:PassRole on the logs role; not in the read-only role)", optional: "push-setup", withoutIt: "push-setup prints the CloudFormation template to apply instead" },
  { sdk: "@aws-sdk/client-cloudwatch-logs", command: "DescribeSubscriptionFilters", action: "logs:DescribeSubscriptionFilters", resources: ["arn:aws:logs:*:*:log-group:/aws/lambda/*"], why: "`osprey push-setup --apply`: checks the subscription filters it put", optional: "push-setup", withoutIt: "push-setup cannot confirm the filters it put" },
  { sdk: "@aws-sdk/client-sns", command: "Publish", action: "sns:Publish", resources: ["arn:aws:sns:*:*:*"], why: "SNS notification channels (the one write; scope it to your topic)", optional: "sns-channel", withoutIt: "SNS notification channels cannot deliver" },
];

export interface IamPolicy {
  Version: "2012-10-17";
  Statement: { Sid: string; Effect: "Allow"; Action: string[]; Resource: string | string[] }[];
}

/** "apigateway:GET" -> "ApigatewayGET": a statement id is alphanumeric. */
const sidPart = (action: string) => action.replace(/^./, (c) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, "");

/** The read-only policy Osprey needs on a monitored account: actions on "*" in one statement, scoped ones in their own. */
export function readOnlyPolicy(calls: readonly AwsCall[] = AWS_CALLS): IamPolicy {
  const needed = calls.filter((c) => c.action !== null && !c.optional);
  const anywhere = needed.filter((c) => c.resources.length === 1 && c.resources[0] === "*");
  const scoped = new Map<string, Set<string>>();
  for (const c of needed.filter((c) => !anywhere.includes(c))) {
    const set = scoped.get(c.action!) ?? new Set<string>();
    for (const r of c.resources) set.add(r);
    scoped.set(c.action!, set);
  }
  const uniqueSorted = (xs: string[]) => [...new Set(xs)].sort();
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "OspreyRead", Effect: "Allow", Action: uniqueSorted(anywhere.map((c) => c.action!)), Resource: "*" },
      ...[...scoped.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([action, resources]) => ({ Sid: `OspreyRead${sidPart(action)}`, Effect: "Allow" as const, Action: [action], Resource: [...resources] })),
    ],
  };
}

/** The policy as the README shows it and `osprey iam-policy` prints it. */
export function readOnlyPolicyJson(): string {
  return JSON.stringify(readOnlyPolicy(), null, 2);
}
