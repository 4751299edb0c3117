import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, parseFaultSpec, type Sandbox } from "../../lib/sandbox";
import { createSandboxAccount } from "../../test/sandbox-account";
import { storedRows } from "../../test/stored-rows";
import { testDatabases } from "../../test/test-databases";
import { discoverAccountRegion } from "./discover";
import { pullLogs } from "./logs";
import { pullMetrics } from "./metrics";
import { pullTraces } from "./traces";

const NOW = Date.UTC(2026, 10, 24, 9, 0, 0);
const LOOKBACK = 30 * 60_000;
const REGION = "us-east-1";
// 30 % of every call fails as AWS fails: throttled, 500/503, cut mid-answer or reset.
const FAULTS = "throttle=0.2,5xx=0.05,cut=0.025,reset=0.025,seed=7";

let sandbox: Sandbox;
const dbs = testDatabases();

/** One full pass, as `osprey ingest --once` makes it: discovery, logs, metrics, traces. */
async function ingestOnce(db: pg.Pool) {
  const account = await createSandboxAccount(db, sandbox.url, [REGION]);
  const d = await discoverAccountRegion(db, account, REGION);
  const l = await pullLogs(db, account, REGION, { now: NOW, lookbackMs: LOOKBACK });
  const m = await pullMetrics(db, account, REGION, { now: NOW, lookbackMs: LOOKBACK });
  const t = await pullTraces(db, account, REGION, { now: NOW, lookbackMs: LOOKBACK });
  return { problems: [...d.problems, ...l.problems, ...m.problems, ...t.problems] };
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 12, now: () => NOW, backfillMs: LOOKBACK + 10 * 60_000 });
});

afterAll(async () => {
  await sandbox?.close();
  await dbs.dropAll();
});

describe("ingestion when a third of AWS's answers fail", () => {
  it("stores the same invocations, log lines, errors, spans and metric points as with no faults", async () => {
    const { db: cleanDb } = await dbs.fresh();
    const clean = await ingestOnce(cleanDb);
    const expected = await storedRows(cleanDb);
    expect(expected.invocations!.rows).toBeGreaterThan(1000);
    expect(expected.spans!.rows).toBeGreaterThan(100);
    expect(expected.errorOccurrences!.rows).toBeGreaterThan(0);

    const { db: faultyDb } = await dbs.fresh();
    sandbox.setFaults(parseFaultSpec(FAULTS).faults);
    let faulty;
    try {
      faulty = await ingestOnce(faultyDb);
    } finally {
      sandbox.setFaults({});
    }
    expect(faulty.problems).toEqual(clean.problems);
    expect(await storedRows(faultyDb)).toEqual(expected);
  }, 240_000);
});
