import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getIngestHealth } from "../lib/db/queries/ingest-health";
import { startSandbox, type Sandbox, type SandboxCall } from "../lib/sandbox";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { compareWithSandbox } from "../test/sandbox-truth";
import { createSandboxAccount } from "../test/sandbox-account";
import { waitFor } from "../test/wait";

// Four `bin/osprey workers` processes, as on four machines, against one database and one AWS (the sandbox
// with AWS's quotas on). The schedule ticks every 5 s instead of every minute, so a minute's job is due
// every 5 s, and one is SIGKILLed half-way.
const ROOT = path.resolve(__dirname, "..");
const REGIONS = ["us-east-1", "eu-west-1"];
const TICK_S = 5;
const STALE_S = 5;
const PROCESSES = 4;
const SECOND = 1000;

let tdb: TestDatabase;
let db: pg.Pool;
let sandbox: Sandbox;
let startedAt: number;
const children: ChildProcess[] = [];
// FilterLogEvents calls the sandbox answered: which log group, and whether it was a pass's first page.
const reads: { group: string; region: string; firstPage: boolean; at: number }[] = [];

function recordRead(call: SandboxCall) {
  if (call.operation !== "FilterLogEvents") return;
  const body = JSON.parse(call.body) as { logGroupName?: string; logGroupIdentifier?: string; nextToken?: string };
  reads.push({ group: body.logGroupName ?? body.logGroupIdentifier ?? "?", region: call.region, firstPage: !body.nextToken, at: call.at });
}

function startWorkers(): ChildProcess {
  const child = spawn(path.join(ROOT, "bin/osprey"), ["workers"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: tdb.url, LOG_LEVEL: "error", OSPREY_WORKER_STALE_SECONDS: String(STALE_S), OSPREY_SCHEDULE_TICK_SECONDS: String(TICK_S) },
    stdio: ["ignore", "inherit", "inherit"],
  });
  children.push(child);
  return child;
}

const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once("exit", () => r())));

interface Run {
  id: string;
  job: string;
  region: string;
  status: string;
  started: number;
  finished: number | null;
  worker: string;
  error: string | null;
}

async function runs(): Promise<Run[]> {
  const { rows } = await db.query<Run>(
    `SELECT id::text, job, region, status::text, error, worker_id AS worker,
            (extract(epoch FROM started_at) * 1000)::float8 AS started, (extract(epoch FROM finished_at) * 1000)::float8 AS finished
       FROM ingest_runs WHERE account_id IS NOT NULL ORDER BY started_at, id`,
  );
  return rows;
}

const countRows = async (sql: string) => (await db.query<{ n: number }>(sql)).rows[0].n;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 3 });
  startedAt = Date.now();
  // The live clock: the workload keeps invoking while the processes run; log lines are visible 1 s after.
  sandbox = await startSandbox({ port: 0, seed: 15, backfillMs: 5 * 60 * SECOND, quotas: true, ingestionDelayMs: SECOND, onCall: recordRead });
  await createSandboxAccount(db, sandbox.url, REGIONS);
}, 60_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await sandbox?.close();
  await db?.end();
  await tdb?.drop();
});

