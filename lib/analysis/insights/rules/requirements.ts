// The IAM actions whose data each rule reads, named once so a rule lists them as `requires`. Every one is an
// action of lib/aws/permissions.ts (a unit test holds them to it): when discovery or ingest records a call
// of one failing for an account and region, the Well-Architected review says which action to grant.

/** Function configuration (runtime, memory, role, tracing, environment variable names, log format). */
export const CONFIG = "lambda:ListFunctions";
export const TAGS = "lambda:ListTags";
export const CONCURRENCY = "lambda:GetFunctionConcurrency";
export const INVOKE_CONFIG = "lambda:GetFunctionEventInvokeConfig";
export const EVENT_SOURCES = "lambda:ListEventSourceMappings";
export const PROVISIONED = "lambda:ListProvisionedConcurrencyConfigs";
export const FUNCTION_URLS = "lambda:ListFunctionUrlConfigs";
export const LOG_GROUPS = "logs:DescribeLogGroups";
/** REPORT lines and errors: invocations, durations, memory, cold starts. */
export const LOGS = "logs:FilterLogEvents";
export const METRICS = "cloudwatch:GetMetricData";
export const TRACES = ["xray:GetTraceSummaries", "xray:BatchGetTraces"] as const;
export const QUEUE_ATTRIBUTES = "sqs:GetQueueAttributes";
/** API Gateway reads are HTTP verbs on paths: GET on the APIs and their stages. */
export const API_READ = "apigateway:GET";
export const TABLE = "dynamodb:DescribeTable";
export const BACKUPS = "dynamodb:DescribeContinuousBackups";
export const STREAM = "kinesis:DescribeStreamSummary";
export const STATE_MACHINE = "states:DescribeStateMachine";
/** The failed executions and the state each failed in. */
export const FAILED_EXECUTIONS = ["states:ListExecutions", "states:GetExecutionHistory"] as const;
/** A topic's subscriptions and each one's redrive policy (its DLQ). */
export const SUBSCRIPTIONS = ["sns:ListSubscriptionsByTopic", "sns:GetSubscriptionAttributes"] as const;
export const RULE_TARGETS = "events:ListTargetsByRule";
/** The execution role's inline and attached policies: the wildcard-permission check reads them all. */
export const ROLE_POLICIES = ["iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:GetPolicy", "iam:GetPolicyVersion"] as const;
