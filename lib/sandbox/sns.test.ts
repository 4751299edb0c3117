import { CreateTopicCommand, ListTopicsCommand, PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_ACCOUNT_ID, SANDBOX_SNS_TOPIC, startSandbox, type Sandbox } from "./index";
import { caught, clientConfig, MIN, NOW } from "./test-helpers";

let sb: Sandbox;
let sns: SNSClient;
let clock = NOW;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, now: () => clock, backfillMs: 10 * MIN });
  sns = new SNSClient(clientConfig(sb));
});

afterAll(async () => {
  sns.destroy();
  await sb.close();
});

describe("SNS (awsQuery, as client-sns sends it)", () => {
  it("has the demo topic, creates topics idempotently and lists them by region", async () => {
    const demo = `arn:aws:sns:us-east-1:${SANDBOX_ACCOUNT_ID}:${SANDBOX_SNS_TOPIC}`;
    const created = await sns.send(new CreateTopicCommand({ Name: "alerts" }));
    expect(created.TopicArn).toBe(`arn:aws:sns:us-east-1:${SANDBOX_ACCOUNT_ID}:alerts`);
    expect((await sns.send(new CreateTopicCommand({ Name: "alerts" }))).TopicArn).toBe(created.TopicArn);
    const listed = await sns.send(new ListTopicsCommand({}));
    expect(listed.Topics?.map((t) => t.TopicArn)).toEqual(expect.arrayContaining([demo, created.TopicArn]));
    const eu = new SNSClient(clientConfig(sb, "eu-west-1"));
    expect((await eu.send(new ListTopicsCommand({}))).Topics?.map((t) => t.TopicArn)).not.toContain(created.TopicArn);
    eu.destroy();
  });

  it("records what is published, with subject, structure and attributes", async () => {
    const arn = (await sns.send(new CreateTopicCommand({ Name: "records" }))).TopicArn!;
    const out = await sns.send(
      new PublishCommand({
        TopicArn: arn,
        Subject: "Osprey: checkout failing",
        Message: JSON.stringify({ default: "text", sqs: "{\"a\":1}" }),
        MessageStructure: "json",
        MessageAttributes: { "osprey.severity": { DataType: "String", StringValue: "critical" } },
      }),
    );
    expect(out.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const [m] = sb.sns.messages({ topicArn: arn });
    expect(m).toMatchObject({ messageId: out.MessageId, subject: "Osprey: checkout failing", messageStructure: "json", attributes: { "osprey.severity": "critical" } });
    expect(JSON.parse(m.message).default).toBe("text");
  });

  it("refuses what SNS refuses: unknown topic, long subject, json without default, FIFO without group", async () => {
    const missing = await caught(() => sns.send(new PublishCommand({ TopicArn: `arn:aws:sns:us-east-1:${SANDBOX_ACCOUNT_ID}:nope`, Message: "x" })));
    expect(missing.name).toBe("NotFoundException");
    const arn = (await sns.send(new CreateTopicCommand({ Name: "strict" }))).TopicArn!;
    expect((await caught(() => sns.send(new PublishCommand({ TopicArn: arn, Message: "x", Subject: "s".repeat(100) })))).name).toBe("InvalidParameterException");
    expect((await caught(() => sns.send(new PublishCommand({ TopicArn: arn, Message: "{\"sqs\":\"x\"}", MessageStructure: "json" })))).message).toMatch(/No default entry/);
    const fifo = (await sns.send(new CreateTopicCommand({ Name: "strict.fifo", Attributes: { FifoTopic: "true" } }))).TopicArn!;
    expect((await caught(() => sns.send(new PublishCommand({ TopicArn: fifo, Message: "x", MessageDeduplicationId: "d" })))).message).toMatch(/MessageGroupId/);
  });

  it("delivers a FIFO message once per deduplication id within five minutes", async () => {
    const fifo = (await sns.send(new CreateTopicCommand({ Name: "dedup.fifo", Attributes: { FifoTopic: "true" } }))).TopicArn!;
    const send = () => sns.send(new PublishCommand({ TopicArn: fifo, Message: "x", MessageGroupId: "g", MessageDeduplicationId: "key-1" }));
    const a = await send();
    const b = await send();
    expect(b.MessageId).toBe(a.MessageId);
    expect(sb.sns.messages({ topicArn: fifo })).toHaveLength(1);
    clock += 6 * MIN;
    await send();
    expect(sb.sns.messages({ topicArn: fifo })).toHaveLength(2);
    expect(sb.sns.messages({ topicArn: fifo, includeDuplicates: true })).toHaveLength(3);
  });
});
