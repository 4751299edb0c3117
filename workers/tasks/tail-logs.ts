import type { Task } from "graphile-worker";
import type pg from "pg";
import { loadAccount } from "../../lib/db/account-access";
import { liveWatches, TAIL_JOB } from "../../lib/db/log-watches";
import { childLog } from "../../lib/log";
import { tailLogs } from "../ingest/logs";

const log = childLog("tail-logs");

/** A watched function's log group is read again this long after the previous read ended. */
export const TAIL_INTERVAL_MS = 3_000;

/** Reads every watched function once; returns how many were watched. */
export async function readWatchedOnce(db: pg.Pool): Promise<{ watched: number; eventsRead: number; apiCalls: number; problems: string[] }> {
  const groups = await liveWatches(db);
  const out = { watched: 0, eventsRead: 0, apiCalls: 0, problems: [] as string[] };
  await Promise.all(groups.map(async (g) => {
    out.watched += g.functions.length;
    const account = await loadAccount(db, g.accountId);
    if (!account) return;
    const r = await tailLogs(db, account, g.region, g.functions);
    out.eventsRead += r.counts.eventsRead;
    out.apiCalls += r.counts.apiCalls;
    out.problems.push(...r.problems);
  }));
  return out;
}

/**
 * The live tail: reads the watched functions' log groups, then queues itself TAIL_INTERVAL_MS later
 * while any watch lives. One queue and one job key, so a single read runs at a time across every worker
 * process; GET /api/v1/tail queues it when a watch opens (lib/db/log-watches.ts).
 */
export function tailLogsTask(db: pg.Pool): Task {
  return async (_payload, helpers) => {
    const r = await readWatchedOnce(db);
    if (r.problems.length) log.warn({ problems: r.problems.slice(0, 5) }, "live tail read failed for some functions");
    else if (r.eventsRead) log.debug(r, "live tail read");
    if (r.watched === 0) return;
    await helpers.addJob(TAIL_JOB.task, {}, { queueName: TAIL_JOB.queueName, jobKey: TAIL_JOB.jobKey, jobKeyMode: "replace", maxAttempts: 1, runAt: new Date(Date.now() + TAIL_INTERVAL_MS) });
  };
}
