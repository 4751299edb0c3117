import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../lib/sandbox";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { createSandboxAccount } from "../../test/sandbox-account";
import type { AccountRow } from "../../lib/db/account-access";
import { discoverAccountRegion } from "./discover";
import { pullLogs } from "./logs";
import { pullMetrics } from "./metrics";
import { pullTraces } from "./traces";

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const LOOKBACK = 30 * 60_000;
const REGION = "us-east-1";

let tdb: TestDatabase;
let db: pg.Pool;
let sandbox: Sandbox;
let account: AccountRow;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 4 });
  sandbox = await startSandbox({ port: 0, seed: 12, now: () => NOW, backfillMs: LOOKBACK });
  account = await createSandboxAccount(db, sandbox.url);
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  await db?.end();
  await tdb?.drop();
});

async function warnings() {
  const { rows } = await db.query(
    "SELECT feature, resource, action, denied, message, count FROM ingest_warnings WHERE account_id = $1 AND region = $2 ORDER BY feature, resource",
    [account.id, REGION],
  );
  return rows as { feature: string; resource: string; action: string | null; denied: boolean; message: string; count: number }[];
}

async function lambdaTags() {
  const { rows } = await db.query("SELECT name, tags, config->'tags' AS config_tags FROM resources WHERE account_id = $1 AND region = $2 AND kind = 'lambda' ORDER BY name", [
    account.id,
    REGION,
  ]);
  return rows;
}

