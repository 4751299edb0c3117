import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { makeWorkerUtils, type WorkerUtils } from "graphile-worker";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { waitFor } from "../test/wait";
import { accountQueueName } from "./account-job";

const ROOT = path.resolve(__dirname, "..");
let tdb: TestDatabase;
let db: pg.Pool;
let utils: WorkerUtils;
const workers: ChildProcess[] = [];

function startProbeWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "test/probe-worker.ts")], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: tdb.url, LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  workers.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (b: Buffer) => b.toString().includes("ready") && resolve(child));
    child.once("exit", (code) => reject(new Error(`probe worker exited with ${code}`)));
  });
}

async function enqueue(task: string, accountId: number, region: string, extra: Record<string, unknown> = {}) {
  await utils.addJob(task, { accountId, region, ...extra }, { queueName: accountQueueName(task, { accountId, region }), maxAttempts: 3 });
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 3 });
  utils = await makeWorkerUtils({ pgPool: db });
  await utils.migrate();
  await Promise.all([startProbeWorker(), startProbeWorker()]);
}, 60_000);

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null) w.kill("SIGKILL");
  await utils?.release();
  await db?.end();
  await tdb?.drop();
});

describe("two worker processes on one queue", () => {
  it("never run the same job for the same account and region at once", async () => {
    for (let i = 0; i < 12; i++) {
      await enqueue("probe", 1, "us-east-1");
      await enqueue("probe", 1, "eu-west-1");
    }
    await waitFor(async () => (await db.query("SELECT count(*)::int AS n FROM probe_runs")).rows[0].n === 24);

    const { rows } = await db.query<{ pid: number; region: string; started: Date; ended: Date }>(
      "SELECT pid, region, started, ended FROM probe_runs ORDER BY region, started",
    );
    for (const region of ["us-east-1", "eu-west-1"]) {
      const runs = rows.filter((r) => r.region === region);
      expect(runs).toHaveLength(12);
      for (let i = 1; i < runs.length; i++) expect(runs[i].started.getTime()).toBeGreaterThanOrEqual(runs[i - 1].ended.getTime());
    }
    // Both processes took jobs, so the exclusion held across processes, not just inside one.
    expect(new Set(rows.map((r) => r.pid)).size).toBe(2);

    const runs = await db.query("SELECT status, counts FROM ingest_runs WHERE job = 'probe'");
    expect(runs.rows).toHaveLength(24);
    expect(runs.rows.every((r) => r.status === "ok" && r.counts.probed === 1)).toBe(true);
  });

  it("records a job that throws as failed, then retries it with backoff", async () => {
    await enqueue("flaky", 2, "us-east-1");
    const statuses = await waitFor(async () => {
      const { rows } = await db.query<{ status: string; error: string | null }>(
        "SELECT status, error FROM ingest_runs WHERE job = 'flaky' ORDER BY id",
      );
      return rows.length === 2 && rows[1].status !== "running" ? rows : undefined;
    });
    expect(statuses[0]).toMatchObject({ status: "failed", error: "first attempt fails on purpose" });
    expect(statuses[1].status).toBe("ok");
  });

  it("lets a job in flight finish on SIGTERM, then exits", async () => {
    await enqueue("probe", 3, "us-east-1", { sleepMs: 1500 });
    await waitFor(async () => (await db.query("SELECT 1 FROM ingest_runs WHERE job = 'probe' AND account_id = 3")).rowCount);
    const exits = workers.map((w) => new Promise<number | null>((r) => w.once("exit", (code) => r(code))));
    for (const w of workers) w.kill("SIGTERM");
    expect(await Promise.all(exits)).toEqual([0, 0]);
    const { rows } = await db.query("SELECT status FROM ingest_runs WHERE job = 'probe' AND account_id = 3");
    expect(rows).toEqual([{ status: "ok" }]);
    expect((await db.query("SELECT 1 FROM probe_runs WHERE account_id = 3")).rowCount).toBe(1);
  });
});
