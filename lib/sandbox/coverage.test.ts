import { GetMetricDataCommand, CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, ListTagsForResourceCommand, SNSClient } from "@aws-sdk/client-sns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJsonClient, EVENTBRIDGE, FIREHOSE, KINESIS, SFN, type JsonProtocolClient } from "../aws/json-protocol";
import { SANDBOX_ACCOUNT_ID, startSandbox, type Sandbox } from "./index";
import { caught, clientConfig, HOUR, NOW } from "./test-helpers";

// Kinesis, Firehose, Step Functions and EventBridge have no SDK client among the dependencies yet: these
// tests speak their wire protocols through lib/aws/json-protocol.ts (SigV4, X-Amz-Target, JSON), and
// check the answers against the shapes of the AWS API references. SNS and CloudWatch use the real SDK clients.
let sb: Sandbox;
let kinesis: JsonProtocolClient;
let firehose: JsonProtocolClient;
let sfn: JsonProtocolClient;
let events: JsonProtocolClient;
const ARN = (service: string, rest: string) => `arn:aws:${service}:us-east-1:${SANDBOX_ACCOUNT_ID}:${rest}`;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, now: () => NOW, backfillMs: 6 * HOUR });
  const cfg = clientConfig(sb);
  kinesis = createJsonClient(KINESIS, cfg);
  firehose = createJsonClient(FIREHOSE, cfg);
  sfn = createJsonClient(SFN, cfg);
  events = createJsonClient(EVENTBRIDGE, cfg);
});

afterAll(async () => {
  await sb.close();
});

describe("Kinesis Data Streams (awsJson1_1)", () => {
  it("lists streams with summaries, describes one and lists its tags", async () => {
    const listed = await kinesis.send<{ StreamNames: string[]; HasMoreStreams: boolean; StreamSummaries: { StreamARN: string; StreamModeDetails: { StreamMode: string } }[] }>("ListStreams");
    expect(listed.StreamNames).toEqual(["audit-events", "clickstream"]);
    expect(listed.HasMoreStreams).toBe(false);
    expect(listed.StreamSummaries[1]).toMatchObject({ StreamARN: ARN("kinesis", "stream/clickstream"), StreamModeDetails: { StreamMode: "PROVISIONED" } });
    const firstPage = await kinesis.send<{ StreamNames: string[]; HasMoreStreams: boolean; NextToken: string }>("ListStreams", { Limit: 1 });
    expect(firstPage).toMatchObject({ StreamNames: ["audit-events"], HasMoreStreams: true });
    expect((await kinesis.send<{ StreamNames: string[] }>("ListStreams", { NextToken: firstPage.NextToken })).StreamNames).toEqual(["clickstream"]);

    const d = await kinesis.send<{ StreamDescriptionSummary: Record<string, unknown> }>("DescribeStreamSummary", { StreamName: "clickstream" });
    expect(d.StreamDescriptionSummary).toMatchObject({ StreamName: "clickstream", StreamStatus: "ACTIVE", RetentionPeriodHours: 24, OpenShardCount: 2, EncryptionType: "NONE" });
    expect(typeof d.StreamDescriptionSummary.StreamCreationTimestamp).toBe("number");
    const tags = await kinesis.send<{ Tags: { Key: string; Value: string }[] }>("ListTagsForStream", { StreamARN: ARN("kinesis", "stream/clickstream") });
    expect(tags.Tags).toEqual([{ Key: "team", Value: "analytics" }]);
  });

  it("answers an unknown stream with ResourceNotFoundException", async () => {
    const err = await caught(() => kinesis.send("DescribeStreamSummary", { StreamName: "nope" }));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });
});

describe("Firehose (awsJson1_1)", () => {
  it("lists delivery streams and describes the S3 destination and its Kinesis source", async () => {
    expect(await firehose.send("ListDeliveryStreams")).toEqual({ DeliveryStreamNames: ["clickstream-to-s3"], HasMoreDeliveryStreams: false });
    const d = await firehose.send<{ DeliveryStreamDescription: Record<string, unknown> }>("DescribeDeliveryStream", { DeliveryStreamName: "clickstream-to-s3" });
    expect(d.DeliveryStreamDescription).toMatchObject({
      DeliveryStreamType: "KinesisStreamAsSource",
      Source: { KinesisStreamSourceDescription: { KinesisStreamARN: ARN("kinesis", "stream/clickstream") } },
      Destinations: [{ ExtendedS3DestinationDescription: { BucketARN: "arn:aws:s3:::acme-clickstream-archive" } }],
    });
  });
});

