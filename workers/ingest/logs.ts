import { GetMetricDataCommand, type MetricDataResult } from "@aws-sdk/client-cloudwatch";
import { FilterLogEventsCommand, type FilteredLogEvent } from "@aws-sdk/client-cloudwatch-logs";
import type pg from "pg";
import { createAwsClients, destroyAwsClients, type AwsClients } from "../../lib/aws/clients";
import { isCredentialsFailure, toIngestWarning, type IngestWarningInput } from "../../lib/aws/call-failure";
import { describeAwsError } from "../../lib/aws/errors";
import type { AccountRow } from "../../lib/db/account-access";
import { acquireCall, reserveShare } from "../../lib/db/api-quota";
import { advanceCursor, getCursor, type CursorKey } from "../../lib/db/cursors";
import { recordIngestWarnings } from "../../lib/db/ingest-warnings";
import { commitLambdaChunk, type ChunkCounts } from "../../lib/db/lambda-chunk";
import { listLambdaTargets, type LambdaTarget } from "../../lib/db/resources";
import { parseLambdaLogEvents } from "../../lib/ingest/lambda-logs";
import { mapLimit } from "../../lib/util/map-limit";
import { ACTIVITY_QUERIES_PER_CALL, ACTIVITY_WINDOW_MS, isDeepPass, planLogPull, toActivity, type PullCandidate } from "../../lib/ingest/pull/plan";
import { QUERY_GROUPS_MAX, splitReads } from "../../lib/ingest/pull/insights";
import type { LogEventInput } from "../../lib/ingest/lambda-logs/types";
import { dropStoredEvents } from "../../lib/db/stored-events";
import { INSIGHTS_MARK_JOB, insightsAllowed, readGroupByInsights } from "./logs-insights";
import { FIRST_READ_LOOKBACK_MS } from "../../lib/ingest/first-read";

// FilterLogEvents allows 5 requests per second per account and region, a hard limit: every worker
// process together stays just under it (the bucket is shared through Postgres, lib/db/api-quota.ts).
export const FILTER_LOG_EVENTS_PER_SECOND = 4.5;
// Log groups read at once: enough that one call's answer and commit overlap the next calls, so the
// shared FilterLogEvents quota, not latency, sets the pace; the quota keeps the calls within AWS's limit.
// With 3, passes on this loaded machine (load average ~20 on 2 cores) went at 3.3 calls a second: each
// read (the sandbox's answer, parsing, the commit) took ~0.9 s, so 3 at once could not keep 4.5 a second.
export const READS_IN_FLIGHT = 6;
// GetMetricData allows 50 requests per second per account and region; the activity check needs one per 500 functions.
export const GET_METRIC_DATA_PER_SECOND = 10;
// Logs passes run back to back: the next starts when this one ends, but no sooner than this after it
// began (a small fleet's pass takes a second; reading its active functions every second would spend
// the quota for nothing). The schedule's minute tick still starts a pass if none is waiting.
export const LOGS_PASS_MIN_GAP_MS = 30_000;
// The reads a pass aims to fit in this much of the FilterLogEvents quota: idle reads beyond it wait
// (lib/ingest/pull/plan.ts), so the active functions are read again within about this long.
export const LOGS_PASS_TARGET_MS = 40_000;
// The Invocations metric has one datapoint a minute and arrives 1-3 minutes late: a pass that starts
// within this of the last activity check reuses its answer instead of paying for the same metrics again.
export const ACTIVITY_REUSE_MS = 50_000;
// Reads a pass plans: as many as the shared quota carries in LOGS_PASS_TARGET_MS.
export const LOGS_READ_BUDGET = Math.floor((FILTER_LOG_EVENTS_PER_SECOND * LOGS_PASS_TARGET_MS) / 1000);
// Logs Insights queries a pass may make for the functions beyond LOGS_READ_BUDGET, 50 log groups each
// (lib/ingest/pull/insights.ts), and how many of them one process runs at once (all processes together hold
// at most INSIGHTS_QUERIES_AT_ONCE, workers/ingest/logs-insights.ts).
export const INSIGHTS_QUERIES_PER_PASS = 20;
export const INSIGHTS_GROUPS_IN_FLIGHT = 6;
// CloudWatch delivers events late: the first pass in every DEEP_REREAD_MS (lib/ingest/pull/plan.ts)
// re-reads this much before each cursor, for the few events delivered minutes late.
export const LATE_EVENT_WINDOW_MS = 10 * 60_000;
// CloudWatch delivers most events within seconds (1-20 s): the passes in between re-read only this much.
// At a pass every 30 s, re-reading 10 minutes each time read every line of a busy function 20 times, and
// parsing those re-reads, not the quota, set the pace of a pass on this machine.
export const SHORT_LATE_WINDOW_MS = 2 * 60_000;
// A log group read for the first time starts this far back (shared with metrics and the rates over covered hours).
export { FIRST_READ_LOOKBACK_MS };
// Events per transaction: big enough for fast writes, small enough that a crash redoes little.
export const EVENTS_PER_COMMIT = 5_000;
// The live tail's cap on the FilterLogEvents quota: its calls come out of the same bucket as the passes',
// so the passes keep at least 3.5 calls a second however many tails are open.
export const TAIL_CALLS_PER_SECOND = 1;
// A tail read goes back this much before the cursor (it runs every few seconds; the minute pass still
// re-reads LATE_EVENT_WINDOW_MS, so events CloudWatch delivers later are not lost).
export const TAIL_LATE_WINDOW_MS = 60_000;
// A tail never reads a backlog: from a cursor older than this it reads the last TAIL_LATE_WINDOW_MS only.
export const TAIL_MAX_WINDOW_MS = 3 * 60_000;

