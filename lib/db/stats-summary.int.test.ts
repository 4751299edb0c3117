import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RANGE_PRESETS, resolveRange, type RangePreset } from "@/lib/api/schemas/common";
import type { AccountRow } from "@/lib/db/account-access";
import { startSandbox, type Sandbox } from "@/lib/sandbox";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { createSandboxAccount } from "@/test/sandbox-account";
import { discoverAccountRegion } from "@/workers/ingest/discover";
import { pullLogs } from "@/workers/ingest/logs";
import { parseLambdaLogEvents } from "../ingest/lambda-logs";
import { writeLambdaBatch } from "./lambda-writer";
import { createPool } from "./pool";
import { queryFleetTotals } from "./queries/fleet";
import { getResourceStats } from "./queries/range-stats";
import { queryResourceStats } from "./queries/resource-stats";
import { readSummarisedFleetTotals, readSummarisedStats, readSummarisedStatsWithBins } from "./queries/stats-summary";
import { refreshStatsSummaries } from "./stats-summary-refresh";

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const REGION = "us-east-1";
const PRESETS = Object.keys(RANGE_PRESETS) as RangePreset[];
const FLEET = { includeDeleted: true };

let tdb: TestDatabase;
let db: pg.Pool;
let sandbox: Sandbox;
let account: AccountRow;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = createPool(tdb.url, 4);
  sandbox = await startSandbox({ port: 0, seed: 11, now: () => NOW, backfillMs: 3 * 3_600_000 });
  account = await createSandboxAccount(db, sandbox.url);
  await discoverAccountRegion(db, account, REGION);
  const logs = await pullLogs(db, account, REGION, { now: NOW, lookbackMs: 2 * 3_600_000 });
  expect(logs.problems).toEqual([]);
  expect(logs.counts.invocationsNew).toBeGreaterThan(100);
}, 240_000);

afterAll(async () => {
  await sandbox?.close();
  await db?.end();
  await tdb?.drop();
});

/** Sums of floats come out of Postgres in no fixed order: the expected value with each fraction matched to 12 significant digits. */
function approx(v: unknown): unknown {
  if (typeof v === "number" && !Number.isInteger(v)) return expect.closeTo(v, 12 - Math.ceil(Math.log10(Math.abs(v))));
  if (Array.isArray(v)) return v.map(approx);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, approx(x)]));
  return v;
}

const range = (preset: RangePreset) => resolveRange({ range: preset, to: NOW }, NOW);

/** One late invocation of the first function, as the pull worker writes it. */
async function writeLateInvocation(functionName: string, resourceId: number) {
  const t = NOW - 20 * 60_000;
  const req = "5eed0000-aaaa-4bbb-8ccc-000000000001";
  const stream = "2026/11/20/[$LATEST]00000000000000000000000000000001";
  const events = [
    `START RequestId: ${req} Version: $LATEST`,
    `END RequestId: ${req}`,
    `REPORT RequestId: ${req}\tDuration: 61000.00 ms\tBilled Duration: 61000 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\t`,
  ].map((message, i) => ({ eventId: `late-${i}`, logGroupName: `/aws/lambda/${functionName}`, logStreamName: stream, timestamp: t + i, message }));
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    await writeLambdaBatch(client, { resourceId, region: REGION, architecture: "x86_64" }, parseLambdaLogEvents(events, { functionName }));
    await client.query("COMMIT");
  } finally {
    client.release();
  }
}