describe("Step Functions (awsJson1_0)", () => {
  const machine = ARN("states", "stateMachine:order-fulfilment");

  it("lists and describes state machines with their definition, logging and tracing", async () => {
    const listed = await sfn.send<{ stateMachines: { name: string; stateMachineArn: string; type: string }[] }>("ListStateMachines");
    expect(listed.stateMachines.map((m) => m.name)).toEqual(["order-fulfilment", "nightly-report"]);
    const d = await sfn.send<{ definition: string; loggingConfiguration: { level: string }; tracingConfiguration: { enabled: boolean } }>("DescribeStateMachine", { stateMachineArn: machine });
    expect(JSON.parse(d.definition).StartAt).toBe("ValidateOrder");
    expect(d).toMatchObject({ loggingConfiguration: { level: "ERROR" }, tracingConfiguration: { enabled: false } });
    expect((await sfn.send<{ tags: unknown[] }>("ListTagsForResource", { resourceArn: machine })).tags).toEqual([{ key: "team", value: "orders" }]);
  });

  it("lists failed executions newest first, and their history names the state that failed", async () => {
    const failed = await sfn.send<{ executions: { executionArn: string; status: string; startDate: number; stopDate: number }[] }>("ListExecutions", { stateMachineArn: machine, statusFilter: "FAILED" });
    expect(failed.executions.length).toBeGreaterThan(0);
    expect(failed.executions.every((e) => e.status === "FAILED" && e.stopDate >= e.startDate)).toBe(true);
    expect(failed.executions.map((e) => e.startDate)).toEqual([...failed.executions.map((e) => e.startDate)].sort((a, b) => b - a));

    const h = await sfn.send<{ events: { type: string; id: number; stateEnteredEventDetails?: { name: string }; executionFailedEventDetails?: { error: string } }[] }>(
      "GetExecutionHistory",
      { executionArn: failed.executions[0].executionArn, reverseOrder: true, maxResults: 10 },
    );
    expect(h.events[0].type).toBe("ExecutionFailed");
    const entered = h.events.find((e) => e.type === "TaskStateEntered");
    expect(["ChargePayment", "ReserveStock"]).toContain(entered?.stateEnteredEventDetails?.name);
    expect(["PaymentDeclined", "States.TaskFailed"]).toContain(h.events[0].executionFailedEventDetails?.error);
  });

  it("pages ListExecutions and refuses an unknown execution", async () => {
    const p1 = await sfn.send<{ executions: unknown[]; nextToken: string }>("ListExecutions", { stateMachineArn: machine, maxResults: 5 });
    expect(p1.executions).toHaveLength(5);
    expect(p1.nextToken).toBeTruthy();
    const err = await caught(() => sfn.send("GetExecutionHistory", { executionArn: ARN("states", "execution:order-fulfilment:nope") }));
    expect(err.name).toBe("ExecutionDoesNotExist");
  });
});

describe("EventBridge (awsJson1_1)", () => {
  it("lists rules, describes one and lists its targets with their DLQs", async () => {
    const rules = await events.send<{ Rules: { Name: string; Arn: string; State: string; ScheduleExpression?: string }[] }>("ListRules");
    expect(rules.Rules.map((r) => r.Name)).toEqual(["order-placed", "nightly-report-schedule", "inventory-sync"]);
    expect(rules.Rules[1].ScheduleExpression).toBe("rate(1 hour)");
    const d = await events.send<{ Arn: string; EventPattern: string }>("DescribeRule", { Name: "order-placed" });
    expect(d.Arn).toBe(ARN("events", "rule/order-placed"));
    expect(JSON.parse(d.EventPattern)).toEqual({ source: ["acme.shop"], "detail-type": ["OrderPlaced"] });
    const targets = await events.send<{ Targets: { Id: string; DeadLetterConfig?: { Arn: string } }[] }>("ListTargetsByRule", { Rule: "order-placed" });
    expect(targets.Targets.map((t) => [t.Id, t.DeadLetterConfig?.Arn ?? null])).toEqual([["fulfilment", null], ["audit", ARN("sqs", "orders-dlq")]]);
    const err = await caught(() => events.send("DescribeRule", { Name: "nope" }));
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
