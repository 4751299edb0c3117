import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccountRow } from "../../lib/db/account-access";
import { failedExecutionsOf } from "../../lib/db/failed-executions";
import { startSandbox, type Sandbox } from "../../lib/sandbox";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { createSandboxAccount } from "../../test/sandbox-account";
import { ResourceListQuery } from "../../lib/api/schemas/resources";
import { listResources } from "../../lib/db/queries/resources";
import { discoverAccountRegion } from "./discover";
import { evaluateAccountInsights } from "./insights";
import { pullMetrics } from "./metrics";

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
// Six hours: the iterator-age rule wants at least four hourly maxima to call a lag growing.
const LOOKBACK = 6 * 3_600_000;
const REGION = "us-east-1";

let tdb: TestDatabase;
let db: pg.Pool;
let sandbox: Sandbox;
let account: AccountRow;
const calls: string[] = [];

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 4 });
  sandbox = await startSandbox({ port: 0, seed: 3, now: () => NOW, backfillMs: LOOKBACK, onCall: (c) => calls.push(c.operation) });
  account = await createSandboxAccount(db, sandbox.url);
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  await db?.end();
  await tdb?.drop();
});

const resources = async (kind: string) =>
  (await db.query<{ id: number; name: string; arn: string; config: Record<string, unknown>; tags: Record<string, string> }>(
    `SELECT id, name, arn, config, tags FROM resources WHERE account_id = $1 AND region = $2 AND kind = $3::"ResourceKind" ORDER BY name`,
    [account.id, REGION, kind],
  )).rows;

