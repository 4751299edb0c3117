import { spawn } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../lib/sandbox";
import type { AccountRow } from "../../lib/db/account-access";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { createSandboxAccount } from "../../test/sandbox-account";
import { compareWithSandbox } from "../../test/sandbox-truth";
import { discoverAccountRegion } from "./discover";
import { pullLogs } from "./logs";

const ROOT = path.resolve(import.meta.dirname, "../..");
const NOW = Date.UTC(2026, 10, 19, 18, 0, 0);
const LOOKBACK = 90 * 60_000;
const REGION = "us-east-1";

let tdb: TestDatabase;
let db: pg.Pool;
let sandbox: Sandbox;
let account: AccountRow;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 4 });
  sandbox = await startSandbox({ port: 0, seed: 5, now: () => NOW, backfillMs: LOOKBACK });
  account = await createSandboxAccount(db, sandbox.url);
  await discoverAccountRegion(db, account, REGION, ["lambda"]);
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  await db?.end();
  await tdb?.drop();
});

function runChild(): { done: Promise<number | null>; kill: () => void } {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "test/pull-child.ts"), String(account.id), REGION, String(NOW), String(LOOKBACK)], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: tdb.url, LOG_LEVEL: "silent" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return { done: new Promise((r) => child.once("exit", (code) => r(code))), kill: () => child.kill("SIGKILL") };
}

describe("log ingestion under failure", () => {
  it("loses nothing and counts nothing twice when the worker is killed mid-batch and restarted", async () => {
    const first = runChild();
    // Kill it once it has committed some chunks but is far from done.
    for (;;) {
      const { rows } = await db.query("SELECT count(*)::int AS n FROM log_events");
      if (rows[0].n > 3_000) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    first.kill();
    expect(await first.done).toBeNull();
    const partial = (await db.query("SELECT count(*)::int AS n FROM invocations")).rows[0].n;

    const second = runChild();
    expect(await second.done).toBe(0);
    const { compared, mismatches } = await compareWithSandbox(db, sandbox, REGION, NOW - LOOKBACK + 5 * 60_000, NOW - 10 * 60_000);
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(partial);
    const dup = await db.query("SELECT count(*)::int AS n FROM (SELECT resource_id, request_id, attempt FROM invocations GROUP BY 1, 2, 3 HAVING count(*) > 1) d");
    expect(dup.rows[0].n).toBe(0);
    const { rows } = await db.query(
      "SELECT (SELECT count(*) FROM invocations WHERE complete)::int AS complete, (SELECT sum(invocations) FROM rollup_minute)::int AS rolled",
    );
    expect(rows[0].rolled).toBe(rows[0].complete);
  });

  it("loses nothing when CloudWatch Logs throttles a third of the calls", async () => {
    await db.query("TRUNCATE invocations, log_events, rollup_minute, rollup_hour, rollup_day, error_groups, error_occurrences, ingest_cursors");
    sandbox.setFaults({ FilterLogEvents: { throttleRate: 0.33 } });
    try {
      const result = await pullLogs(db, account, REGION, { now: NOW, lookbackMs: LOOKBACK });
      expect(result.problems).toEqual([]);
    } finally {
      sandbox.setFaults({});
    }
    const { mismatches } = await compareWithSandbox(db, sandbox, REGION, NOW - LOOKBACK + 5 * 60_000, NOW - 10 * 60_000);
    expect(mismatches).toEqual([]);
  });
});
