import { createHash } from "node:crypto";
import { toYaml } from "./onboarding-template";

// What `osprey push-setup` sets up on a monitored account so its Lambda logs reach Osprey in seconds:
// a Firehose delivery stream whose HTTP endpoint destination is Osprey's /api/v1/ingest/firehose with the
// account's Firehose key (failed deliveries kept in an S3 bucket, as Firehose requires), the role
// Firehose uses for that bucket, the role CloudWatch Logs uses to put records into the stream, and one
// subscription filter per log group. One CloudFormation template is the single description: the dry
// run, --cloudformation and --apply all read it. Pure: no I/O.

export const FIREHOSE_PATH = "/api/v1/ingest/firehose";
export const DEFAULT_STREAM_NAME = "osprey-push";
export const FILTER_NAME = "osprey";
export const STREAM_ID = "OspreyDeliveryStream";
export const BUCKET_ID = "OspreyBackupBucket";
export const FIREHOSE_ROLE_ID = "OspreyFirehoseRole";
export const LOGS_ROLE_ID = "OspreyLogsToFirehoseRole";
export const ACCESS_KEY_PARAMETER = "OspreyFirehoseAccessKey";

export interface PushSetupInput {
  /** The monitored AWS account (12 digits) and region the log groups live in. */
  awsAccountId: string;
  region: string;
  /** Osprey's public address (OSPREY_PUBLIC_URL): the stream delivers to it + FIREHOSE_PATH. */
  publicUrl: string;
  /** The account's Firehose key; without it the template asks for it as a NoEcho parameter. */
  accessKey?: string;
  logGroups: string[];
  streamName?: string;
  /** Seconds Firehose buffers before a delivery: the floor of push freshness. */
  bufferSeconds?: number;
}

type Value = string | number | boolean | { Ref: string } | { "Fn::GetAtt": [string, string] } | { "Fn::Sub": string } | Value[] | { [k: string]: Value };

export interface CfnResource {
  Type: string;
  DependsOn?: string[];
  Properties: Record<string, Value>;
}

export interface PushTemplate {
  AWSTemplateFormatVersion: "2010-09-09";
  Description: string;
  Parameters: Record<string, { Type: "String"; NoEcho: true; Description: string; MinLength: number }>;
  Resources: Record<string, CfnResource>;
  Outputs: Record<string, { Description: string; Value: Value }>;
}

export function firehoseEndpointUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, "")}${FIREHOSE_PATH}`;
}

/** A CloudFormation logical id for a log group's filter: alphanumeric, readable, unique by a hash of the full name. */
export function filterLogicalId(logGroup: string): string {
  const readable = logGroup.replace(/^\/aws\/lambda\//, "").replace(/[^A-Za-z0-9]/g, "").slice(0, 60);
  return `OspreyFilter${readable}${createHash("sha256").update(logGroup).digest("hex").slice(0, 8)}`;
}

const arnPartition = "arn:${AWS::Partition}";

export function buildPushTemplate(input: PushSetupInput): PushTemplate {
  const streamName = input.streamName ?? DEFAULT_STREAM_NAME;
  if (!input.logGroups.length) throw new Error("no log groups to subscribe");
  if (!/^[0-9]{12}$/.test(input.awsAccountId)) throw new Error(`"${input.awsAccountId}" is not a 12-digit AWS account id`);
  const url = firehoseEndpointUrl(input.publicUrl);
  if (!url.startsWith("https://")) throw new Error(`Firehose delivers only to https:// endpoints, and the endpoint would be ${url}: set OSPREY_PUBLIC_URL to Osprey's https address`);
  const accessKey: Value = input.accessKey ?? { Ref: ACCESS_KEY_PARAMETER };
  const bucketArn: Value = { "Fn::GetAtt": [BUCKET_ID, "Arn"] };
  const streamArn: Value = { "Fn::GetAtt": [STREAM_ID, "Arn"] };

  const filters: Record<string, CfnResource> = {};
  for (const logGroup of [...new Set(input.logGroups)].sort()) {
    filters[filterLogicalId(logGroup)] = {
      Type: "AWS::Logs::SubscriptionFilter",
      // CloudWatch Logs checks at creation that its role may put into the stream.
      DependsOn: [LOGS_ROLE_ID],
      Properties: { LogGroupName: logGroup, FilterName: FILTER_NAME, FilterPattern: "", DestinationArn: streamArn, RoleArn: { "Fn::GetAtt": [LOGS_ROLE_ID, "Arn"] } },
    };
  }

  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: `Osprey push: CloudWatch Logs of ${input.logGroups.length} log group(s) to Osprey through the Firehose stream ${streamName}.`,
    Parameters: input.accessKey
      ? {}
      : { [ACCESS_KEY_PARAMETER]: { Type: "String", NoEcho: true, MinLength: 16, Description: "The account's Firehose key (Osprey: Settings → Accounts → Rotate Firehose key)" } },
    Resources: {
      [BUCKET_ID]: {
        Type: "AWS::S3::Bucket",
        Properties: {
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
          BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }] },
          LifecycleConfiguration: { Rules: [{ Id: "expire-failed-deliveries", Status: "Enabled", ExpirationInDays: 14 }] },
        },
      },
      [FIREHOSE_ROLE_ID]: {
        Type: "AWS::IAM::Role",
        Properties: {
          Description: "Firehose writes the deliveries Osprey did not accept to the backup bucket",
          AssumeRolePolicyDocument: {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "firehose.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": { Ref: "AWS::AccountId" } } } }],
          },
          Policies: [
            {
              PolicyName: "osprey-backup-bucket",
              PolicyDocument: {
                Version: "2012-10-17",
                Statement: [
                  { Effect: "Allow", Action: ["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject"], Resource: [bucketArn, { "Fn::Sub": `\${${BUCKET_ID}.Arn}/*` }] },
                ],
              },
            },
          ],
        },
      },
      [STREAM_ID]: {
        Type: "AWS::KinesisFirehose::DeliveryStream",
        Properties: {
          DeliveryStreamName: streamName,
          DeliveryStreamType: "DirectPut",
          HttpEndpointDestinationConfiguration: {
            EndpointConfiguration: { Name: "Osprey", Url: url, AccessKey: accessKey },
            RequestConfiguration: { ContentEncoding: "GZIP" },
            // 5 s: bench:freshness --mode push measured p95 10.5 s with a 10 s buffer, 6.0 s with 5 s (target 10 s).
            BufferingHints: { IntervalInSeconds: input.bufferSeconds ?? 5, SizeInMBs: 1 },
            RetryOptions: { DurationInSeconds: 300 },
            RoleARN: { "Fn::GetAtt": [FIREHOSE_ROLE_ID, "Arn"] },
            S3BackupMode: "FailedDataOnly",
            S3Configuration: { BucketARN: bucketArn, RoleARN: { "Fn::GetAtt": [FIREHOSE_ROLE_ID, "Arn"] }, CompressionFormat: "UNCOMPRESSED", Prefix: "osprey-failed/" },
          },
        },
      },
      [LOGS_ROLE_ID]: {
        Type: "AWS::IAM::Role",
        Properties: {
          Description: "CloudWatch Logs puts the subscribed log groups' events into Osprey's Firehose stream",
          AssumeRolePolicyDocument: {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { Service: "logs.amazonaws.com" },
                Action: "sts:AssumeRole",
                // Only this account's log groups in this region (the confused-deputy guard AWS documents).
                Condition: { StringLike: { "aws:SourceArn": { "Fn::Sub": `${arnPartition}:logs:\${AWS::Region}:\${AWS::AccountId}:*` } } },
              },
            ],
          },
          Policies: [{ PolicyName: "osprey-put-into-stream", PolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["firehose:PutRecord", "firehose:PutRecordBatch"], Resource: [streamArn] }] } }],
        },
      },
      ...filters,
    },
    Outputs: {
      DeliveryStreamArn: { Description: "The Firehose stream the subscription filters deliver to", Value: streamArn },
      LogsRoleArn: { Description: "The role CloudWatch Logs assumes to put into the stream", Value: { "Fn::GetAtt": [LOGS_ROLE_ID, "Arn"] } },
    },
  };
}