export interface LogsPassOptions {
  now?: number;
  lookbackMs?: number;
  eventsPerCommit?: number;
  /** Called after each committed chunk: the events it held and the error occurrences it added. */
  onCommit?: (info: { functionName: string; events: number; errorsNew: number }) => Promise<void> | void;
  /** How far before the cursor each read starts; default the pass's (LATE_EVENT_WINDOW_MS or SHORT_LATE_WINDOW_MS, see isDeepPass). */
  lateWindowMs?: number;
  /**
   * The furthest back a read may start (the live tail's): from an older cursor, the read covers only the
   * last `lateWindowMs` and does not move the cursor, so the pass still reads what lies between.
   */
  maxWindowMs?: number;
  /** A cap on this caller's share of the FilterLogEvents quota (the live tail's), taken before the shared bucket. */
  share?: { api: string; perSecond: number };
  /** Read the functions beyond the FilterLogEvents budget with Logs Insights (default true). */
  insights?: boolean;
  /** Reads a pass makes by FilterLogEvents before the rest go to Logs Insights (default LOGS_READ_BUDGET; tests lower it). */
  filterBudget?: number;
  /**
   * Reuse this process's last activity check of the account and region when it is younger than this
   * (the worker's passes: ACTIVITY_REUSE_MS); default 0, every pass asks.
   */
  activityMaxAgeMs?: number;
}

export interface LogsPassResult {
  counts: Record<string, number>;
  problems: string[];
}

function toInput(e: FilteredLogEvent, logGroupName: string): LogEventInput | null {
  if (!e.eventId || e.timestamp === undefined || e.message === undefined) return null;
  return {
    eventId: e.eventId,
    logGroupName,
    logStreamName: e.logStreamName ?? "",
    timestamp: e.timestamp,
    ingestionTime: e.ingestionTime,
    message: e.message,
  };
}

/** Parses and writes one chunk; the cursor moves in the same transaction as the rows it covers. */
function commitChunk(db: pg.Pool, account: AccountRow, fn: LambdaTarget, region: string, events: LogEventInput[], cursorKey: CursorKey | null, cursorTo: number): Promise<ChunkCounts> {
  return commitLambdaChunk(db, {
    target: { resourceId: fn.id, region, architecture: fn.architecture },
    scope: { accountId: account.id, region, logGroup: fn.logGroup },
    events,
    parse: (part) => parseLambdaLogEvents(part, { functionName: fn.name }),
    onCommit: async (client) => {
      if (cursorKey) await advanceCursor(client, cursorKey, cursorTo);
    },
  });
}

