import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../sandbox";
import { caught, clientConfig, HOUR, NOW } from "../sandbox/test-helpers";
import { createJsonClient, KINESIS, SFN } from "./json-protocol";

// The caller Osprey uses for Kinesis, Firehose, Step Functions and EventBridge: errors named as the SDK
// names them, and what the SDK retries (throttling, 5xx, a reset) retried, what it does not, not.
let sb: Sandbox;
const calls: string[] = [];

beforeAll(async () => {
  sb = await startSandbox({ port: 0, now: () => NOW, backfillMs: HOUR, onCall: (c) => calls.push(c.operation) });
});

afterAll(async () => {
  await sb.close();
});

describe("json-protocol", () => {
  it("retries throttling and 5xx answers until one succeeds, then gives up after maxAttempts", async () => {
    const kinesis = createJsonClient(KINESIS, { ...clientConfig(sb), maxAttempts: 40, backoffMs: 1 });
    sb.setFaults({ ListStreams: { throttleRate: 0.5, http500Rate: 0.3 } });
    calls.length = 0;
    expect((await kinesis.send<{ StreamNames: string[] }>("ListStreams")).StreamNames).toContain("clickstream");
    expect(calls.length).toBeGreaterThan(1);
    sb.setFaults({ ListStreams: { throttleRate: 1 } });
    calls.length = 0;
    const once = createJsonClient(KINESIS, { ...clientConfig(sb), maxAttempts: 3, backoffMs: 1 });
    const err = await caught(() => once.send("ListStreams"));
    expect(err.name).toBe("LimitExceededException");
    expect(calls).toHaveLength(3);
    sb.setFaults({});
  });

  it("does not retry a request AWS rejects, and names the error as the SDK does", async () => {
    const sfn = createJsonClient(SFN, { ...clientConfig(sb), maxAttempts: 5, backoffMs: 1 });
    calls.length = 0;
    const err = await caught(() => sfn.send("DescribeStateMachine", { stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:nope" }));
    expect(err).toMatchObject({ name: "StateMachineDoesNotExist", $metadata: { httpStatusCode: 400 } });
    expect(calls).toEqual(["DescribeStateMachine"]);
  });

  it("is refused with the credentials error of a bad signature's service", async () => {
    sb.setCallPolicy({ badToken: ["states:ListStateMachines"] });
    const sfn = createJsonClient(SFN, { ...clientConfig(sb), maxAttempts: 1 });
    expect((await caught(() => sfn.send("ListStateMachines"))).name).toBe("UnrecognizedClientException");
    sb.setCallPolicy({});
  });
});
