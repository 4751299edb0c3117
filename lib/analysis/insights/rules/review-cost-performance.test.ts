import { describe, expect, it } from "vitest";
import { aFunction, aQueue, aTable, evaluateOnFunction, evaluateRule, HOUR, NOW } from "../__fixtures__/builders";
import {
  dynamodbProvisionedUnderused,
  lambdaDefaultMemory,
  lambdaJavaWithoutSnapStart,
  lambdaProvisionedConcurrencySpillover,
  lambdaProvisionedConcurrencyUnderused,
  lambdaVerboseLogLevel,
  sqsShortPolling,
} from "./review-cost-performance";

const WEEK_S = 7 * 86_400;

describe("lambda-verbose-log-level", () => {
  it("flags DEBUG and TRACE, not INFO", () => {
    expect(evaluateOnFunction(lambdaVerboseLogLevel, aFunction({ applicationLogLevel: "DEBUG" }))?.evidence).toEqual({ applicationLogLevel: "DEBUG" });
    expect(evaluateOnFunction(lambdaVerboseLogLevel, aFunction({ applicationLogLevel: "TRACE" }))).toBeDefined();
    expect(evaluateOnFunction(lambdaVerboseLogLevel, aFunction({ applicationLogLevel: "INFO" }))).toBeUndefined();
  });
});

describe("sqs-short-polling", () => {
  it("flags short polling on a queue read by something other than Lambda", () => {
    expect(evaluateRule(sqsShortPolling, { queues: [aQueue({ receiveWaitTimeS: 0, received: 500 })] })).toHaveLength(1);
    expect(evaluateRule(sqsShortPolling, { queues: [aQueue({ receiveWaitTimeS: 20, received: 500 })] })).toEqual([]);
    const lambdaReads = aFunction({ eventSourceMappings: [{ eventSourceArn: "arn:aws:sqs:us-east-1:123456789012:orders-queue", kind: "sqs" }] });
    expect(evaluateRule(sqsShortPolling, { queues: [aQueue({ receiveWaitTimeS: 0, received: 500 })], functions: [lambdaReads] })).toEqual([]);
  });
});

describe("lambda-provisioned-concurrency-underused", () => {
  // 2 environments for 7 days = 1,209,600 environment-seconds; 100 ms mean billed duration.
  const pcBusy = (pcInvocations: number) => aFunction({ provisionedConcurrency: 2 }, { invocations: 10_000_000, billedMs: 1_000_000_000, provisionedConcurrencyInvocations: pcInvocations });
  it("computes busy time over paid time", () => {
    const finding = evaluateOnFunction(lambdaProvisionedConcurrencyUnderused, pcBusy(6_048_000));
    expect(finding?.evidence).toEqual({ provisionedConcurrency: 2, utilisationPct: 50, thresholdPct: 60 });
    expect(evaluateOnFunction(lambdaProvisionedConcurrencyUnderused, pcBusy(8_000_000))).toBeUndefined();
  });
  it("divides by the paid hours Osprey has data for, so a new account's busy environments are not called idle", () => {
    // 42 h of data, a quarter of the window: a quarter of the invocations is the same 50 % (and 66 % stays quiet).
    const since = { coveredSince: new Date(NOW.getTime() - 42 * HOUR) };
    const newAccount = (pcInvocations: number) =>
      aFunction({ provisionedConcurrency: 2 }, { invocations: 2_500_000, billedMs: 250_000_000, provisionedConcurrencyInvocations: pcInvocations, ...since });
    expect(evaluateOnFunction(lambdaProvisionedConcurrencyUnderused, newAccount(1_512_000))?.evidence).toMatchObject({ utilisationPct: 50 });
    expect(evaluateOnFunction(lambdaProvisionedConcurrencyUnderused, newAccount(2_000_000))).toBeUndefined();
  });
  it("ignores functions without provisioned concurrency", () => {
    expect(evaluateOnFunction(lambdaProvisionedConcurrencyUnderused, aFunction({ provisionedConcurrency: null }))).toBeUndefined();
  });
});

describe("dynamodb-provisioned-underused", () => {
  it("flags a provisioned table using under a fifth of read and write capacity", () => {
    const idle = aTable({ billingMode: "PROVISIONED", readCapacityUnits: 10, writeCapacityUnits: 10, consumedReadPerHour: [0.1 * 10 * WEEK_S], consumedWritePerHour: [0.05 * 10 * WEEK_S] });
    expect(evaluateRule(dynamodbProvisionedUnderused, { tables: [idle] })[0].evidence).toEqual({ readCapacityUnits: 10, writeCapacityUnits: 10, readUtilisationPct: 10, writeUtilisationPct: 5 });
    const busy = { ...idle, consumedWritePerHour: [0.5 * 10 * WEEK_S] };
    expect(evaluateRule(dynamodbProvisionedUnderused, { tables: [busy] })).toEqual([]);
    expect(evaluateRule(dynamodbProvisionedUnderused, { tables: [aTable()] })).toEqual([]);
  });
  it("takes a new account's utilisation over the day Osprey has read, not the week", () => {
    // 60 % used for the 24 hours since the account was added: 8.6 % if spread over 7 days.
    const table = aTable({ billingMode: "PROVISIONED", readCapacityUnits: 10, writeCapacityUnits: 10, consumedReadPerHour: [0.6 * 10 * 86_400], consumedWritePerHour: [0.6 * 10 * 86_400], coveredSince: new Date(NOW.getTime() - 24 * HOUR) });
    expect(evaluateRule(dynamodbProvisionedUnderused, { tables: [table] })).toEqual([]);
  });
});

describe("lambda-default-memory", () => {
  it("flags 128 MB only", () => {
    expect(evaluateOnFunction(lambdaDefaultMemory, aFunction({ memorySizeMB: 128 }))).toBeDefined();
    expect(evaluateOnFunction(lambdaDefaultMemory, aFunction({ memorySizeMB: 256 }))).toBeUndefined();
  });
});

describe("lambda-provisioned-concurrency-spillover", () => {
  it("warns on any spillover invocation", () => {
    expect(evaluateOnFunction(lambdaProvisionedConcurrencySpillover, aFunction({ provisionedConcurrency: 5 }, { provisionedConcurrencySpilloverInvocations: 40 }))?.evidence).toEqual({ spilloverInvocations: 40, provisionedConcurrency: 5 });
    expect(evaluateOnFunction(lambdaProvisionedConcurrencySpillover, aFunction({ provisionedConcurrency: 5 }))).toBeUndefined();
  });
});

describe("lambda-java-without-snapstart", () => {
  it("flags Java functions with cold starts and no SnapStart", () => {
    expect(evaluateOnFunction(lambdaJavaWithoutSnapStart, aFunction({ runtime: "java21", snapStart: false }, { coldStarts: 30 }))).toBeDefined();
    expect(evaluateOnFunction(lambdaJavaWithoutSnapStart, aFunction({ runtime: "java21", snapStart: true }, { coldStarts: 30 }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaJavaWithoutSnapStart, aFunction({ runtime: "nodejs22.x" }, { coldStarts: 30 }))).toBeUndefined();
  });
});
