import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../sandbox";
import { createAwsClients, destroyAwsClients } from "./clients";

let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, seed: 3, backfillMs: 60_000 });
});

afterAll(() => sb?.close());

describe("AWS clients under sustained faults", () => {
  it("keep retrying through a long sequence of calls at a 45 % fault rate: the retry budget recovers", async () => {
    // Throttled, 500, 503, reset: the SDK's own budget (500 tokens, refilled only by successes) is
    // spent after a few hundred such calls, and from then on every fault fails its call (measured with
    // it: the first failure at call 145, 196 of 600 failed).
    sb.setFaults({ GetCallerIdentity: { throttleRate: 0.25, http500Rate: 0.05, http503Rate: 0.05, resetRate: 0.1 } });
    const account = { id: 1, credentialMethod: "default_chain" as const, profile: null, roleArn: null, externalId: null, isSandbox: true, endpointUrl: sb.url };
    const c = createAwsClients(account, "us-east-1", { maxAttempts: 12, retry: { baseDelayMs: 1, throttlingBaseDelayMs: 2, maxDelayMs: 20, refillPerSecond: 200 } });
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
});
