import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccountRow } from "../../lib/db/account-access";
import { listDeploys, versionMetrics } from "../../lib/db/queries/deploys";
import { startSandbox, type Sandbox } from "../../lib/sandbox";
import { FIRST_INCIDENT_AFTER_MS } from "../../lib/sandbox/workload";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { createSandboxAccount } from "../../test/sandbox-account";
import { discoverAccountRegion } from "./discover";
import { pullLogs } from "./logs";

// Deploy tracking over what discovery and the log pass store from the sandbox: auth-authorizer gets new code
// a minute after the incident anchor that fails more and runs slower. Discovery before and after it records
// the CodeSha256 change; the minute rollups on each side give the verdict.
const START = Date.UTC(2026, 10, 21, 15, 0, 0);
const MIN = 60_000;
const DEPLOY = START + FIRST_INCIDENT_AFTER_MS + MIN;
const REGION = "us-east-1";

let clock = START;
let tdb: TestDatabase;
let db: pg.Pool;
let sandbox: Sandbox;
let account: AccountRow;
let fnId = 0;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 4 });
  sandbox = await startSandbox({ port: 0, seed: 21, now: () => clock, backfillMs: 2 * 60 * MIN });
  account = await createSandboxAccount(db, sandbox.url);
  await discoverAccountRegion(db, account, REGION, undefined, new Date(clock));
  await pullLogs(db, account, REGION, { now: clock, lookbackMs: 60 * MIN });
  clock = DEPLOY + 30 * MIN;
  await discoverAccountRegion(db, account, REGION, undefined, new Date(clock));
  await pullLogs(db, account, REGION, { now: clock, lookbackMs: 60 * MIN });
  const { rows } = await db.query<{ id: number }>("SELECT id FROM resources WHERE name = 'auth-authorizer' AND region = $1", [REGION]);
  fnId = rows[0].id;
}, 240_000);

afterAll(async () => {
  await sandbox?.close();
  await db?.end();
  await tdb?.drop();
});

describe("deploy tracking over the sandbox", () => {
  it("finds the code deploy at its LastModified and calls it worse", async () => {
    const deploys = await listDeploys(db, fnId, START - 60 * MIN, clock);
    expect(deploys).toHaveLength(1);
    const [d] = deploys;
    expect(d.at).toBe(DEPLOY);
    expect(d.fromSha).not.toBe(d.toSha);
    // Each side spans from the deploy to now: 30 minutes.
    expect(d.windowMs).toBe(30 * MIN);
    expect(d.before.invocations).toBeGreaterThan(100);
    expect(d.after.invocations).toBeGreaterThan(100);
    expect(d.verdict.verdict).toBe("worse");
    expect(d.verdict.errorRate.direction).toBe("worse");
    expect(d.verdict.errorRate.z).toBeGreaterThan(1.96);
    expect(d.verdict.text).toMatch(/^Worse after the deploy: error rate/);
  });

  it("counts invocations per executed version from the log stream names", async () => {
    const versions = await versionMetrics(db, fnId, START - 60 * MIN, clock);
    expect(versions.map((v) => v.version)).toEqual(["$LATEST"]);
    expect(versions[0].invocations).toBeGreaterThan(200);
    expect(versions[0].failed).toBeGreaterThan(0);
  });
});
