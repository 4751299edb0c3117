import { GetMetricDataCommand, CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, ListTagsForResourceCommand, SNSClient } from "@aws-sdk/client-sns";
import { DescribeRuleCommand, type EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand } from "@aws-sdk/client-eventbridge";
import { DescribeDeliveryStreamCommand, type FirehoseClient, ListDeliveryStreamsCommand } from "@aws-sdk/client-firehose";
import { DescribeStreamSummaryCommand, type KinesisClient, ListStreamsCommand, ListTagsForStreamCommand } from "@aws-sdk/client-kinesis";
import { DescribeStateMachineCommand, GetExecutionHistoryCommand, ListExecutionsCommand, ListStateMachinesCommand, ListTagsForResourceCommand as ListStateMachineTagsCommand, type SFNClient } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAwsClients, destroyAwsClients, type AwsClients } from "../aws/clients";
import { SANDBOX_ACCOUNT_ID, startSandbox, type Sandbox } from "./index";
import { caught, clientConfig, HOUR, NOW } from "./test-helpers";

// Every service here is spoken to through its real SDK client, as Osprey builds it (createAwsClients):
// the sandbox's answers must be what the SDK's serializers send and its deserializers accept
// (awsJson1_0 / awsJson1_1 / awsQuery), and the assertions hold them against the AWS API references.
let sb: Sandbox;
let clients: AwsClients;
let kinesis: KinesisClient;
let firehose: FirehoseClient;
let sfn: SFNClient;
let events: EventBridgeClient;
const ARN = (service: string, rest: string) => `arn:aws:${service}:us-east-1:${SANDBOX_ACCOUNT_ID}:${rest}`;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, now: () => NOW, backfillMs: 6 * HOUR });
  const account = { id: 1, credentialMethod: "default_chain" as const, profile: null, roleArn: null, externalId: null, isSandbox: true, endpointUrl: sb.url };
  const { credentials } = clientConfig(sb);
  clients = createAwsClients(account, "us-east-1", { maxAttempts: 1, credentials: async () => credentials });
  ({ kinesis, firehose, sfn, events } = clients);
});

afterAll(async () => {
  if (clients) destroyAwsClients(clients);
  await sb.close();
});

describe("Kinesis Data Streams (awsJson1_1, client-kinesis)", () => {
  it("lists streams with summaries, describes one and lists its tags", async () => {
    const listed = await kinesis.send(new ListStreamsCommand({}));
    expect(listed.StreamNames).toEqual(["audit-events", "clickstream"]);
    expect(listed.HasMoreStreams).toBe(false);
    expect(listed.StreamSummaries?.[1]).toMatchObject({ StreamARN: ARN("kinesis", "stream/clickstream"), StreamModeDetails: { StreamMode: "PROVISIONED" } });
    const firstPage = await kinesis.send(new ListStreamsCommand({ Limit: 1 }));
    expect(firstPage).toMatchObject({ StreamNames: ["audit-events"], HasMoreStreams: true });
    expect((await kinesis.send(new ListStreamsCommand({ NextToken: firstPage.NextToken }))).StreamNames).toEqual(["clickstream"]);

    const d = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: "clickstream" }));
    expect(d.StreamDescriptionSummary).toMatchObject({ StreamName: "clickstream", StreamStatus: "ACTIVE", RetentionPeriodHours: 24, OpenShardCount: 2, EncryptionType: "NONE" });
    // Epoch seconds on the wire; the SDK gives a Date, and a date before NOW.
    expect(d.StreamDescriptionSummary?.StreamCreationTimestamp).toBeInstanceOf(Date);
    expect(d.StreamDescriptionSummary!.StreamCreationTimestamp!.getTime()).toBeLessThan(NOW);
    const tags = await kinesis.send(new ListTagsForStreamCommand({ StreamARN: ARN("kinesis", "stream/clickstream") }));
    expect(tags.Tags).toEqual([{ Key: "team", Value: "analytics" }]);
  });

  it("answers an unknown stream with ResourceNotFoundException", async () => {
    const err = await caught(() => kinesis.send(new DescribeStreamSummaryCommand({ StreamName: "nope" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });
});

describe("Firehose (awsJson1_1, client-firehose)", () => {
  it("lists delivery streams and describes the S3 destination and its Kinesis source", async () => {
    expect(await firehose.send(new ListDeliveryStreamsCommand({}))).toMatchObject({ DeliveryStreamNames: ["clickstream-to-s3"], HasMoreDeliveryStreams: false });
    const d = await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: "clickstream-to-s3" }));
    expect(d.DeliveryStreamDescription).toMatchObject({
      DeliveryStreamType: "KinesisStreamAsSource",
      Source: { KinesisStreamSourceDescription: { KinesisStreamARN: ARN("kinesis", "stream/clickstream") } },
      Destinations: [{ ExtendedS3DestinationDescription: { BucketARN: "arn:aws:s3:::acme-clickstream-archive" } }],
    });
  });
});