/** Reads one function's log group from its cursor to now, committing in chunks. */
async function pullFunction(db: pg.Pool, clients: AwsClients, account: AccountRow, region: string, fn: LambdaTarget, opts: LogsPassOptions, totals: Record<string, number>) {
  const now = opts.now ?? Date.now();
  const key: CursorKey = { job: "logs", accountId: account.id, region, key: fn.logGroup };
  const cursor = await getCursor(db, key);
  let startTime = cursor === null ? now - (opts.lookbackMs ?? FIRST_READ_LOOKBACK_MS) : cursor - (opts.lateWindowMs ?? LATE_EVENT_WINDOW_MS);
  // A tail reads no further back than its window: when the cursor is older (a pass has the backlog in hand,
  // or the group was never read), it reads the window alone and leaves the cursor where it is.
  const moveCursor = opts.maxWindowMs === undefined || startTime >= now - opts.maxWindowMs;
  if (!moveCursor) startTime = now - (opts.lateWindowMs ?? LATE_EVENT_WINDOW_MS);
  const quota = { accountId: account.id, region, api: "FilterLogEvents" };
  const perCommit = opts.eventsPerCommit ?? EVENTS_PER_COMMIT;
  // Where Logs Insights last read this group: events up to there may be stored under Insights' keys, so
  // they are recognised by content, not by AWS's eventId (lib/db/stored-events.ts).
  const insightsMark = await getCursor(db, { ...key, job: INSIGHTS_MARK_JOB });
  let pending: LogEventInput[] = [];
  let nextToken: string | undefined;
  const flush = async (cursorTo: number) => {
    const overlap = insightsMark !== null ? pending.filter((e) => e.timestamp <= insightsMark) : [];
    const toWrite = overlap.length ? [...(await dropStoredEvents(db, fn.id, overlap)), ...pending.filter((e) => e.timestamp > insightsMark!)] : pending;
    const counts = await commitChunk(db, account, fn, region, toWrite, moveCursor ? key : null, cursorTo);
    totals.eventsRead += pending.length;
    totals.logEventsNew += counts.logEvents;
    totals.invocationsNew += counts.invocationsNew;
    totals.invocationsUpdated += counts.invocationsUpdated;
    totals.errorsNew += counts.errors;
    totals.quarantined += counts.quarantined;
    const n = pending.length;
    pending = [];
    await opts.onCommit?.({ functionName: fn.name, events: n, errorsNew: counts.errors });
  };
  do {
    if (opts.share) {
      const wait = await reserveShare(db, { ...quota, api: opts.share.api }, { perSecond: opts.share.perSecond });
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    await acquireCall(db, quota, { perSecond: FILTER_LOG_EVENTS_PER_SECOND });
    const page = await clients.logs.send(
      new FilterLogEventsCommand({ logGroupName: fn.logGroup, startTime, endTime: now, nextToken, limit: 10_000 }),
    );
    totals.apiCalls++;
    for (const e of page.events ?? []) {
      const input = toInput(e, fn.logGroup);
      if (input) pending.push(input);
    }
    nextToken = page.nextToken;
    // Pages come in timestamp order: everything before the last event's time has been read.
    if (pending.length >= perCommit && nextToken) await flush(pending[pending.length - 1].timestamp);
  } while (nextToken);
  await flush(now);
}

/**
 * Invocations per function over the activity window, one GetMetricData call per 500 functions (no
 * log read needed to learn that a function is idle). Null when the metric cannot be read: then the
 * pass reads every function, as before.
 */
async function readActivity(db: pg.Pool, clients: AwsClients, account: AccountRow, region: string, targets: LambdaTarget[], now: number, totals: Record<string, number>) {
  const quota = { accountId: account.id, region, api: "GetMetricData" };
  const results: MetricDataResult[] = [];
  try {
    for (let i = 0; i < targets.length; i += ACTIVITY_QUERIES_PER_CALL) {
      const batch = targets.slice(i, i + ACTIVITY_QUERIES_PER_CALL);
      let NextToken: string | undefined;
      do {
        await acquireCall(db, quota, { perSecond: GET_METRIC_DATA_PER_SECOND }, batch.length);
        const page = await clients.cloudwatch.send(new GetMetricDataCommand({
          StartTime: new Date(now - ACTIVITY_WINDOW_MS),
          EndTime: new Date(now),
          NextToken,
          MetricDataQueries: batch.map((fn, j) => ({
            Id: `f${i + j}`,
            MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "Invocations", Dimensions: [{ Name: "FunctionName", Value: fn.name }] }, Period: 60, Stat: "Sum" },
          })),
        }));
        totals.activityCalls++;
        results.push(...(page.MetricDataResults ?? []));
        NextToken = page.NextToken;
      } while (NextToken);
    }
  } catch (err) {
    if (isCredentialsFailure(err)) throw err;
    totals.activityUnknown = 1;
    return null;
  }
  return toActivity(results);
}

type Activity = Map<string, { invocations: number; lastActiveMinute: number | null }>;
// The last activity check per account and region in this process, by function name.
const lastActivity = new Map<string, { at: number; byName: Activity }>();

async function activityOf(db: pg.Pool, clients: AwsClients, account: AccountRow, region: string, targets: LambdaTarget[], now: number, maxAgeMs: number, totals: Record<string, number>): Promise<Activity | null> {
  const key = `${account.id}:${region}`;
  const kept = lastActivity.get(key);
  if (kept && now - kept.at >= 0 && now - kept.at < maxAgeMs) {
    totals.activityReused = 1;
    return kept.byName;
  }
  const byId = await readActivity(db, clients, account, region, targets, now, totals);
  if (!byId) return null;
  const byName: Activity = new Map(targets.map((t, i) => [t.name, byId.get(`f${i}`) ?? { invocations: 0, lastActiveMinute: null }]));
  lastActivity.set(key, { at: now, byName });
  return byName;
}