export function renderPushTemplate(template: PushTemplate, format: "yaml" | "json"): string {
  return format === "json" ? `${JSON.stringify(template, null, 2)}\n` : toYaml(template);
}

/** The stream's and the logs role's ARNs once created under their default names. */
export function streamArn(input: Pick<PushSetupInput, "awsAccountId" | "region" | "streamName">): string {
  return `arn:aws:firehose:${input.region}:${input.awsAccountId}:deliverystream/${input.streamName ?? DEFAULT_STREAM_NAME}`;
}

/** What the template makes, one line each, for the dry run. */
export function describePushTemplate(template: PushTemplate): string[] {
  const lines: string[] = [];
  for (const [id, r] of Object.entries(template.Resources)) {
    const p = r.Properties;
    if (r.Type === "AWS::KinesisFirehose::DeliveryStream") {
      const d = p.HttpEndpointDestinationConfiguration as { EndpointConfiguration: { Url: string; AccessKey: Value }; BufferingHints: { IntervalInSeconds: number } };
      const key = typeof d.EndpointConfiguration.AccessKey === "string" ? "the account's Firehose key" : `the ${ACCESS_KEY_PARAMETER} parameter`;
      lines.push(`create Firehose delivery stream ${String(p.DeliveryStreamName)} (${id}): HTTP endpoint ${d.EndpointConfiguration.Url}, access key = ${key}, buffer ${d.BufferingHints.IntervalInSeconds} s, GZIP, failed deliveries to the backup bucket`);
    } else if (r.Type === "AWS::S3::Bucket") lines.push(`create S3 bucket ${id}: Firehose's backup of deliveries Osprey did not accept (private, encrypted, expires after 14 days)`);
    else if (r.Type === "AWS::IAM::Role") {
      const doc = (p.Policies as { PolicyDocument: { Statement: { Action: string[] }[] } }[])[0].PolicyDocument;
      const principal = ((p.AssumeRolePolicyDocument as { Statement: { Principal: { Service: string } }[] }).Statement[0].Principal.Service);
      lines.push(`create IAM role ${id} for ${principal}: ${doc.Statement.flatMap((s) => s.Action).join(", ")}`);
    } else if (r.Type === "AWS::Logs::SubscriptionFilter") lines.push(`put subscription filter "${String(p.FilterName)}" on ${String(p.LogGroupName)} (all events) → the stream`);
  }
  return lines;
}
