import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { makeWorkerUtils } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getIngestHealth } from "../lib/db/queries/ingest-health";
import { parseFaultSpec, startSandbox, type Sandbox } from "../lib/sandbox";
import { createSandboxAccount } from "../test/sandbox-account";
import { storedRows } from "../test/stored-rows";
import { testDatabases } from "../test/test-databases";
import { waitFor } from "../test/wait";
import { enqueueAccountJob } from "./account-job";
import { discoverAccountRegion } from "./ingest/discover";
import { pullLogs } from "./ingest/logs";

// The world misbehaving at once: AWS throttles, fails with 500/503, cuts answers and resets
// connections on 30 % of the calls, one optional call is denied, one log event is refused by the
// database (a poison event), and the worker is killed with SIGKILL in the middle of its pass.
// What is stored must equal a clean run's (but for the poison event, kept in quarantine), and ingest
// health must name each problem.
const ROOT = path.resolve(__dirname, "..");
const NOW = Date.UTC(2026, 10, 25, 14, 0, 0);
const LOOKBACK = 20 * 60_000;
const REGION = "us-east-1";
const FAULTS = "throttle=0.15,5xx=0.075,cut=0.05,reset=0.025,seed=11";
const STALE_S = 5;
const DENIED = "lambda:ListProvisionedConcurrencyConfigs";

let sandbox: Sandbox;
const dbs = testDatabases();
const children: ChildProcess[] = [];

function startWorker(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "test/chaos-worker.ts")], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "error", OSPREY_WORKER_STALE_SECONDS: String(STALE_S), CHAOS_NOW: String(NOW), CHAOS_LOOKBACK_MS: String(LOOKBACK) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (b: Buffer) => b.toString().includes("ready") && resolve(child));
    child.once("exit", (code) => reject(new Error(`chaos worker exited with ${code}`)));
  });
}

const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once("exit", () => r())));

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 31, now: () => NOW, backfillMs: LOOKBACK + 10 * 60_000 });
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await sandbox?.close();
  await dbs.dropAll();
});

describe("chaos: faults on every AWS call and a worker killed mid-pass", () => {
  it("stores the same invocations, log lines and error occurrences as a clean run, and ingest health names what happened", async () => {
    const clean = await dbs.fresh();
    const cleanAccount = await createSandboxAccount(clean.db, sandbox.url, [REGION]);
    await discoverAccountRegion(clean.db, cleanAccount, REGION, ["lambda"]);
    await pullLogs(clean.db, cleanAccount, REGION, { now: NOW, lookbackMs: LOOKBACK });
    // The poison event: an ordinary log line (not START/END/REPORT, not an error) of the busiest function,
    // in the middle of its pass. A constraint in the chaos database stands in for any row Postgres refuses.
    const { rows: lines } = await clean.db.query<{ event_id: string }>(
      `SELECT l.event_id FROM log_events l
        WHERE l.resource_id = (SELECT resource_id FROM log_events GROUP BY 1 ORDER BY count(*) DESC LIMIT 1)
          AND l.level = 'INFO' AND l.message !~ '^(START|END|REPORT|INIT_START|INIT_REPORT) ' AND l.message NOT LIKE '%"type":"platform.%'
          AND l.request_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM error_occurrences o WHERE o.event_id = l.event_id)
        ORDER BY l.ts, l.event_id`,
    );
    const poison = lines[Math.floor(lines.length / 2)].event_id;
    // What a clean run stores, but for the poison event.
    await clean.db.query("DELETE FROM log_events WHERE event_id = $1", [poison]);
    const expected = await storedRows(clean.db, ["invocations", "logLines", "errorOccurrences"]);
    expect(expected.invocations!.rows).toBeGreaterThan(500);
    expect(expected.errorOccurrences!.rows).toBeGreaterThan(0);

    const chaos = await dbs.fresh();
    await chaos.db.query(`ALTER TABLE log_events ADD CONSTRAINT chaos_poison CHECK (event_id <> '${poison}')`);
    sandbox.setFaults(parseFaultSpec(FAULTS).faults);
    sandbox.setCallPolicy({ deny: [DENIED] });
    try {
      const account = await createSandboxAccount(chaos.db, sandbox.url, [REGION]);
      await discoverAccountRegion(chaos.db, account, REGION, ["lambda"]);
      const utils = await makeWorkerUtils({ pgPool: chaos.db });
      try {
        await utils.migrate();
        const first = await startWorker(chaos.tdb.url);
        await enqueueAccountJob(utils.addJob, "logs", { accountId: account.id, region: REGION });
        // Killed once it has committed part of the pass, far from the end.
        await waitFor(async () => (await chaos.db.query("SELECT count(*)::int AS n FROM log_events")).rows[0].n > 1_000, 60_000);
        first.kill("SIGKILL");
        await exited(first);
        const second = await startWorker(chaos.tdb.url);
        const runs = await waitFor(async () => {
          const { rows } = await chaos.db.query<{ status: string; error: string | null }>("SELECT status::text, error FROM ingest_runs WHERE job = 'logs' ORDER BY id");
          return rows.length === 2 && rows[1].status !== "running" ? rows : undefined;
        }, 90_000);
        expect(runs[0]).toMatchObject({ status: "interrupted", error: expect.stringMatching(/worker running it stopped without finishing/) });
        expect(runs[1]).toEqual({ status: "ok", error: null });
        second.kill("SIGTERM");
        await exited(second);
      } finally {
        await utils.release();
      }

      expect(await storedRows(chaos.db, ["invocations", "logLines", "errorOccurrences"])).toEqual(expected);
      const [health] = await getIngestHealth(chaos.db, { account: [account.id], region: [REGION] }, Date.now());
      // The killed worker's run,
      expect(health.jobs.find((j) => j.job === "logs")).toMatchObject({ lastStatus: "ok", failures24h: 1, lastError: expect.stringMatching(/^interrupted: the worker running it stopped/) });
      // the denied call by its IAM action,
      expect(health.warnings.length).toBeGreaterThan(0);
      expect(health.warnings.every((w) => w.action === DENIED && w.denied)).toBe(true);
      // and the poison event with its reason.
      expect(health.quarantined).toEqual([expect.objectContaining({ eventId: poison, reason: expect.stringContaining("chaos_poison") })]);
    } finally {
      sandbox.setFaults({});
      sandbox.setCallPolicy({});
    }
  }, 150_000);
});
