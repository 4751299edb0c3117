// A worker process for the chaos test: the real worker pool (heartbeat, lock release, shutdown) with
// the real logs job, reading the sandbox as of a fixed clock (CHAOS_NOW) over CHAOS_LOOKBACK_MS.
import { loadAccount } from "../lib/db/account-access";
import { databaseUrl } from "../lib/db/database-url";
import { createPool } from "../lib/db/pool";
import { env } from "../lib/env";
import { accountJob } from "../workers/account-job";
import { pullLogs } from "../workers/ingest/logs";
import { startWorkerPool } from "../workers/runner";

const now = Number(process.env.CHAOS_NOW);
const lookbackMs = Number(process.env.CHAOS_LOOKBACK_MS);
const db = createPool(databaseUrl(), 6);
const worker = await startWorkerPool(db, {
  concurrency: 2,
  pollInterval: 200,
  staleMs: env().OSPREY_WORKER_STALE_SECONDS * 1000,
  taskList: {
    logs: accountJob("logs", db, async ({ accountId, region }) => {
      const account = await loadAccount(db, accountId);
      // Small commits, so a kill lands between them.
      const r = await pullLogs(db, account!, region, { now, lookbackMs, eventsPerCommit: 300 });
      return { counts: r.counts, problems: r.problems };
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
