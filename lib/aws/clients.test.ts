import { ListRulesCommand } from "@aws-sdk/client-eventbridge";
import { ListDeliveryStreamsCommand } from "@aws-sdk/client-firehose";
import { ListStreamsCommand } from "@aws-sdk/client-kinesis";
import { DescribeStateMachineCommand, ListStateMachinesCommand } from "@aws-sdk/client-sfn";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../sandbox";
import { createAwsClients, destroyAwsClients } from "./clients";

let sb: Sandbox;
const calls: string[] = [];

beforeAll(async () => {
  sb = await startSandbox({ port: 0, seed: 3, backfillMs: 60_000, onCall: (c) => calls.push(c.operation) });
});

afterAll(() => sb?.close());

const sandboxAccount = () => ({ id: 1, credentialMethod: "default_chain" as const, profile: null, roleArn: null, externalId: null, isSandbox: true, endpointUrl: sb.url });
const FAST_RETRY = { baseDelayMs: 1, throttlingBaseDelayMs: 2, maxDelayMs: 20, refillPerSecond: 200 };

describe("AWS clients under sustained faults", () => {
  it("keep retrying through a long sequence of calls at a 45 % fault rate: the retry budget recovers", async () => {
    // Throttled, 500, 503, reset: the SDK's own budget (500 tokens, refilled only by successes) is
    // spent after a few hundred such calls, and from then on every fault fails its call (measured with
    // it: the first failure at call 145, 196 of 600 failed).
    sb.setFaults({ GetCallerIdentity: { throttleRate: 0.25, http500Rate: 0.05, http503Rate: 0.05, resetRate: 0.1 } });
    const c = createAwsClients(sandboxAccount(), "us-east-1", { maxAttempts: 12, retry: FAST_RETRY });
    const failures: string[] = [];
    let retried = 0;
    try {
      for (let i = 0; i < 500; i++) {
        try {
          const out = await c.sts.send(new GetCallerIdentityCommand({}));
          if ((out.$metadata.attempts ?? 1) > 1) retried++;
        } catch (err) {
          failures.push(`${(err as Error).name}: ${(err as Error).message}`);
        }
      }
    } finally {
      sb.setFaults({});
      destroyAwsClients(c);
    }
    expect(failures).toEqual([]);
    expect(retried).toBeGreaterThan(150);
  }, 60_000);

  it("Kinesis, Firehose, Step Functions and EventBridge retry throttling, 5xx and resets, and not a request AWS refuses", async () => {
    const flaky = { throttleRate: 0.3, http500Rate: 0.1, resetRate: 0.1 };
    sb.setFaults({ ListStreams: flaky, ListDeliveryStreams: flaky, ListStateMachines: flaky, ListRules: flaky });
    const c = createAwsClients(sandboxAccount(), "us-east-1", { maxAttempts: 20, retry: FAST_RETRY });
    calls.length = 0;
    let sent = 0;
    try {
      for (let i = 0; i < 15; i++) {
        const pages = await Promise.all([
          c.kinesis.send(new ListStreamsCommand({})),
          c.firehose.send(new ListDeliveryStreamsCommand({})),
          c.sfn.send(new ListStateMachinesCommand({})),
          c.events.send(new ListRulesCommand({})),
        ]);
        sent += pages.length;
        expect(pages.map((p) => p.$metadata.httpStatusCode)).toEqual([200, 200, 200, 200]);
      }
      // Half the attempts fail: every call got through, and the sandbox saw the retries.
      expect(calls.length).toBeGreaterThan(sent * 1.3);

      sb.setFaults({});
      calls.length = 0;
      const err = await c.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:nope" })).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: "StateMachineDoesNotExist", $metadata: { httpStatusCode: 400 } });
      expect(calls).toEqual(["DescribeStateMachine"]);
    } finally {
      sb.setFaults({});
      destroyAwsClients(c);
    }
  }, 60_000);
});
