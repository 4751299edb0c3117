import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
const OSPREY = path.join(ROOT, "bin/osprey");

let tdb: TestDatabase;

async function osprey(args: string[]) {
  try {
    const { stdout, stderr } = await run(OSPREY, args, { env: { ...process.env, DATABASE_URL: tdb.url, LOG_LEVEL: "warn" }, cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  tdb = await createTestDatabase();
});

afterAll(async () => {
  await tdb?.drop();
});

describe("osprey alerts", () => {
  it("adds a policy (a percentage threshold stored as a share), lists it, refuses a bad one, removes it", async () => {
    const added = await osprey(["alerts", "add", "--name", "checkout errors", "--condition", "error_rate", "--threshold", "5%", "--critical", "25%", "--tag", "team=payments"]);
    expect(added.code, added.stderr).toBe(0);
    const id = Number(/added alert policy (\d+)/.exec(added.stdout)?.[1]);
    const db = new pg.Pool({ connectionString: tdb.url, max: 1 });
    const { rows } = await db.query("SELECT threshold, critical_threshold, scope_kind, tag_key, tag_value FROM alert_policies WHERE id = $1", [id]);
    await db.end();
    expect(rows[0]).toEqual({ threshold: 0.05, critical_threshold: 0.25, scope_kind: "tag", tag_key: "team", tag_value: "payments" });

    const listed = await osprey(["alerts", "list"]);
    expect(listed.stdout).toContain("checkout errors  error_rate ≥ 5 % (critical ≥ 25 %) over 10 min, warning, scope tag; 0 open incidents");

    const bad = await osprey(["alerts", "add", "--name", "x", "--condition", "lambda_vibes", "--threshold", "1"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/conditionKind/);

    // A kind measured in percent takes "80%" as 80, not as a share.
    expect((await osprey(["alerts", "add", "--name", "near timeout", "--condition", "p95_timeout_pct", "--threshold", "80%"])).code).toBe(0);
    const db2 = new pg.Pool({ connectionString: tdb.url, max: 1 });
    const { rows: pct } = await db2.query("SELECT id, threshold FROM alert_policies WHERE name = 'near timeout'");
    await db2.end();
    expect(pct[0].threshold).toBe(80);
    expect((await osprey(["alerts", "remove", String(pct[0].id)])).code).toBe(0);

    expect((await osprey(["alerts", "remove", String(id)])).code).toBe(0);
    expect((await osprey(["alerts", "list"])).stdout).toContain("no alert policies");
  });

  it("backtests a saved policy by id and an unsaved one from flags, as the API answers", async () => {
    const db = new pg.Pool({ connectionString: tdb.url, max: 1 });
    const { rows: a } = await db.query("INSERT INTO accounts (name, regions, updated_at) VALUES ('bt', '{us-east-1}', now()) RETURNING id");
    const { rows: r } = await db.query("INSERT INTO resources (account_id, region, kind, arn, name) VALUES ($1, 'us-east-1', 'lambda', 'arn:aws:lambda:us-east-1:1:function:billing', 'billing') RETURNING id", [a[0].id]);
    // Two hours of 20 invocations a minute, ending an hour ago; minutes 30..34 fail 15 of them: one incident.
    await db.query(
      `INSERT INTO rollup_minute (resource_id, bucket_start, invocations, errors)
       SELECT $1, date_trunc('minute', now()) - interval '3 hours' + g * interval '1 minute', 20, CASE WHEN g BETWEEN 30 AND 34 THEN 15 ELSE 0 END FROM generate_series(0, 119) g`,
      [r[0].id],
    );
    await db.end();
    const added = await osprey(["alerts", "add", "--name", "billing errors", "--condition", "error_rate", "--threshold", "20%", "--window", "5"]);
    const id = /added alert policy (\d+)/.exec(added.stdout)?.[1];
    const byId = await osprey(["alerts", "backtest", String(id)]);
    expect(byId.code, byId.stderr).toBe(0);
    expect(byId.stdout).toMatch(/^would have opened 1 incident from /);
    expect(byId.stdout).toMatch(/ {4}1 {2}billing {2}first .*, peak 75 %/);

    const flags = await osprey(["alerts", "backtest", "--kind", "error_rate", "--threshold", "80%", "--window", "5", "--json"]);
    expect(flags.code, flags.stderr).toBe(0);
    expect(JSON.parse(flags.stdout).data).toMatchObject({ evaluable: true, incidents: 0, resources: [] });
    expect((await osprey(["alerts", "backtest", "--kind", "error_rate"])).code).toBe(2);
  });
});
