// A worker process for the queue tests: the real worker pool and account-job wrapper,
// with probe tasks that record when they run.
import { databaseUrl } from "../lib/db/database-url";
import { createPool } from "../lib/db/pool";
import { accountJob } from "../workers/account-job";
import { startWorkerPool } from "../workers/runner";

const db = createPool(databaseUrl(), 6);
// Several probe workers start at once, and CREATE TABLE IF NOT EXISTS races with itself: take turns.
await db.query(
  "SELECT pg_advisory_lock(hashtext('probe_runs')); CREATE TABLE IF NOT EXISTS probe_runs (pid int, account_id int, region text, started timestamptz(6), ended timestamptz(6)); SELECT pg_advisory_unlock(hashtext('probe_runs'))",
);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const worker = await startWorkerPool(db, {
  concurrency: 4,
  pollInterval: 200,
  taskList: {
    probe: accountJob("probe", db, async (p, { helpers }) => {
      const started = new Date();
      await sleep(Number((helpers.job.payload as { sleepMs?: number }).sleepMs ?? 100));
      await db.query("INSERT INTO probe_runs VALUES ($1, $2, $3, $4, clock_timestamp())", [process.pid, p.accountId, p.region, started]);
      return { counts: { probed: 1 } };
    }),
    flaky: accountJob("flaky", db, async (_p, { helpers }) => {
      if (helpers.job.attempts === 1) throw new Error("first attempt fails on purpose");
      return { counts: { probed: 1 } };
    }),
  },
});
process.stdout.write(`ready ${worker.workerId}\n`);
process.once("SIGTERM", () => {
  void worker.stop().then(async () => {
    await db.end();
    process.exit(0);
  });
});