describe("four worker processes against one Postgres", () => {
  it("share the account's jobs without running one twice at once, read each log group once a pass, store every invocation once, and take over from a killed one", async () => {
    const procs = Array.from({ length: PROCESSES }, () => startWorkers());
    // Each process beats for its two worker pools (ingest and alerts), naming the lock owners (jobs.locked_by) it runs as.
    const owner = new Map<string, number>();
    await waitFor(async () => {
      const { rows } = await db.query<{ pid: number; ids: string[] }>("SELECT pid, queue_worker_ids AS ids FROM worker_heartbeats");
      for (const r of rows) for (const id of r.ids) owner.set(id, r.pid);
      return new Set(owner.values()).size === PROCESSES;
    }, 60_000);

    // Several passes of each minute job before the kill.
    const logsRuns = async () => (await runs()).filter((r) => r.job === "logs" && r.status === "ok");
    await waitFor(async () => (await logsRuns()).length >= 3 * REGIONS.length, 60_000);

    // SIGKILL a process while it runs an account job: a dead machine.
    const victimRun = await waitFor(async () => (await runs()).find((r) => r.status === "running" && owner.has(r.worker)), 30_000);
    const victimPid = owner.get(victimRun.worker)!;
    const victim = procs.find((p) => p.pid === victimPid)!;
    victim.kill("SIGKILL");
    await exited(victim);
    const killedAt = Date.now();
    const invocationsAtKill = await countRows("SELECT count(*)::int AS n FROM invocations");

    // The others release its job, finish the work and keep going: two more logs passes per region after the kill.
    await waitFor(async () => {
      const after = (await logsRuns()).filter((r) => r.started > killedAt);
      return REGIONS.every((region) => after.filter((r) => r.region === region).length >= 2);
    }, 60_000);
    await waitFor(async () => (await runs()).find((r) => r.id === victimRun.id)?.status === "interrupted", 30_000);
    const stoppedAt = Date.now();
    for (const p of procs) if (p !== victim) p.kill("SIGTERM");
    await Promise.all(procs.map(exited));

    const all = await runs();
    expect(all.filter((r) => r.status === "running")).toEqual([]);
    const byProcess = new Map<number, number>();
    for (const r of all) if (r.status === "ok") byProcess.set(owner.get(r.worker)!, (byProcess.get(owner.get(r.worker)!) ?? 0) + 1);
    console.log(`${all.length} account-job runs in ${((stoppedAt - startedAt) / 1000).toFixed(0)} s, ok per process: ${[...byProcess.values()].join(", ")}`);

    // 1. No job of one account and region ran in two processes at once: its runs follow one another.
    const byKey = new Map<string, Run[]>();
    for (const r of all) byKey.set(`${r.job}|${r.region}`, [...(byKey.get(`${r.job}|${r.region}`) ?? []), r]);
    // The killed process's run stopped when the process died; it is marked interrupted (finished) only when
    // the survivors see its heartbeat stale, which may be after they have started the job again.
    const endOf = (r: Run) => (r.id === victimRun.id ? Math.min(r.finished!, killedAt) : r.finished!);
    for (const [key, list] of byKey) {
      for (let i = 1; i < list.length; i++) expect(list[i].started, `${key}: run ${list[i].id} started before run ${list[i - 1].id} ended`).toBeGreaterThanOrEqual(endOf(list[i - 1]));
    }
    // Every job kind ran several times.
    for (const job of ["logs", "metrics", "traces", "discover"]) for (const region of REGIONS) expect(byKey.get(`${job}|${region}`)?.length ?? 0, `${job} ${region}`).toBeGreaterThanOrEqual(2);

    // 2. The work was spread: more than one process completed runs, and the survivors took over after the kill.
    expect(byProcess.size).toBeGreaterThan(1);
    const afterKill = new Set(all.filter((r) => r.started > killedAt && r.status === "ok").map((r) => owner.get(r.worker)));
    expect(afterKill.has(victimPid)).toBe(false);
    expect(afterKill.size).toBeGreaterThan(0);
    const victimRunAfter = all.find((r) => r.id === victimRun.id)!;
    expect(victimRunAfter).toMatchObject({ status: "interrupted", error: expect.stringMatching(/worker running it stopped without finishing/) });
    // Released within a few stale periods, not graphile-worker's 4 hours: the next run of its job started soon after.
    const next = byKey.get(`${victimRun.job}|${victimRun.region}`)!.find((r) => r.started > victimRun.started);
    expect(next).toBeDefined();
    expect(next!.started - killedAt).toBeLessThan(4 * STALE_S * SECOND + 2 * TICK_S * SECOND);
    console.log(`killed pid ${victimPid} during ${victimRun.job} ${victimRun.region}; its next run began ${((next!.started - killedAt) / 1000).toFixed(1)} s after the kill (stale after ${STALE_S} s)`);

    // 3. No double reads: within each logs pass a log group's first page is asked for once, as one process
    // does; every first page the sandbox answered falls inside one logs run of its region.
    const logsList = all.filter((r) => r.job === "logs");
    const firstPages = reads.filter((r) => r.firstPage);
    expect(firstPages.length).toBeGreaterThan(0);
    const perPass = new Map<string, number>();
    for (const read of firstPages) {
      const within = (slackMs: number) => logsList.filter((r) => r.region === read.region && read.at >= r.started - slackMs && read.at <= (r.finished ?? stoppedAt) + slackMs);
      // The database's and this process's clocks are the same machine's; a few ms of rounding are allowed only when no run holds the read.
      const owners = within(0).length ? within(0) : within(20);
      expect(owners.length, `read of ${read.group} at ${new Date(read.at).toISOString()}`).toBe(1);
      const k = `${owners[0].id}|${read.group}`;
      perPass.set(k, (perPass.get(k) ?? 0) + 1);
    }
    expect(Math.max(...perPass.values())).toBe(1);
    console.log(`${firstPages.length} log-group reads (${reads.length} pages) over ${logsList.length} logs passes`);

    // 4. The data are what one worker stores: every invocation and log line once, and the sandbox's
    // invocations, from before the first pass to what the passes after the kill read, all there.
    expect(await countRows("SELECT (count(*) - count(DISTINCT (resource_id, request_id, attempt)))::int AS n FROM invocations")).toBe(0);
    expect(await countRows("SELECT (count(*) - count(DISTINCT event_id))::int AS n FROM log_events")).toBe(0);
    const invocationsAtEnd = await countRows("SELECT count(*)::int AS n FROM invocations");
    expect(invocationsAtEnd).toBeGreaterThan(invocationsAtKill);
    let compared = 0;
    for (const region of REGIONS) {
      const lastPass = logsList.filter((r) => r.region === region && r.status === "ok").at(-1)!;
      // Invocations that ended (and were logged) well before the last pass began.
      const result = await compareWithSandbox(db, sandbox, region, startedAt - 4 * 60 * SECOND, lastPass.started - 30 * SECOND);
      expect(result.mismatches).toEqual([]);
      expect(result.compared).toBeGreaterThan(0);
      compared += result.compared;
    }
    expect(compared).toBeGreaterThan(100);
    console.log(`${compared} invocations compared with the sandbox, ${invocationsAtEnd - invocationsAtKill} stored after the kill`);

    // 5. The shared quota held: the sandbox refused no call of the quota-shared APIs, and ingest health shows no throttling.
    expect(sandbox.quotas!.throttled.get("FilterLogEvents") ?? 0).toBe(0);
    expect(sandbox.quotas!.throttled.get("GetMetricData") ?? 0).toBe(0);
    const health = await getIngestHealth(db, {}, Date.now());
    expect(JSON.stringify(health)).not.toMatch(/Throttl/i);
  }, 240_000);
});
