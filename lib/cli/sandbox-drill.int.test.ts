import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDefaultPolicies } from "../db/alerts/default-policies";
import { evaluateAlerts } from "../db/alerts/evaluate-alerts";
import type { AccountRow } from "../db/account-access";
import { startSandbox, type Sandbox } from "../sandbox";
import { FIRST_INCIDENT_AFTER_MS } from "../sandbox/workload";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { createSandboxAccount } from "../../test/sandbox-account";
import { discoverAccountRegion } from "../../workers/ingest/discover";
import { pullLogs } from "../../workers/ingest/logs";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
const MIN = 60_000;
const REGION = "us-east-1";
const NOW = Date.UTC(2026, 10, 24, 9, 0, 0);
// The sandbox starts at NOW: checkout-api's first burst runs from A for five minutes, then every hour.
const A = NOW + FIRST_INCIDENT_AFTER_MS;
const BASE = "http://osprey.test";

let tdb: TestDatabase;
let db: pg.Pool;
let sandbox: Sandbox;
let account: AccountRow;
let now = NOW;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 4 });
  sandbox = await startSandbox({ port: 0, seed: 5, now: () => now, backfillMs: 60 * MIN });
  account = await createSandboxAccount(db, sandbox.url);
  await discoverAccountRegion(db, account, REGION, ["lambda"]);
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  await db?.end();
  await tdb?.drop();
});

const checkoutIncidents = async () =>
  (
    await db.query<{ state: string; opened_at: Date; resolved_at: Date | null; value: number }>(
      `SELECT i.state::text AS state, i.opened_at, i.resolved_at, i.value FROM incidents i JOIN resources r ON r.id = i.resource_id
        JOIN alert_policies p ON p.id = i.policy_id WHERE r.name = 'checkout-api' AND p.is_default AND p.condition_kind = 'error_rate' ORDER BY i.id`,
    )
  ).rows;

describe("the sandbox's incident scenario and fire drill, through log ingestion and the default policies", () => {
  it("checkout-api's burst opens an incident under the default error-rate policy, which resolves after the burst", async () => {
    now = A + 8 * MIN;
    const pass = await pullLogs(db, account, REGION, { now, lookbackMs: 70 * MIN });
    expect(pass.problems).toEqual([]);
    await ensureDefaultPolicies(db);
    // Before the burst the window is quiet: nothing opens for checkout-api.
    await evaluateAlerts(db, { now: A - MIN, baseUrl: BASE });
    expect(await checkoutIncidents()).toEqual([]);

    await evaluateAlerts(db, { now, baseUrl: BASE });
    const [opened, ...more] = await checkoutIncidents();
    expect(more).toEqual([]);
    expect(opened.state).toBe("open");
    expect(opened.value).toBeGreaterThanOrEqual(0.05);

    now = A + 30 * MIN;
    expect((await pullLogs(db, account, REGION, { now })).problems).toEqual([]);
    for (let t = A + 9 * MIN; t <= now; t += MIN) await evaluateAlerts(db, { now: t, baseUrl: BASE });
    const after = await checkoutIncidents();
    expect(after).toHaveLength(1);
    expect(after[0].state).toBe("resolved");
    // The 10-minute window clears of the burst at A + 15 min; the policy resolves after 5 clear minutes.
    expect(after[0].resolved_at!.getTime()).toBeGreaterThanOrEqual(A + 15 * MIN);
    expect(after[0].resolved_at!.getTime()).toBeLessThanOrEqual(A + 22 * MIN);
  }, 180_000);

  it("`osprey sandbox drill` finds the running sandbox from its account row; the timeouts it causes are ingested and stored", async () => {
    now = A + 31 * MIN;
    const env = { ...process.env, DATABASE_URL: tdb.url, LOG_LEVEL: "warn" };
    const osprey = (args: string[]) => run(path.join(ROOT, "bin/osprey"), args, { env, cwd: ROOT }).then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);

    const bad = await osprey(["sandbox", "drill", "--function", "no-such-fn", "--kind", "timeout"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("no function no-such-fn");

    const r = await osprey(["sandbox", "drill", "--function", "api-backend", "--kind", "timeout", "--minutes", "2"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`api-backend (us-east-1) times out on every invocation from ${new Date(now).toISOString()} until ${new Date(now + 2 * MIN).toISOString()}`);

    now = A + 40 * MIN;
    expect((await pullLogs(db, account, REGION, { now })).problems).toEqual([]);
    const { rows } = await db.query<{ request_id: string; duration_ms: number }>(
      `SELECT i.request_id, i.duration_ms FROM invocations i JOIN resources r ON r.id = i.resource_id
        WHERE r.name = 'api-backend' AND i.status = 'timeout' AND i.started_at >= $1 ORDER BY i.request_id`,
      [new Date(A + 31 * MIN)],
    );
    const truth = sandbox.workload.invocations("api-backend", REGION, A + 31 * MIN, A + 40 * MIN).filter((i) => i.status === "timeout");
    expect(truth.length).toBeGreaterThan(5);
    expect(rows.map((x) => x.request_id)).toEqual(truth.map((i) => i.requestId).sort());
    for (const x of rows) expect(x.duration_ms).toBeGreaterThan(29_000);
  }, 180_000);
});