describe("Step Functions (awsJson1_0, client-sfn)", () => {
  const machine = ARN("states", "stateMachine:order-fulfilment");

  it("lists and describes state machines with their definition, logging and tracing", async () => {
    const listed = await sfn.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines?.map((m) => m.name)).toEqual(["order-fulfilment", "nightly-report"]);
    const d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machine }));
    expect(JSON.parse(d.definition!).StartAt).toBe("ValidateOrder");
    expect(d).toMatchObject({ loggingConfiguration: { level: "ERROR" }, tracingConfiguration: { enabled: false } });
    expect(d.creationDate).toBeInstanceOf(Date);
    expect((await sfn.send(new ListStateMachineTagsCommand({ resourceArn: machine }))).tags).toEqual([{ key: "team", value: "orders" }]);
  });

  it("lists failed executions newest first, and their history names the state that failed", async () => {
    const failed = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine, statusFilter: "FAILED" }))).executions ?? [];
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((e) => e.status === "FAILED" && e.stopDate!.getTime() >= e.startDate!.getTime())).toBe(true);
    const starts = failed.map((e) => e.startDate!.getTime());
    expect(starts).toEqual([...starts].sort((a, b) => b - a));

    const h = await sfn.send(new GetExecutionHistoryCommand({ executionArn: failed[0].executionArn, reverseOrder: true, maxResults: 10 }));
    const ev = h.events ?? [];
    expect(ev[0].type).toBe("ExecutionFailed");
    expect(ev[0].timestamp).toBeInstanceOf(Date);
    const entered = ev.find((e) => e.type === "TaskStateEntered");
    expect(["ChargePayment", "ReserveStock"]).toContain(entered?.stateEnteredEventDetails?.name);
    expect(["PaymentDeclined", "States.TaskFailed"]).toContain(ev[0].executionFailedEventDetails?.error);
  });

  it("pages ListExecutions and refuses an unknown execution", async () => {
    const p1 = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machine, maxResults: 5 }));
    expect(p1.executions).toHaveLength(5);
    expect(p1.nextToken).toBeTruthy();
    const err = await caught(() => sfn.send(new GetExecutionHistoryCommand({ executionArn: ARN("states", "execution:order-fulfilment:nope") })));
    expect(err.name).toBe("ExecutionDoesNotExist");
  });
});

