// A worker process for the queue tests: the real worker pool and account-job wrapper,
// with probe tasks that record when they run.
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { createAwsClients, destroyAwsClients } from "../lib/aws/clients";
import { databaseUrl } from "../lib/db/database-url";
import { env } from "../lib/env";
import { createPool } from "../lib/db/pool";
import { accountJob } from "../workers/account-job";
import { startWorkerPool } from "../workers/runner";

const db = createPool(databaseUrl(), 6);
// Several probe workers start at once, and CREATE TABLE IF NOT EXISTS races with itself: take turns. One
// connection and three statements, so the table is committed before the lock is let go (in one query string
// the three share a transaction that commits after the unlock, and the next worker's CREATE collides with it).
const setup = await db.connect();
try {
  await setup.query("SELECT pg_advisory_lock(hashtext('probe_runs'))");
  await setup.query("CREATE TABLE IF NOT EXISTS probe_runs (pid int, account_id int, region text, started timestamptz(6), ended timestamptz(6))");
  await setup.query("SELECT pg_advisory_unlock(hashtext('probe_runs'))");
} finally {
  setup.release();
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const worker = await startWorkerPool(db, {
  concurrency: 4,
  pollInterval: 200,
  staleMs: env().OSPREY_WORKER_STALE_SECONDS * 1000,
  taskList: {
    probe: accountJob("probe", db, async (p, { helpers }) => {
      const started = new Date();
      await sleep(Number((helpers.job.payload as { sleepMs?: number }).sleepMs ?? 100));
      await db.query("INSERT INTO probe_runs VALUES ($1, $2, $3, $4, clock_timestamp())", [process.pid, p.accountId, p.region, started]);
      return { counts: { probed: 1 } };
    }),
    // Calls AWS (a sandbox at payload.endpointUrl) until told to stop: a pass stuck in retries.
    aws: accountJob("aws", db, async (_p, { helpers }) => {
      const endpointUrl = (helpers.job.payload as { endpointUrl: string }).endpointUrl;
      const c = createAwsClients({ id: 0, credentialMethod: "default_chain", profile: null, roleArn: null, externalId: null, isSandbox: true, endpointUrl }, "us-east-1");
      try {
        for (;;) await c.sts.send(new GetCallerIdentityCommand({}));
      } finally {
        destroyAwsClients(c);
      }
    }),
    // Hangs on its first attempt (the test kills the process then), finishes on the next.
    hang: accountJob("hang", db, async (p, { helpers }) => {
      if (helpers.job.attempts === 1) await sleep(600_000);
      await db.query("INSERT INTO probe_runs VALUES ($1, $2, $3, now(), clock_timestamp())", [process.pid, p.accountId, p.region]);
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
  void worker.stop(env().OSPREY_WORKER_STOP_GRACE_SECONDS * 1000).then(async () => {
    await db.end();
    process.exit(0);
  });
});
