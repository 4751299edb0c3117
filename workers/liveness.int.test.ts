import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { makeWorkerUtils, type WorkerUtils } from "graphile-worker";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../lib/sandbox";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { waitFor } from "../test/wait";
import { accountQueueName } from "./account-job";

const ROOT = path.resolve(__dirname, "..");
// Short enough for a test; the default is 60 s.
const STALE_S = 4;

let tdb: TestDatabase;
let db: pg.Pool;
let utils: WorkerUtils;
const workers: ChildProcess[] = [];

function startProbeWorker(extraEnv: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "test/probe-worker.ts")], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: tdb.url, LOG_LEVEL: "warn", OSPREY_WORKER_STALE_SECONDS: String(STALE_S), ...extraEnv },
    stdio: ["ignore", "pipe", "inherit"],
  });
  workers.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (b: Buffer) => b.toString().includes("ready") && resolve(child));
    child.once("exit", (code) => reject(new Error(`probe worker exited with ${code}`)));
  });
}

function workersHealth(): Promise<{ code: number | null; out: string }> {
  const child = spawn(path.join(ROOT, "bin/osprey"), ["workers", "--health"], { cwd: ROOT, env: { ...process.env, DATABASE_URL: tdb.url, OSPREY_WORKER_STALE_SECONDS: String(STALE_S) }, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  return new Promise((r) => child.once("exit", (code) => r({ code, out })));
}

const exited = (c: ChildProcess) =>
  new Promise<number | null>((r) => (c.exitCode !== null || c.signalCode !== null ? r(c.exitCode) : c.once("exit", (code) => r(code))));

async function enqueue(task: string, accountId: number, payload: Record<string, unknown> = {}) {
  const p = { accountId, region: "us-east-1" };
  await utils.addJob(task, { ...p, ...payload }, { queueName: accountQueueName(task, p), maxAttempts: 3 });
}

const runsOf = async (job: string, accountId: number) =>
  (await db.query<{ status: string; error: string | null }>("SELECT status::text, error FROM ingest_runs WHERE job = $1 AND account_id = $2 ORDER BY id", [job, accountId])).rows;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 3 });
  utils = await makeWorkerUtils({ pgPool: db });
  await utils.migrate();
}, 60_000);

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill("SIGKILL");
  await utils?.release();
  await db?.end();
  await tdb?.drop();
});

describe("a worker killed with SIGKILL mid-job", () => {
  it("has its jobs and queue released within the bound, the job run by another worker, and its run marked interrupted", async () => {
    const first = await startProbeWorker();
    await enqueue("hang", 10);
    await waitFor(async () => (await runsOf("hang", 10)).length === 1);
    first.kill("SIGKILL");
    await exited(first);

    const second = await startProbeWorker();
    const restartedAt = Date.now();
    await waitFor(async () => {
      const runs = await runsOf("hang", 10);
      return runs.length === 2 && runs[1].status === "ok";
    }, 60_000);
    const tookMs = Date.now() - restartedAt;
    // Stale after 4 s, a beat every second: released within seconds, not after graphile-worker's 4 hours.
    expect(tookMs).toBeLessThan(STALE_S * 1000 * 4);
    const [killed, rerun] = await runsOf("hang", 10);
    expect(killed.status).toBe("interrupted");
    // Found by its heartbeat, which named its lock owner: the error names the dead process.
    expect(killed.error).toMatch(/worker running it stopped without finishing: osprey-\d+-/);
    expect(rerun.status).toBe("ok");
    const { rows } = await db.query("SELECT pid FROM probe_runs WHERE account_id = 10");
    expect(rows.every((r) => r.pid === second.pid)).toBe(true);
    // Only the living worker is left beating.
    expect((await db.query("SELECT pid FROM worker_heartbeats")).rows).toEqual([{ pid: second.pid }]);
    // The compose healthcheck: a worker on this host beats, then none does.
    expect(await workersHealth()).toMatchObject({ code: 0, out: expect.stringMatching(/^worker alive on /) });
    second.kill("SIGTERM");
    expect(await exited(second)).toBe(0);
    expect(await workersHealth()).toMatchObject({ code: 1, out: expect.stringMatching(/^no worker alive on /) });
  }, 90_000);
});

describe("a graceful stop", () => {
  let sandbox: Sandbox;
  afterAll(() => sandbox?.close());

  it("ends within the grace even when a job is stuck retrying AWS calls", async () => {
    // Only the worker this test starts may take its job.
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill("SIGKILL");
    sandbox = await startSandbox({ port: 0, seed: 2, backfillMs: 60_000, faults: { GetCallerIdentity: { throttleRate: 1 } } });
    const worker = await startProbeWorker({ OSPREY_WORKER_STOP_GRACE_SECONDS: "1" });
    await enqueue("aws", 20, { endpointUrl: sandbox.url });
    await waitFor(async () => (await runsOf("aws", 20)).length === 1);
    // Let it get into its backoff.
    await new Promise((r) => setTimeout(r, 1500));
    const t0 = Date.now();
    worker.kill("SIGTERM");
    expect(await exited(worker)).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5_000);
    const [run] = await runsOf("aws", 20);
    // Cut short by the stop, not failed: no "Failed task" in the log, and the next start reads the rest.
    expect(run.status).toBe("interrupted");
    expect(run.error).toMatch(/stopped with its worker/);
  }, 60_000);
});