describe("discovery and metrics of streams, state machines, topics and rules", () => {
  it("stores each new kind with its configuration and tags, without a warning", async () => {
    // Every kind: the list test below reads queues, APIs and tables too.
    const r = await discoverAccountRegion(db, account, REGION);
    expect(r.problems).toEqual([]);
    expect((await resources("kinesis")).map((x) => [x.name, x.config.mode, x.config.openShards])).toEqual([["audit-events", "ON_DEMAND", 4], ["clickstream", "PROVISIONED", 2]]);
    expect((await resources("firehose"))[0]).toMatchObject({ name: "clickstream-to-s3", config: { destination: "S3", sourceStreamArn: expect.stringContaining(":stream/clickstream") } });
    const machines = await resources("stepfunctions");
    expect(machines.map((m) => m.name)).toEqual(["nightly-report", "order-fulfilment"]);
    expect(machines[1].config).toMatchObject({ states: ["ValidateOrder", "ChargePayment", "ReserveStock", "ShipOrder"], loggingLevel: "ERROR", tracing: false });
    const topic = (await resources("sns")).find((t) => t.name === "order-events")!;
    expect(topic.config.subscriptions).toEqual([
      { protocol: "sqs", endpoint: expect.stringContaining(":orders-queue"), dlq: null, attributesRead: true },
      { protocol: "https", endpoint: "https://partner.example.com/hooks/orders", dlq: null, attributesRead: true },
    ]);
    expect(topic.tags).toEqual({ team: "orders" });
    const rule = (await resources("eventbridge")).find((x) => x.name === "order-placed")!;
    expect(rule.config.targets).toEqual([
      { id: "fulfilment", arn: expect.stringContaining(":stateMachine:order-fulfilment"), dlq: null },
      { id: "audit", arn: expect.stringContaining(":stream/audit-events"), dlq: expect.stringContaining(":orders-dlq") },
    ]);
    const { rows: w } = await db.query("SELECT feature FROM ingest_warnings WHERE account_id = $1", [account.id]);
    expect(w).toEqual([]);
  });

  it("keeps the failed executions with the state each failed in, and reads each history once", async () => {
    const machine = (await resources("stepfunctions")).find((m) => m.name === "order-fulfilment")!;
    const failed = await failedExecutionsOf(db, machine.id);
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) {
      expect(["ChargePayment", "ReserveStock"]).toContain(f.failedState);
      expect(f.error).toBe(f.failedState === "ChargePayment" ? "PaymentDeclined" : "States.TaskFailed");
    }
    const histories = calls.filter((c) => c === "GetExecutionHistory").length;
    expect(histories).toBe(failed.length);
    await discoverAccountRegion(db, account, REGION, ["stepfunctions"]);
    expect(calls.filter((c) => c === "GetExecutionHistory").length).toBe(histories);
    expect(await failedExecutionsOf(db, machine.id)).toEqual(failed);
  });

  it("stores the CloudWatch points each new kind publishes", async () => {
    const m = await pullMetrics(db, account, REGION, { now: NOW, lookbackMs: LOOKBACK });
    expect(m.problems).toEqual([]);
    const { rows } = await db.query<{ kind: string; metric: string; total: number }>(
      `SELECT r.kind::text, p.metric, sum(p.value)::float8 AS total FROM metric_points p JOIN resources r ON r.id = p.resource_id
        WHERE r.account_id = $1 GROUP BY 1, 2`,
      [account.id],
    );
    const total = (kind: string, metric: string) => rows.find((r) => r.kind === kind && r.metric === metric)?.total ?? 0;
    expect(total("stepfunctions", "ExecutionsStarted")).toBeGreaterThan(0);
    expect(total("stepfunctions", "ExecutionsFailed")).toBeGreaterThan(0);
    expect(total("kinesis", "GetRecords.IteratorAgeMilliseconds")).toBeGreaterThan(0);
    expect(total("kinesis", "IncomingRecords")).toBeGreaterThan(0);
    expect(total("firehose", "DeliveryToS3.Records")).toBeGreaterThan(0);
    expect(total("sns", "NumberOfNotificationsFailed")).toBeGreaterThan(0);
    expect(total("eventbridge", "FailedInvocations")).toBeGreaterThan(0);
    expect(total("eventbridge", "ThrottledRules")).toBeGreaterThan(0);
  });

  it("finds, from that data, the failures each new service's rules look for", async () => {
    await evaluateAccountInsights(db, account.id, REGION, NOW);
    const { rows } = await db.query<{ rule_id: string; name: string; evidence: Record<string, unknown> }>(
      `SELECT i.rule_id, r.name, i.evidence FROM insights i JOIN resources r ON r.id = i.resource_id WHERE i.account_id = $1 AND i.state = 'open'`,
      [account.id],
    );
    const found = rows.map((r) => `${r.rule_id}:${r.name}`);
    expect(found).toEqual(
      expect.arrayContaining([
        "kinesis-iterator-age-growing:clickstream",
        "stepfunctions-failed-executions:order-fulfilment",
        "sns-failed-deliveries-no-dlq:order-events",
        "eventbridge-failed-invocations:order-placed",
        "eventbridge-throttled-rules:inventory-sync",
      ]),
    );
    // Healthy ones stay quiet: a stream that keeps up, a machine that never fails, a topic whose only subscription has a DLQ.
    expect(found).not.toContain("kinesis-iterator-age-growing:audit-events");
    expect(found).not.toContain("stepfunctions-failed-executions:nightly-report");
    expect(found.filter((f) => f.startsWith("sns-failed-deliveries-no-dlq:billing-alerts"))).toEqual([]);
    const machine = rows.find((r) => r.rule_id === "stepfunctions-failed-executions")!;
    expect(["ChargePayment", "ReserveStock"]).toContain(machine.evidence.topFailedState);
  });

  it("gives each tab of the resource list its own CloudWatch columns", async () => {
    const range = { from: NOW - LOOKBACK, to: NOW, prevFrom: NOW - 2 * LOOKBACK, prevTo: NOW - LOOKBACK };
    const list = async (kind: string) => (await listResources(db, ResourceListQuery.parse({ kind, limit: "100" }), range)).data;
    const queues = await list("sqs");
    const orders = queues.find((q) => q.name === "orders-queue")!;
    expect(orders.metrics).toEqual({ depth: expect.any(Number), oldestAge: expect.any(Number), dlqDepth: expect.any(Number), sent: expect.any(Number) });
    // The DLQ column is the DLQ's own depth; a queue without a redrive policy has none.
    expect(orders.metrics!.dlqDepth).toBe(queues.find((q) => q.name === "orders-dlq")!.metrics!.depth);
    expect(queues.find((q) => q.name === "notifications-queue")!.metrics!.dlqDepth).toBeNull();
    const api = (await list("apigateway")).find((a) => a.name === "shop-api")!;
    expect(api.metrics!.rate5xx).toBeGreaterThanOrEqual(0);
    expect(api.metrics!.rate5xx).toBeLessThan(1);
    expect(api.metrics!.p99).toBeGreaterThan(0);
    const table = (await list("dynamodb")).find((t) => t.name === "orders")!;
    expect(Object.keys(table.metrics!)).toEqual(["throttles", "systemErrors", "readUnits", "writeUnits"]);
    const machine = (await list("stepfunctions")).find((m) => m.name === "order-fulfilment")!;
    expect(machine.metrics!.failed).toBeGreaterThan(0);
    expect(machine.metrics!.failedRate).toBeCloseTo(machine.metrics!.failed! / machine.metrics!.started!);
  });
});
