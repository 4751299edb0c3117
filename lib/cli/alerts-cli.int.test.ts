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

    const bad = await osprey(["alerts", "add", "--name", "x", "--condition", "throttles", "--threshold", "1"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/conditionKind/);

    expect((await osprey(["alerts", "remove", String(id)])).code).toBe(0);
    expect((await osprey(["alerts", "list"])).stdout).toContain("no alert policies");
  });
});
