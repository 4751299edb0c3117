import { jsonRpc } from "../protocols/json-rpc";
import { AwsError } from "../protocols/types";
import {
  COVERAGE_CREATED, deliveryStreamArn, listDeliveryStreams, listStreams, streamArn, type DeliveryStreamSpec, type StreamSpec,
} from "../workload/coverage";
import { ACCOUNT_ID } from "../workload/catalog";
import { jsonService } from "./json-service";
import { num, str } from "./service";

// Kinesis Data Streams and Firehose both speak awsJson1_1 (client-kinesis, client-firehose models).
const kinesis = jsonRpc({ version: "1.1", targetPrefix: "Kinesis_20131202" });
const firehose = jsonRpc({ version: "1.1", targetPrefix: "Firehose_20150804" });
const CREATED_S = COVERAGE_CREATED / 1000;

const notFound = (what: string) => new AwsError("ResourceNotFoundException", what, 400);

/** A stream named by StreamName or StreamARN, as every Kinesis call accepts. */
function streamOf(input: Record<string, unknown>, region: string): StreamSpec {
  const name = str(input.StreamName) ?? str(input.StreamARN)?.split("/").pop();
  const s = listStreams(region).find((x) => x.name === name);
  if (!s) throw notFound(`Stream ${name ?? ""} under account ${ACCOUNT_ID} not found.`);
  return s;
}

/** Pages over names in order: Limit, and the last name seen as the exclusive start (ExclusiveStart*Name). */
function afterName<T extends { name: string }>(items: T[], start: string | undefined, limit: number): { items: T[]; more: boolean } {
  const sorted = [...items].sort((a, b) => a.name.localeCompare(b.name)).filter((x) => start === undefined || x.name > start);
  return { items: sorted.slice(0, limit), more: sorted.length > limit };
}

const KINESIS_OPS: Record<string, (input: Record<string, unknown>, region: string) => unknown> = {
  ListStreams(input, region) {
    const limit = Math.min(num(input.Limit) ?? 100, 10_000);
    const start = str(input.NextToken) ?? str(input.ExclusiveStartStreamName);
    const p = afterName(listStreams(region), start, limit);
    return {
      StreamNames: p.items.map((s) => s.name),
      HasMoreStreams: p.more,
      // NextToken is the last name returned: opaque to callers, enough to resume.
      NextToken: p.more ? p.items[p.items.length - 1].name : undefined,
      StreamSummaries: p.items.map((s) => ({
        StreamName: s.name,
        StreamARN: streamArn(s),
        StreamStatus: "ACTIVE",
        StreamModeDetails: { StreamMode: s.mode },
        StreamCreationTimestamp: CREATED_S,
      })),
    };
  },
  DescribeStreamSummary(input, region) {
    const s = streamOf(input, region);
    return {
      StreamDescriptionSummary: {
        StreamName: s.name,
        StreamARN: streamArn(s),
        StreamStatus: "ACTIVE",
        StreamModeDetails: { StreamMode: s.mode },
        RetentionPeriodHours: s.retentionHours,
        StreamCreationTimestamp: CREATED_S,
        EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
        EncryptionType: s.encryption,
        ...(s.encryption === "KMS" ? { KeyId: "alias/aws/kinesis" } : {}),
        OpenShardCount: s.shards,
        ConsumerCount: 1,
      },
    };
  },
  ListTagsForStream(input, region) {
    const s = streamOf(input, region);
    const tags = Object.entries(s.tags).sort(([a], [b]) => a.localeCompare(b)).filter(([k]) => input.ExclusiveStartTagKey === undefined || k > String(input.ExclusiveStartTagKey));
    const limit = Math.min(num(input.Limit) ?? 50, 50);
    return { Tags: tags.slice(0, limit).map(([Key, Value]) => ({ Key, Value })), HasMoreTags: tags.length > limit };
  },
};

function deliveryOf(input: Record<string, unknown>, region: string): DeliveryStreamSpec {
  const name = str(input.DeliveryStreamName);
  const d = listDeliveryStreams(region).find((x) => x.name === name);
  if (!d) throw notFound(`Firehose ${name ?? ""} under account ${ACCOUNT_ID} not found.`);
  return d;
}

const FIREHOSE_OPS: Record<string, (input: Record<string, unknown>, region: string) => unknown> = {
  ListDeliveryStreams(input, region) {
    const type = str(input.DeliveryStreamType);
    const all = listDeliveryStreams(region).filter((d) => !type || type === (d.sourceStream ? "KinesisStreamAsSource" : "DirectPut"));
    const p = afterName(all, str(input.ExclusiveStartDeliveryStreamName), Math.min(num(input.Limit) ?? 10, 10_000));
    return { DeliveryStreamNames: p.items.map((d) => d.name), HasMoreDeliveryStreams: p.more };
  },
  DescribeDeliveryStream(input, region) {
    const d = deliveryOf(input, region);
    const role = `arn:aws:iam::${ACCOUNT_ID}:role/firehose-${d.name}`;
    return {
      DeliveryStreamDescription: {
        DeliveryStreamName: d.name,
        DeliveryStreamARN: deliveryStreamArn(d),
        DeliveryStreamStatus: "ACTIVE",
        DeliveryStreamType: d.sourceStream ? "KinesisStreamAsSource" : "DirectPut",
        VersionId: "1",
        CreateTimestamp: CREATED_S,
        ...(d.sourceStream
          ? { Source: { KinesisStreamSourceDescription: { KinesisStreamARN: streamArn({ region, name: d.sourceStream }), RoleARN: role, DeliveryStartTimestamp: CREATED_S } } }
          : {}),
        Destinations: [
          {
            DestinationId: "destinationId-000000000001",
            ExtendedS3DestinationDescription: {
              RoleARN: role,
              BucketARN: `arn:aws:s3:::${d.bucket}`,
              Prefix: "raw/",
              ErrorOutputPrefix: "errors/",
              BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
              CompressionFormat: "GZIP",
              EncryptionConfiguration: { NoEncryptionConfig: "NoEncryption" },
              CloudWatchLoggingOptions: { Enabled: true, LogGroupName: `/aws/kinesisfirehose/${d.name}`, LogStreamName: "DestinationDelivery" },
              S3BackupMode: "Disabled",
            },
          },
        ],
        HasMoreDestinations: false,
      },
    };
  },
};

export const kinesisService = jsonService("kinesis", kinesis, KINESIS_OPS, () => new AwsError("LimitExceededException", "Rate exceeded for stream.", 400));
export const firehoseService = jsonService("firehose", firehose, FIREHOSE_OPS, () => new AwsError("LimitExceededException", "Rate exceeded.", 400));