/** Failed invocations stored per function over the activity window: those are read first. */
async function recentFailures(db: pg.Pool, ids: number[], now: number): Promise<Map<number, number>> {
  const { rows } = await db.query<{ id: number; n: number }>(
    `SELECT resource_id AS id, sum(errors + timeouts + out_of_memory + crashes)::int AS n FROM rollup_minute
      WHERE resource_id = ANY($1) AND bucket_start >= $2 GROUP BY resource_id`,
    [ids, new Date(now - ACTIVITY_WINDOW_MS)],
  );
  return new Map(rows.map((r) => [r.id, r.n]));
}

async function logCursors(db: pg.Pool, accountId: number, region: string): Promise<Map<string, number>> {
  const { rows } = await db.query<{ key: string; position: string }>("SELECT key, position FROM ingest_cursors WHERE job = 'logs' AND account_id = $1 AND region = $2", [accountId, region]);
  return new Map(rows.map((r) => [r.key, Number(r.position)]));
}

/** What this pass reads: the functions that ran (failing and busiest first), new ones, and idle ones in turn. */
async function planPass(db: pg.Pool, clients: AwsClients, account: AccountRow, region: string, targets: LambdaTarget[], now: number, lastPass: number | null, opts: LogsPassOptions, totals: Record<string, number>) {
  if (!targets.length) return { byFilter: [], byInsights: [], cursors: new Map<string, number>() };
  const [cursors, activity, failures] = await Promise.all([
    logCursors(db, account.id, region),
    activityOf(db, clients, account, region, targets, now, opts.activityMaxAgeMs ?? 0, totals),
    recentFailures(db, targets.map((t) => t.id), now),
  ]);
  const candidates: (PullCandidate & { target: LambdaTarget })[] = targets.map((target) => {
    const a = activity?.get(target.name);
    return {
      id: target.id, target, cursor: cursors.get(target.logGroup) ?? null, recentErrors: failures.get(target.id) ?? 0,
      invocations: activity ? (a?.invocations ?? 0) : null, lastActiveMinute: a?.lastActiveMinute ?? null,
    };
  });
  const queries = opts.insights === false || !insightsAllowed(account.id, now) ? 0 : INSIGHTS_QUERIES_PER_PASS;
  const budget = opts.filterBudget ?? LOGS_READ_BUDGET;
  const plan = planLogPull(candidates, now, { readBudget: budget + queries * QUERY_GROUPS_MAX, sinceLastPassMs: lastPass === null ? undefined : now - lastPass });
  const split = splitReads(plan.reads, budget, queries);
  const planned = split.filterLogEvents.length + split.insights.reduce((n, q) => n + q.length, 0);
  totals.functionsRead = planned;
  totals.functionsSkipped = candidates.length - planned;
  totals.functionsActive = plan.reads.filter((r) => r.reason === "active" || r.reason === "errors").length;
  totals.functionsByInsights = planned - split.filterLogEvents.length;
  return { byFilter: split.filterLogEvents.map((r) => r.fn.target), byInsights: split.insights.map((q) => q.map((r) => r.fn.target)), cursors };
}

function isMissingLogGroup(err: unknown): boolean {
  return (err as { name?: string }).name === "ResourceNotFoundException";
}

/**
 * One pass of log ingestion for an account and region: the functions that ran since the last passes
 * (by their Invocations metric), the new ones and a rotating share of the idle ones (lib/ingest/pull/plan.ts).
 */
