import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../sandbox";
import { createTestDatabase, type TestDatabase } from "../../test/db";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
const OSPREY = path.join(ROOT, "bin/osprey");
const FIXTURES = path.join(ROOT, "lib/ingest/lambda-logs/__fixtures__");

let tdb: TestDatabase;
let sandbox: Sandbox;
let env: NodeJS.ProcessEnv;

async function osprey(args: string[], extra: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(OSPREY, args, { env: { ...env, ...extra }, cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  sandbox = await startSandbox({ port: 0, seed: 3, backfillMs: 3 * 3_600_000 });
  // A real (non-sandbox) account reaching an AWS-compatible endpoint through the SDK's own variables.
  env = { ...process.env, DATABASE_URL: tdb.url, AWS_ENDPOINT_URL: sandbox.url, AWS_ACCESS_KEY_ID: "AKIAEXAMPLE", AWS_SECRET_ACCESS_KEY: "example", LOG_LEVEL: "warn" };
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
  await tdb?.drop();
});

describe("bin/osprey", () => {
  it("parse-logs prints the invocations and error groups of FilterLogEvents events", async () => {
    const r = await osprey(["parse-logs", path.join(FIXTURES, "node-invoke-error.jsonl")]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(["invocations", "errorGroups"]);
    expect(doc.invocations.map((i: { status: string; errorType: string | null }) => [i.status, i.errorType])).toEqual([
      ["error", "OrderNotFound"],
      ["success", null],
    ]);
    expect(Object.keys(doc.invocations[0]).sort()).toEqual(
      ["requestId", "functionName", "logStreamName", "attempt", "startedAt", "endedAt", "durationMs", "billedDurationMs", "memorySizeMB", "maxMemoryUsedMB", "initDurationMs", "restoreDurationMs", "billedRestoreDurationMs", "coldStart", "status", "errorType", "errorMessage", "traceId", "costUsd"].sort(),
    );
    expect(doc.errorGroups.length).toBeGreaterThan(0);
  });

  it("parse-logs reads `aws logs filter-log-events` output as it is, and subscription payloads", async () => {
    const lines = readFileSync(path.join(FIXTURES, "node-invoke-error.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
    const dir = mkdtempSync(path.join(os.tmpdir(), "osprey-parse-logs-"));
    try {
      const answer = path.join(dir, "answer.json");
      writeFileSync(answer, JSON.stringify({ events: lines.map(({ logGroupName: _g, ...e }) => e), searchedLogStreams: [] }, null, 2));
      const fromAnswer = await osprey(["parse-logs", "--log-group", lines[0].logGroupName, answer]);
      const fromLines = await osprey(["parse-logs", path.join(FIXTURES, "node-invoke-error.jsonl")]);
      expect(fromAnswer.code, fromAnswer.stderr).toBe(0);
      expect(JSON.parse(fromAnswer.stdout)).toEqual(JSON.parse(fromLines.stdout));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const sub = await osprey(["parse-logs", path.join(FIXTURES, "subscription-data.json")]);
    expect(sub.code, sub.stderr).toBe(0);
    const doc = JSON.parse(sub.stdout);
    expect(doc.invocations.length).toBeGreaterThan(0);
    expect(doc.invocations.every((i: { functionName: string }) => i.functionName === "orders-api")).toBe(true);
  });

  it("parse-logs names the file and line of a malformed event", async () => {
    const r = await osprey(["parse-logs", path.join(FIXTURES, "README.md")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/README\.md:1: not JSON/);
  });

  it("accounts add, ingest --once against an AWS_ENDPOINT_URL endpoint, then invocations --json", async () => {
    expect((await osprey(["accounts", "add", "--name", "demo", "--regions", "us-east-1"])).code).toBe(0);
    expect((await osprey(["accounts", "add", "--name", "bad", "--regions", "mars-1"])).stderr).toMatch(/regions\.0/);
    // A quarter of an hour: X-Ray's traces come at AWS's 5 calls a second, so an hour of them takes minutes.
    const ingest = await osprey(["ingest", "--once", "--lookback", "15m"]);
    expect(ingest.code, ingest.stderr).toBe(0);
    // Every us-east-1 function of demoFunctions() in lib/sandbox/workload/catalog.ts: the 11 up to checkout-api (the
    // incident scenario), then search-api, telemetry-ingest, export-worker, legacy-webhook and invoice-pdf.
    expect(ingest.stdout).toMatch(/demo us-east-1: 16 functions/);

    const db = new pg.Pool({ connectionString: tdb.url, max: 1 });
    // Ingest read the last quarter of an hour; a 2 h window lists all of it.
    const stored = (await db.query("SELECT count(*)::int AS n FROM invocations")).rows[0].n;
    await db.end();
    const listed = JSON.parse((await osprey(["invocations", "--since", "2h", "--limit", "100000", "--json"])).stdout).invocations;
    expect(listed.length).toBe(stored);
    expect(listed.length).toBeGreaterThan(0);
  }, 120_000);

  it("ingest --once exits non-zero with a clear message when an account cannot be reached", async () => {
    const r = await osprey(["ingest", "--once"], { AWS_ENDPOINT_URL: "http://127.0.0.1:9" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/account \d+ "demo" \(us-east-1\) cannot be reached/);
  });
});