describe("EventBridge (awsJson1_1, client-eventbridge)", () => {
  it("lists rules, describes one and lists its targets with their DLQs", async () => {
    const rules = (await events.send(new ListRulesCommand({}))).Rules ?? [];
    expect(rules.map((r) => r.Name)).toEqual(["order-placed", "nightly-report-schedule", "inventory-sync"]);
    expect(rules[1].ScheduleExpression).toBe("rate(1 hour)");
    const d = await events.send(new DescribeRuleCommand({ Name: "order-placed" }));
    expect(d.Arn).toBe(ARN("events", "rule/order-placed"));
    expect(JSON.parse(d.EventPattern!)).toEqual({ source: ["acme.shop"], "detail-type": ["OrderPlaced"] });
    const targets = (await events.send(new ListTargetsByRuleCommand({ Rule: "order-placed" }))).Targets ?? [];
    expect(targets.map((t) => [t.Id, t.DeadLetterConfig?.Arn ?? null])).toEqual([["fulfilment", null], ["audit", ARN("sqs", "orders-dlq")]]);
    const err = await caught(() => events.send(new DescribeRuleCommand({ Name: "nope" })));
    expect(err.name).toBe("ResourceNotFoundException");
  });
});

describe("SNS topics (awsQuery, as client-sns sends it)", () => {
  it("gives a topic's attributes, subscriptions, a subscription's redrive policy and tags", async () => {
    const sns = new SNSClient(clientConfig(sb));
    const topic = ARN("sns", "order-events");
    const a = await sns.send(new GetTopicAttributesCommand({ TopicArn: topic }));
    expect(a.Attributes).toMatchObject({ TopicArn: topic, SubscriptionsConfirmed: "2" });
    const subs = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic }));
    expect(subs.Subscriptions?.map((s) => s.Protocol)).toEqual(["sqs", "https"]);
    const https = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subs.Subscriptions![1].SubscriptionArn }));
    expect(https.Attributes?.Endpoint).toBe("https://partner.example.com/hooks/orders");
    expect(https.Attributes?.RedrivePolicy).toBeUndefined();
    expect((await sns.send(new ListTagsForResourceCommand({ ResourceArn: topic }))).Tags).toEqual([{ Key: "team", Value: "orders" }]);
    sns.destroy();
  });
});

describe("CloudWatch metrics of the new services", () => {
  it("publishes failed executions, failed deliveries, failed invocations and a growing iterator age", async () => {
    const cw = new CloudWatchClient(clientConfig(sb));
    const q = (Id: string, Namespace: string, MetricName: string, Name: string, Value: string, Stat = "Sum") => ({
      Id,
      MetricStat: { Metric: { Namespace, MetricName, Dimensions: [{ Name, Value }] }, Period: 3600, Stat },
    });
    const res = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(NOW - 6 * HOUR),
        EndTime: new Date(NOW),
        ScanBy: "TimestampAscending",
        MetricDataQueries: [
          q("failed", "AWS/States", "ExecutionsFailed", "StateMachineArn", ARN("states", "stateMachine:order-fulfilment")),
          q("started", "AWS/States", "ExecutionsStarted", "StateMachineArn", ARN("states", "stateMachine:order-fulfilment")),
          q("snsfailed", "AWS/SNS", "NumberOfNotificationsFailed", "TopicName", "order-events"),
          q("evfailed", "AWS/Events", "FailedInvocations", "RuleName", "order-placed"),
          q("throttled", "AWS/Events", "ThrottledRules", "RuleName", "inventory-sync"),
          q("age", "AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", "StreamName", "clickstream", "Maximum"),
        ],
      }),
    );
    const sum = (id: string) => res.MetricDataResults!.find((r) => r.Id === id)!.Values!.reduce((a, b) => a + b, 0);
    // One execution every two minutes over six hours.
    expect(sum("started")).toBe(180);
    expect(sum("failed")).toBeGreaterThan(0);
    expect(sum("snsfailed")).toBeGreaterThan(0);
    expect(sum("evfailed")).toBeGreaterThan(0);
    expect(sum("throttled")).toBeGreaterThan(0);
    const age = res.MetricDataResults!.find((r) => r.Id === "age")!.Values!;
    expect(age.length).toBe(6);
    expect(age[5]).toBeGreaterThan(age[0] + 4 * 60 * 2_000);
    cw.destroy();
  });
});
