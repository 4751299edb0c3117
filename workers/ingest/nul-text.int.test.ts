import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../lib/sandbox";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { createSandboxAccount } from "../../test/sandbox-account";
import { compareWithSandbox } from "../../test/sandbox-truth";
import type { AccountRow } from "../../lib/db/account-access";
import { discoverAccountRegion } from "./discover";
import { pullLogs } from "./logs";

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const LOOKBACK = 40 * 60_000;
const REGION = "us-east-1";

let tdb: TestDatabase;
let db: pg.Pool;
let sandbox: Sandbox;
let account: AccountRow;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 4 });
  sandbox = await startSandbox({ port: 0, seed: 14, now: () => NOW, backfillMs: LOOKBACK, poisonRate: 0.05 });
  account = await createSandboxAccount(db, sandbox.url, [REGION]);
  await discoverAccountRegion(db, account, REGION, ["lambda"]);
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  await db?.end();
  await tdb?.drop();
});

describe("log lines with a NUL byte and an unpaired surrogate (sandbox --poison-rate)", () => {
  it("are stored with U+FFFD in their place, and nothing else of their function is lost", async () => {
    const poisoned = sandbox.workload
      .listFunctions(REGION)
      .flatMap((f) => sandbox.workload.logEvents(f.logGroupName, REGION, NOW - LOOKBACK, NOW + 1))
      .filter((e) => e.ingestionTime <= NOW && e.message.includes("\u0000"));
    expect(poisoned.length).toBeGreaterThan(5);

    const result = await pullLogs(db, account, REGION, { now: NOW, lookbackMs: LOOKBACK });
    expect(result.problems).toEqual([]);
    expect(result.counts.quarantined).toBe(0);

    const { rows } = await db.query("SELECT event_id, message FROM log_events WHERE event_id = ANY($1::text[]) ORDER BY event_id", [poisoned.map((e) => e.eventId)]);
    expect(rows).toHaveLength(poisoned.length);
    const byId = new Map(poisoned.map((e) => [e.eventId, e.message]));
    for (const r of rows) expect(r.message).toBe(byId.get(r.event_id)!.replace("\u0000", "\uFFFD").replace("\uD800", "\uFFFD"));

    const { compared, mismatches } = await compareWithSandbox(db, sandbox, REGION, NOW - LOOKBACK + 5 * 60_000, NOW - 10 * 60_000);
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(100);
  });
});
