import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../lib/sandbox";
import type { AccountRow } from "../../lib/db/account-access";
import { CostQuery } from "../../lib/api/schemas/cost";
import { getCost } from "../../lib/db/queries/cost";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { createSandboxAccount } from "../../test/sandbox-account";
import { discoverAccountRegion } from "./discover";
import { evaluateAccountInsights } from "./insights";
import { pullLogs } from "./logs";

const NOW = Date.UTC(2026, 10, 18, 9, 0, 0);
const LOOKBACK = 6 * 3_600_000;
const REGION = "us-east-1";

let tdb: TestDatabase;
let db: pg.Pool;
let sandbox: Sandbox;
let account: AccountRow;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 4 });
  sandbox = await startSandbox({ port: 0, seed: 9, now: () => NOW, backfillMs: LOOKBACK });
  account = await createSandboxAccount(db, sandbox.url);
  await discoverAccountRegion(db, account, REGION);
  await pullLogs(db, account, REGION, { now: NOW, lookbackMs: LOOKBACK });
}, 180_000);

afterAll(async () => {
  await sandbox?.close();
  await db?.end();
  await tdb?.drop();
});

async function openInsights() {
  const { rows } = await db.query(
    "SELECT i.rule_id, r.name, i.state, i.severity, i.evidence FROM insights i JOIN resources r ON r.id = i.resource_id WHERE i.state <> 'resolved'",
  );
  return rows;
}

describe("insights job", () => {
  it("finds what is wrong with the sandbox's functions, from stored rollups and configuration", async () => {
    const r = await evaluateAccountInsights(db, account.id, REGION, NOW);
    expect(r.counts.findings).toBeGreaterThan(5);
    const found = (await openInsights()).map((i) => `${i.rule_id}:${i.name}`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^lambda-timeouts:report-generator$/),
        expect.stringMatching(/^lambda-out-of-memory:image-processor$/),
        expect.stringMatching(/^lambda-deprecated-runtime:/),
        expect.stringMatching(/^lambda-memory-over-provisioned:/),
      ]),
    );
  });

  it("states failures as the raw invocations count them: error + timeout + out of memory + crash", async () => {
    const { rows } = await db.query(
      `SELECT r.name, count(*)::int AS invocations,
              count(*) FILTER (WHERE i.status IN ('error', 'timeout', 'out_of_memory', 'crash'))::int AS failed
         FROM invocations i JOIN resources r ON r.id = i.resource_id
        WHERE i.complete AND r.name = 'report-generator' GROUP BY r.name`,
    );
    const insight = (await openInsights()).find((i) => i.rule_id === "lambda-error-rate" && i.name === "report-generator");
    expect(rows[0].failed).toBeGreaterThan(0);
    expect(insight?.evidence).toMatchObject({ failed: rows[0].failed, invocations: rows[0].invocations });
    const ratePct = (rows[0].failed / rows[0].invocations) * 100;
    expect(insight?.severity).toBe(ratePct > 10 ? "critical" : "warning");
  });

  it("gives the same memory advice on the insight card and the cost page's right-sizing table", async () => {
    const week = 7 * 24 * 3_600_000;
    const cost = await getCost(db, CostQuery.parse({ groupBy: "resource" }), { from: NOW - week, to: NOW, prevFrom: NOW - 2 * week, prevTo: NOW - week }, NOW);
    const byName = new Map(cost.groups.map((g) => [g.label, g.rightSizing]));
    const cards = (await openInsights()).filter((i) => i.rule_id === "lambda-memory-over-provisioned");
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) {
      const table = byName.get(card.name);
      expect(table, card.name).toMatchObject({ action: "cut", recommendedMemoryMB: card.evidence.recommendedMemoryMB });
      expect(Math.round(table!.monthlySavingUsd * 100) / 100, card.name).toBe(card.evidence.monthlySavingUsd);
      expect(Math.round(table!.currentMonthlyCostUsd * 100) / 100, card.name).toBe(card.evidence.monthlyCostUsd);
      expect(table!.basis).toBe(card.evidence.monthlyBasis);
    }
    // report-generator times out: neither place advises less memory.
    expect(byName.get("report-generator")).toMatchObject({ action: "keep", hold: "timeouts", recommendedMemoryMB: 2048 });
    expect(byName.get("report-generator")!.options.filter((o) => o.memoryMB < 2048 && o.fits)).toEqual([]);
    expect(cards.map((c) => c.name)).not.toContain("report-generator");

    // The table's "now, per 30 days" is each function's cost at the rate of its hours with data: from the hour of
    // its first invocation (raw rows) to the range's end. The sandbox holds 6 h, so a week's rate would be 28x less.
    const { rows: firsts } = await db.query<{ name: string; first: Date }>(
      `SELECT r.name, date_trunc('hour', min(coalesce(i.started_at, i.ended_at - i.duration_ms * interval '1 millisecond'))) AS first
         FROM invocations i JOIN resources r ON r.id = i.resource_id GROUP BY r.name`,
    );
    const dataSince = new Map(firsts.map((f) => [f.name, f.first.getTime()]));
    const sized = cost.groups.filter((g) => g.rightSizing);
    expect(sized.length).toBeGreaterThan(3);
    for (const g of sized) {
      const hoursWithData = NOW - Math.max(NOW - week, dataSince.get(g.label)!);
      expect(hoursWithData, g.label).toBeLessThan(8 * 3_600_000);
      const atItsRate = (g.costUsd * 30 * 24 * 3_600_000) / hoursWithData;
      expect(Math.abs(g.rightSizing!.currentMonthlyCostUsd - atItsRate) / atItsRate, g.label).toBeLessThan(0.02);
      expect(g.rightSizing!.basis, g.label).toMatch(/^30 days at the rate of the last [67](\.\d)? h /);
    }
  });

  it("raises no 'new error type' on the first pass: a function's first day of data is its baseline", async () => {
    expect((await openInsights()).filter((i) => i.rule_id === "lambda-new-error-type")).toEqual([]);
  });

  it("keeps an acknowledged insight acknowledged while the condition stands, and is idempotent", async () => {
    await db.query("UPDATE insights SET state = 'acknowledged' WHERE rule_id = 'lambda-timeouts'");
    const before = await openInsights();
    await evaluateAccountInsights(db, account.id, REGION, NOW);
    const after = await openInsights();
    expect(after.length).toBe(before.length);
    expect(after.find((i) => i.rule_id === "lambda-timeouts")?.state).toBe("acknowledged");
  });

  it("resolves an insight by itself when its condition clears", async () => {
    // A week later with no new invocations, the timeouts have left the window.
    await evaluateAccountInsights(db, account.id, REGION, NOW + 8 * 24 * 3_600_000);
    const { rows } = await db.query("SELECT state, resolved_at FROM insights WHERE rule_id = 'lambda-timeouts'");
    expect(rows[0].state).toBe("resolved");
    expect(rows[0].resolved_at).not.toBeNull();
  });
});
