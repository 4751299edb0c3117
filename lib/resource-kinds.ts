/** The resource kinds discovery stores, as the ResourceKind enum of prisma/schema.prisma lists them. */
export const RESOURCE_KINDS = ["lambda", "sqs", "apigateway", "dynamodb", "kinesis", "firehose", "stepfunctions", "sns", "eventbridge"] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