describe("stats summaries of the preset ranges", () => {
  it("answer as the rollups do, for every preset, the fleet bins and the period before", async () => {
    const counts = await refreshStatsSummaries(db, NOW);
    expect(counts.computed).toBe(PRESETS.length);
    for (const preset of PRESETS) {
      const r = range(preset);
      const live = await queryResourceStats(db, FLEET, r.from, r.to, true);
      expect(live.resources.some((s) => s.invocations > 0)).toBe(true);
      expect(await readSummarisedStatsWithBins(db, FLEET, r.from, r.to), preset).toEqual(approx(live));
      const lambdas = (await queryResourceStats(db, { kind: "lambda" }, r.from, r.to, false)).resources;
      expect(await readSummarisedStats(db, { kind: "lambda" }, r.from, r.to), preset).toEqual(approx(lambdas));
      const prev = await queryFleetTotals(db, FLEET, r.prevFrom, r.prevTo);
      expect(await readSummarisedFleetTotals(db, FLEET, r.prevFrom, r.prevTo), preset).toEqual(approx(prev));
    }
  });

  it("serve any filter on the function list, and none for a range they were not computed for", async () => {
    const r = range("24h");
    const { rows } = await db.query<{ name: string; runtime: string }>("SELECT name, config->>'runtime' AS runtime FROM resources WHERE kind = 'lambda' ORDER BY id LIMIT 1");
    for (const filter of [{ kind: "lambda", runtime: [rows[0].runtime] }, { kind: "lambda", q: rows[0].name.slice(0, 4) }, { region: [REGION] }]) {
      const summarised = await readSummarisedStats(db, filter, r.from, r.to);
      expect(summarised?.length, JSON.stringify(filter)).toBeGreaterThan(0);
      expect(summarised).toEqual(approx((await queryResourceStats(db, filter, r.from, r.to, false)).resources));
    }
    // Fleet bins are kept per account and region: a narrower filter reads the rollups.
    expect(await readSummarisedStatsWithBins(db, { ...FLEET, runtime: [rows[0].runtime] }, r.from, r.to)).toBeNull();
    expect(await readSummarisedStats(db, {}, r.from - 3 * 3_600_000, r.to - 3 * 3_600_000)).toBeNull();
  });

  it("are left alone while nothing changed, stop answering after a write, and catch up on the next refresh", async () => {
    expect(await refreshStatsSummaries(db, NOW)).toMatchObject({ computed: 0, unchanged: PRESETS.length });
    // Old enough that only the version can keep them current.
    await db.query("UPDATE stats_summary_scopes SET computed_at = now() - interval '10 minutes'");
    const r = range("24h");
    expect(await readSummarisedStats(db, FLEET, r.from, r.to)).not.toBeNull();

    const { rows } = await db.query<{ id: number; name: string }>("SELECT id, name FROM resources WHERE kind = 'lambda' ORDER BY id LIMIT 1");
    const before = (await queryResourceStats(db, FLEET, r.from, r.to, false)).resources.find((s) => s.id === rows[0].id)!;
    await writeLateInvocation(rows[0].name, rows[0].id);
    expect(await readSummarisedStats(db, FLEET, r.from, r.to)).toBeNull();
    expect(await readSummarisedStatsWithBins(db, FLEET, r.from, r.to)).toBeNull();

    expect((await refreshStatsSummaries(db, NOW)).computed).toBe(PRESETS.length);
    const after = (await readSummarisedStats(db, FLEET, r.from, r.to))!.find((s) => s.id === rows[0].id)!;
    expect(after.invocations).toBe(before.invocations + 1);
    expect(after.durationSumMs).toBeCloseTo(before.durationSumMs + 61_000, 6);
  });

  it("are what the pages read: a summary current for the range answers before the rollups", async () => {
    await refreshStatsSummaries(db, NOW);
    const r = range("7d");
    const { rows } = await db.query<{ id: number }>("SELECT resource_id AS id FROM stats_summaries WHERE invocations > 0 ORDER BY resource_id LIMIT 1");
    // Mark the summary so that a read of it can be told from a read of the rollups.
    await db.query("UPDATE stats_summaries SET retries = 4242 WHERE resource_id = $1", [rows[0].id]);
    const stats = await getResourceStats(db, { kind: "lambda", ids: [rows[0].id] }, r.from, r.to);
    expect(stats[0].retries).toBe(4242);
  });

  it("go with their account", async () => {
    await db.query("DELETE FROM accounts WHERE id = $1", [account.id]);
    const { rows } = await db.query("SELECT (SELECT count(*) FROM stats_summary_scopes)::int AS scopes, (SELECT count(*) FROM stats_summaries)::int AS rows");
    expect(rows[0]).toEqual({ scopes: 0, rows: 0 });
  });
});
