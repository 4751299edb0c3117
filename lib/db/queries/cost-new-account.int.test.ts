import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RangeQuery, resolveRange } from "@/lib/api/schemas/common";
import { CostQuery } from "@/lib/api/schemas/cost";
import { parseLambdaLogEvents } from "@/lib/ingest/lambda-logs";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { startTimes, workloadEvents } from "@/test/numbers-workload";
import { writeLambdaBatch } from "../lambda-writer";
import { getCost } from "./cost";

// An account added 42 hours ago, on the 20th of the month: the cost page's rates are its own hours', not a month
// or a range of idle days. Held against SQL over the raw invocations.

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 20, 12, 17, 23, 456);
const ADDED = NOW - 42 * HOUR;
const FN = { name: "image-resizer", memoryMB: 3008, timeoutS: 30, timeoutShare: 0 };
// Discovered in the account's first pass, whose first read went 24 h back (to ADDED); it ran only in the last 2 hours.
const NIGHTLY = { name: "nightly-report", memoryMB: 1024, timeoutS: 900, timeoutShare: 0 };
const FIRST_PASS = ADDED + 24 * HOUR;

let tdb: TestDatabase;
let db: pg.Pool;
let resourceId: number;
let nightlyId: number;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 2 });
  const { rows: accounts } = await db.query("INSERT INTO accounts (name, regions, updated_at) VALUES ('new', '{us-east-1}', now()) RETURNING id");
  const insert = async (fn: typeof FN) => {
    const { rows } = await db.query(
      "INSERT INTO resources (account_id, region, kind, arn, name, config, first_seen_at) VALUES ($1, 'us-east-1', 'lambda', $2, $3, $4, $5) RETURNING id",
      [accounts[0].id, `arn:aws:lambda:us-east-1:123456789012:function:${fn.name}`, fn.name, { logGroup: `/aws/lambda/${fn.name}`, memorySizeMB: fn.memoryMB, timeout: fn.timeoutS, runtime: "nodejs20.x", architecture: "x86_64" }, new Date(FIRST_PASS)],
    );
    return rows[0].id as number;
  };
  resourceId = await insert(FN);
  nightlyId = await insert(NIGHTLY);
  const write = async (id: number, fn: typeof FN, events: ReturnType<typeof workloadEvents>) => {
    const client = await db.connect();
    try {
      await client.query("BEGIN");
      await writeLambdaBatch(client, { resourceId: id, region: "us-east-1", architecture: "x86_64" }, parseLambdaLogEvents(events, { functionName: fn.name }));
      await client.query("COMMIT");
    } finally {
      client.release();
    }
  };
  await write(resourceId, FN, workloadEvents(FN, 1, startTimes(ADDED, NOW, [], 41, 4 * MIN), 42).filter((e) => e.timestamp < NOW));
  await write(nightlyId, NIGHTLY, workloadEvents(NIGHTLY, 2, startTimes(NOW - 2 * HOUR, NOW, [], 43, 2 * MIN), 44).filter((e) => e.timestamp < NOW));
}, 120_000);

afterAll(async () => {
  await db?.end();
  await tdb?.drop();
});

/** A function's cost from the raw invocations, and the start of the hour of its first one (where its rollups begin). */
async function raw(id = resourceId): Promise<{ costUsd: number; firstHour: number }> {
  const { rows } = await db.query<{ cost: number; first: Date }>(
    `SELECT sum(cost_usd)::float8 AS cost, date_trunc('hour', min(coalesce(started_at, ended_at - duration_ms * interval '1 millisecond'))) AS first
       FROM invocations WHERE complete AND resource_id = $1`,
    [id],
  );
  return { costUsd: rows[0].cost, firstHour: rows[0].first.getTime() };
}

describe("the cost page for an account with 42 hours of data", () => {
  it("averages the month to date over the days with data, not since the 1st", async () => {
    const { costUsd: resizer, firstHour } = await raw();
    const costUsd = resizer + (await raw(nightlyId)).costUsd;
    const cost = await getCost(db, CostQuery.parse({ range: "30d" }), resolveRange(RangeQuery.parse({ range: "30d" }), NOW), NOW);
    const p = cost.projectedMonth;
    expect(p.month).toBe("2026-11");
    expect(p.monthToDateUsd).toBeCloseTo(costUsd, 9);
    const daysWithData = (NOW - firstHour) / DAY;
    expect(daysWithData).toBeLessThan(2);
    expect(p.dailyAverageUsd).toBeCloseTo(costUsd / daysWithData, 9);
    expect(p.projectedUsd).toBeCloseTo(costUsd + (costUsd / daysWithData) * p.remainingDays, 9);
  });

  it("projects right-sizing's month at the rate of those hours, and says so", async () => {
    const { costUsd, firstHour } = await raw();
    const cost = await getCost(db, CostQuery.parse({ range: "30d", groupBy: "resource" }), resolveRange(RangeQuery.parse({ range: "30d" }), NOW), NOW);
    const sizing = cost.groups.find((g) => g.resourceId === resourceId)?.rightSizing;
    expect(sizing).toBeDefined();
    const atItsRate = (costUsd * 30 * DAY) / (NOW - firstHour);
    // List price per invocation against the month's tiers: within 2 %.
    expect(Math.abs(sizing!.currentMonthlyCostUsd - atItsRate) / atItsRate).toBeLessThan(0.02);
    expect(sizing!.basis).toMatch(/^30 days at the rate of the last 42(\.\d)? h /);
  });

  it("counts a function's read but idle hours: a job that ran once in 42 hours read is not that rate all month", async () => {
    const { costUsd, firstHour } = await raw(nightlyId);
    expect(NOW - firstHour).toBeLessThanOrEqual(3 * HOUR);
    const cost = await getCost(db, CostQuery.parse({ range: "7d", groupBy: "resource" }), resolveRange(RangeQuery.parse({ range: "7d" }), NOW), NOW);
    const sizing = cost.groups.find((g) => g.resourceId === nightlyId)?.rightSizing;
    const atReadRate = (costUsd * 30 * DAY) / (NOW - ADDED);
    expect(Math.abs(sizing!.currentMonthlyCostUsd - atReadRate) / atReadRate).toBeLessThan(0.02);
    expect(sizing!.basis).toMatch(/^30 days at the rate of the last 42 h /);
  });
});