export async function pullLogs(db: pg.Pool, account: AccountRow, region: string, opts: LogsPassOptions = {}): Promise<LogsPassResult> {
  const targets = await listLambdaTargets(db, account.id, region);
  const totals: Record<string, number> = {
    functions: targets.length, functionsRead: 0, functionsSkipped: 0, functionsActive: 0, functionsByInsights: 0, activityCalls: 0, apiCalls: 0, eventsRead: 0, logEventsNew: 0,
    invocationsNew: 0, invocationsUpdated: 0, errorsNew: 0, quarantined: 0, insightsQueries: 0, insightsPolls: 0, insightsBytesScanned: 0, insightsFailed: 0, insightsNoSlot: 0,
  };
  const problems: string[] = [];
  const warnings: IngestWarningInput[] = [];
  const clients = createAwsClients(account, region);
  const now = opts.now ?? Date.now();
  let read: LambdaTarget[] = [];
  try {
    // When the last pass began (a cursor of its own, shared by every worker process): the idle reads due
    // since, and whether this pass re-reads the full late window.
    const passKey: CursorKey = { job: "logs-pass", accountId: account.id, region, key: "" };
    const lastPass = await getCursor(db, passKey);
    await advanceCursor(db, passKey, now);
    const deep = isDeepPass(now, lastPass);
    totals.deepReread = deep ? 1 : 0;
    const passOpts: LogsPassOptions = { ...opts, lateWindowMs: opts.lateWindowMs ?? (deep ? LATE_EVENT_WINDOW_MS : SHORT_LATE_WINDOW_MS) };
    const planned = await planPass(db, clients, account, region, targets, now, lastPass, passOpts, totals);
    read = [...planned.byFilter, ...planned.byInsights.flat()];
    let fatal: unknown;
    const byInsights = mapLimit(planned.byInsights, INSIGHTS_GROUPS_IN_FLIGHT, async (fns) => {
      if (fatal !== undefined) return;
      try {
        const r = await readGroupByInsights(db, clients, account, region, fns, planned.cursors, {
          now, lateWindowMs: passOpts.lateWindowMs!, lookbackMs: opts.lookbackMs ?? FIRST_READ_LOOKBACK_MS, eventsPerCommit: opts.eventsPerCommit ?? EVENTS_PER_COMMIT, onCommit: opts.onCommit,
        }, totals, warnings);
        totals.functionsUnreadByInsights = (totals.functionsUnreadByInsights ?? 0) + r.unread.length;
      } catch (err) {
        fatal = err;
      }
    });
    await mapLimit(planned.byFilter, READS_IN_FLIGHT, async (fn) => {
      if (fatal !== undefined) return;
      try {
        await pullFunction(db, clients, account, region, fn, passOpts, totals);
      } catch (err) {
        // A function never invoked has no log group yet: nothing to read, not a failure.
        if (isMissingLogGroup(err)) return;
        // With unusable credentials every other function would fail the same way.
        if (isCredentialsFailure(err)) {
          fatal = err;
          return;
        }
        problems.push(`${fn.name}: ${describeAwsError(err)}`);
        const fromAws = (err as { $metadata?: unknown }).$metadata !== undefined;
        warnings.push(toIngestWarning("logs", fn.name, fromAws ? "logs:FilterLogEvents" : null, err));
      }
    });
    await byInsights;
    if (fatal !== undefined) throw fatal;
  } finally {
    destroyAwsClients(clients);
  }
  await recordIngestWarnings(db, { accountId: account.id, region }, ["logs"], warnings);
  if (read.length && problems.length === read.length) throw new Error(`log ingestion failed for every function: ${problems[0]}`);
  return { counts: totals, problems };
}

export interface TailReadResult {
  counts: Record<string, number>;
  problems: string[];
}

/**
 * One live-tail read of the watched functions of an account and region: the same read and commit as a
 * pass (same cursor, so nothing is read twice or skipped, and writes are idempotent when a pass reads the
 * same group at once), from TAIL_LATE_WINDOW_MS before the cursor, within the tail's share of the quota.
 * Where the cursor is further back than TAIL_MAX_WINDOW_MS (a first read or a backlog the pass is on), the
 * tail reads just the last TAIL_LATE_WINDOW_MS and leaves the cursor to the pass.
 */
export async function tailLogs(db: pg.Pool, account: AccountRow, region: string, fns: LambdaTarget[], opts: LogsPassOptions = {}): Promise<TailReadResult> {
  const totals: Record<string, number> = { functionsRead: 0, apiCalls: 0, eventsRead: 0, logEventsNew: 0, invocationsNew: 0, invocationsUpdated: 0, errorsNew: 0, quarantined: 0 };
  const problems: string[] = [];
  const clients = createAwsClients(account, region);
  const tailOpts: LogsPassOptions = { ...opts, lateWindowMs: TAIL_LATE_WINDOW_MS, maxWindowMs: TAIL_MAX_WINDOW_MS, share: { api: "FilterLogEvents:tail", perSecond: TAIL_CALLS_PER_SECOND } };
  try {
    await mapLimit(fns, 2, async (fn) => {
      try {
        await pullFunction(db, clients, account, region, fn, tailOpts, totals);
        totals.functionsRead++;
      } catch (err) {
        if (isMissingLogGroup(err)) return;
        problems.push(`${fn.name}: ${describeAwsError(err)}`);
      }
    });
  } finally {
    destroyAwsClients(clients);
  }
  return { counts: totals, problems };
}
