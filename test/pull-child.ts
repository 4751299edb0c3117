// A worker process for the crash test: one log-ingestion pass over an account and region,
// committing in small chunks so a kill lands in the middle of the work.
import pg from "pg";
import { loadAccount } from "../lib/db/account-access";
import { pullLogs } from "../workers/ingest/logs";

const [accountId, region, now, lookbackMs] = process.argv.slice(2).map((v, i) => (i === 1 ? v : Number(v))) as [number, string, number, number];
const db = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
const account = await loadAccount(db, accountId);
const result = await pullLogs(db, account!, region, { now, lookbackMs, eventsPerCommit: 400 });
process.stdout.write(JSON.stringify(result) + "\n");
await db.end();