describe("one optional call denied or not implemented", () => {
  const functions = () => sandbox.workload.listFunctions(REGION).map((f) => f.spec.name).sort();

  it("discovery still lands every function, keeps their tags, and names the IAM action of each failed call", async () => {
    await discoverAccountRegion(db, account, REGION);
    const tagsBefore = await lambdaTags();
    expect(tagsBefore.some((r) => Object.keys(r.tags).length > 0)).toBe(true);
    expect(await warnings()).toEqual([]);

    sandbox.setCallPolicy({ deny: ["lambda:ListTags"], html404: ["lambda:ListProvisionedConcurrencyConfigs"] });
    const r = await discoverAccountRegion(db, account, REGION);
    expect(r.counts.lambdaSeen).toBe(functions().length);
    expect(r.counts.lambdaDeleted).toBe(0);
    expect(await lambdaTags()).toEqual(tagsBefore);

    const w = await warnings();
    const denied = w.filter((x) => x.feature === "tags");
    expect(denied.map((x) => x.resource)).toEqual(functions());
    expect(denied.every((x) => x.action === "lambda:ListTags" && x.denied)).toBe(true);
    const unsupported = w.filter((x) => x.feature === "provisioned concurrency");
    expect(unsupported.map((x) => x.resource)).toEqual(functions());
    expect(unsupported[0]).toMatchObject({ action: "lambda:ListProvisionedConcurrencyConfigs", denied: false });
    expect(unsupported[0].message).toMatch(/does not implement this call \(HTTP 404/);
    expect(w.filter((x) => x.feature !== "tags" && x.feature !== "provisioned concurrency")).toEqual([]);
  });

  it("logs of every function still land while the calls stay refused", async () => {
    const result = await pullLogs(db, account, REGION, { now: NOW, lookbackMs: LOOKBACK });
    expect(result.problems).toEqual([]);
    const { rows } = await db.query(
      "SELECT count(DISTINCT i.resource_id)::int AS functions FROM invocations i JOIN resources r ON r.id = i.resource_id WHERE r.account_id = $1 AND r.region = $2",
      [account.id, REGION],
    );
    expect(rows[0].functions).toBeGreaterThan(3);
  });

  it("a second refused pass counts the warning again; a pass where the call succeeds clears it", async () => {
    await discoverAccountRegion(db, account, REGION);
    expect((await warnings()).every((x) => x.count === 2)).toBe(true);
    sandbox.setCallPolicy({ html404: ["lambda:ListProvisionedConcurrencyConfigs"] });
    await discoverAccountRegion(db, account, REGION);
    expect(new Set((await warnings()).map((x) => x.feature))).toEqual(new Set(["provisioned concurrency"]));
    sandbox.setCallPolicy({});
    await discoverAccountRegion(db, account, REGION);
    expect(await warnings()).toEqual([]);
  });

  it("a kind whose listing is denied is a warning for the region, the other kinds still land", async () => {
    sandbox.setCallPolicy({ deny: ["dynamodb:ListTables"] });
    const r = await discoverAccountRegion(db, account, REGION);
    expect(r.counts.lambdaSeen).toBe(functions().length);
    expect(await warnings()).toEqual([
      expect.objectContaining({ feature: "discovery (dynamodb)", resource: "", action: "dynamodb:ListTables", denied: true }),
    ]);
    sandbox.setCallPolicy({});
  });

  it("a queue whose detail call is denied is kept as last seen, with a warning naming it and the action", async () => {
    const { rows: before } = await db.query("SELECT name, config FROM resources WHERE account_id = $1 AND region = $2 AND kind = 'sqs' ORDER BY name", [account.id, REGION]);
    expect(before.length).toBeGreaterThan(0);
    sandbox.setCallPolicy({ deny: ["sqs:GetQueueAttributes"] });
    const r = await discoverAccountRegion(db, account, REGION);
    expect(r.counts.sqsDeleted).toBe(0);
    expect(r.counts.sqsChanged).toBe(0);
    const { rows: after } = await db.query(
      "SELECT name, config FROM resources WHERE account_id = $1 AND region = $2 AND kind = 'sqs' AND deleted_at IS NULL ORDER BY name",
      [account.id, REGION],
    );
    expect(after).toEqual(before);
    const w = await warnings();
    expect(w.map((x) => [x.feature, x.resource, x.action, x.denied])).toEqual(before.map((q) => ["discovery (sqs)", q.name, "sqs:GetQueueAttributes", true]));
    sandbox.setCallPolicy({});
    await discoverAccountRegion(db, account, REGION);
    expect(await warnings()).toEqual([]);
  });

  it("a denied metrics call and a denied traces call are warnings naming their IAM action; logs still land", async () => {
    sandbox.setCallPolicy({ deny: ["cloudwatch:GetMetricData", "xray:GetTraceSummaries"] });
    const metrics = await pullMetrics(db, account, REGION, { now: NOW, lookbackMs: LOOKBACK });
    expect(metrics.problems.join()).toMatch(/AccessDenied/);
    await pullTraces(db, account, REGION, { now: NOW, lookbackMs: LOOKBACK }).catch(() => null);
    const logs = await pullLogs(db, account, REGION, { now: NOW + 60_000 });
    expect(logs.problems).toEqual([]);
    const w = await warnings();
    expect(w.filter((x) => x.feature === "metrics")).toEqual([expect.objectContaining({ resource: "", action: "cloudwatch:GetMetricData", denied: true })]);
    const traced = sandbox.workload.listFunctions(REGION).filter((f) => f.spec.tracing === "Active").map((f) => f.spec.name).sort();
    const traces = w.filter((x) => x.feature === "traces");
    expect(traces.map((x) => x.resource)).toEqual(traced);
    expect(traces.every((x) => x.action === "xray:GetTraceSummaries" && x.denied)).toBe(true);

    sandbox.setCallPolicy({});
    await pullMetrics(db, account, REGION, { now: NOW, lookbackMs: LOOKBACK });
    // Every traced function's window at once: faster than AWS's 5 calls a second (the pacing is not what this checks).
    await pullTraces(db, account, REGION, { now: NOW, lookbackMs: LOOKBACK, callsPerSecond: 1000 });
    expect((await warnings()).filter((x) => x.feature === "metrics" || x.feature === "traces")).toEqual([]);
  });

  it("unusable credentials still fail the region", async () => {
    sandbox.setCallPolicy({ badToken: ["lambda:ListFunctions"] });
    await expect(discoverAccountRegion(db, account, REGION)).rejects.toThrow(/security token included in the request is invalid/);
    sandbox.setCallPolicy({});
  });
});
