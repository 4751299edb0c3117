import type pg from "pg";
import { loadAccount } from "../../lib/db/account-access";
import { replayPendingPushes } from "../../lib/db/push-ingest";
import { listLambdaTargets } from "../../lib/db/resources";
import { accountJob, enqueueAccountJob, type AccountJobHandler } from "../account-job";
import { discoverAccountRegion } from "../ingest/discover";
import { evaluateAccountInsights } from "../ingest/insights";
import { ACTIVITY_REUSE_MS, LOGS_PASS_MIN_GAP_MS, pullLogs } from "../ingest/logs";
import { pullMetrics } from "../ingest/metrics";
import { pullTraces } from "../ingest/traces";
import { SUMMARIES_JOB } from "./stats-summaries";
import { ALERTS_JOB } from "./evaluate-alerts";

async function requireAccount(db: pg.Pool, id: number) {
  const account = await loadAccount(db, id);
  // The account was removed since the job was queued: nothing to do.
  return account;
}

const discover: AccountJobHandler = async ({ accountId, region }, { db }) => {
  const account = await requireAccount(db, accountId);
  if (!account) return { counts: {} };
  const r = await discoverAccountRegion(db, account, region);
  // Firehose deliveries kept for functions this pass may have just found are written now, not at the next delivery.
  const pushed = await replayPendingPushes(db, 200);
  return { counts: { ...r.counts, pushReplayed: pushed.replayed }, problems: r.problems };
};

const EARLY_EVALUATION_GAP_MS = 5_000;

const logsJob = (tickMs: number): AccountJobHandler => async ({ accountId, region }, { db, helpers }) => {
  const started = Date.now();
  const account = await requireAccount(db, accountId);
  if (!account) return { counts: {} };
  // Before the first discovery has run there is nothing to read: discover the functions now.
  if ((await listLambdaTargets(db, accountId, region)).length === 0) await discoverAccountRegion(db, account, region, ["lambda"]);
  const evaluateAlerts = () => helpers.addJob(ALERTS_JOB.task, {}, { queueName: ALERTS_JOB.queueName, jobKey: ALERTS_JOB.jobKey, maxAttempts: 1 });
  // A function's new failures are committed (rollups included) long before a pass over every function ends:
  // ask for an evaluation then, so the alert does not wait for the rest of the pass. At most one request per
  // EARLY_EVALUATION_GAP_MS, and the job key folds requests into one run.
  let lastEarly = 0;
  const r = await pullLogs(db, account, region, {
    activityMaxAgeMs: ACTIVITY_REUSE_MS,
    onCommit: async ({ errorsNew }) => {
      if (errorsNew === 0 || Date.now() - lastEarly < EARLY_EVALUATION_GAP_MS) return;
      lastEarly = Date.now();
      await evaluateAlerts();
    },
  });
  // New invocations changed the rollups: evaluate the insight rules and the alerts on them.
  if (r.counts.invocationsNew + r.counts.invocationsUpdated > 0) {
    await enqueueAccountJob(helpers.addJob, "insights", { accountId, region });
    await helpers.addJob(SUMMARIES_JOB.task, {}, { queueName: SUMMARIES_JOB.queueName, jobKey: SUMMARIES_JOB.jobKey, maxAttempts: 1 });
    await evaluateAlerts();
  }
  // The next pass follows this one instead of waiting for the tick: at 1,000 functions a pass takes
  // about 30 s, and an invocation waits on average half the time between two reads of its function.
  // With a compressed tick (tests) passes come no slower than the tick.
  await enqueueAccountJob(helpers.addJob, "logs", { accountId, region }, { runAt: new Date(started + Math.min(LOGS_PASS_MIN_GAP_MS, tickMs)) });
  return { counts: r.counts, problems: r.problems };
};

const metrics: AccountJobHandler = async ({ accountId, region }, { db }) => {
  const account = await requireAccount(db, accountId);
  if (!account) return { counts: {} };
  return pullMetrics(db, account, region);
};

const traces: AccountJobHandler = async ({ accountId, region }, { db }) => {
  const account = await requireAccount(db, accountId);
  if (!account) return { counts: {} };
  // Recent traces first every minute; the first read's backfill goes on in slices of this much time.
  return pullTraces(db, account, region, { backfillBudgetMs: 20_000 });
};

const insights: AccountJobHandler = async ({ accountId, region }, { db }) => evaluateAccountInsights(db, accountId, region);

/** `tickMs`: the schedule's tick (OSPREY_SCHEDULE_TICK_SECONDS), which also bounds the gap between logs passes. */
export function accountTasks(db: pg.Pool, tickMs = 60_000) {
  return {
    discover: accountJob("discover", db, discover),
    logs: accountJob("logs", db, logsJob(tickMs)),
    metrics: accountJob("metrics", db, metrics),
    traces: accountJob("traces", db, traces),
    insights: accountJob("insights", db, insights),
  };
}
