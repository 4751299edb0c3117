import { GetQueryResultsCommand, StartQueryCommand, StopQueryCommand, type ResultField } from "@aws-sdk/client-cloudwatch-logs";
import type pg from "pg";
import type { AwsClients } from "../../lib/aws/clients";
import { isCredentialsFailure, toIngestWarning, type IngestWarningInput } from "../../lib/aws/call-failure";
import type { AccountRow } from "../../lib/db/account-access";
import { acquireCall, countUnits } from "../../lib/db/api-quota";
import { advanceCursor, type CursorKey } from "../../lib/db/cursors";
import { commitLambdaChunk } from "../../lib/db/lambda-chunk";
import { releaseQuerySlot, takeQuerySlot } from "../../lib/db/query-leases";
import type { LambdaTarget } from "../../lib/db/resources";
import { dropStoredEvents } from "../../lib/db/stored-events";
import { parseLambdaLogEvents } from "../../lib/ingest/lambda-logs";
import type { LogEventInput } from "../../lib/ingest/lambda-logs/types";
import { insightsQueryString, nextQueryStart, toInsightsEvents } from "../../lib/ingest/pull/insights";

// Logs Insights queries running at once per account, across every worker process: AWS allows 30 (the
// StartQuery reference; dashboards' queries count too), Osprey takes at most 20 and leaves the rest to people.
export const INSIGHTS_QUERIES_AT_ONCE = 20;
// StartQuery and GetQueryResults: 5 requests a second per account and region; every worker process together
// stays under it (the buckets are shared through Postgres, as FilterLogEvents' is).
export const START_QUERY_PER_SECOND = 4;
export const GET_QUERY_RESULTS_PER_SECOND = 4;
// A query is asked for its results this often while it runs.
export const QUERY_POLL_MS = 1_000;
// A query still running after this is stopped; its log groups are read by a later pass.
export const QUERY_MAX_RUN_MS = 120_000;
// How long a query's slot is held at most (a worker that dies mid-query frees it after this).
const SLOT_LEASE_MS = QUERY_MAX_RUN_MS + 60_000;
// Waiting for a free slot: after this long the pass leaves the query's log groups to a later pass.
const SLOT_WAIT_MS = 30_000;
// After StartQuery is refused for lack of permission, this process reads by FilterLogEvents alone this long.
const DENIED_RETRY_MS = 3_600_000;
// Where a read by Insights ended per log group: a FilterLogEvents read of a window before it recognises
// the events Insights stored by their content (lib/db/stored-events.ts).
export const INSIGHTS_MARK_JOB = "logs-insights";

const deniedUntil = new Map<number, number>();

/** Whether this process may read the account by Insights now (not refused StartQuery in the last hour). */
export function insightsAllowed(accountId: number, now = Date.now()): boolean {
  return (deniedUntil.get(accountId) ?? 0) <= now;
}

export interface InsightsReadOptions {
  now: number;
  lateWindowMs: number;
  lookbackMs: number;
  eventsPerCommit: number;
  onCommit?: (info: { functionName: string; events: number; errorsNew: number }) => Promise<void> | void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const errorName = (err: unknown) => (err as { name?: string }).name ?? "";

interface QueryAnswer {
  rows: ResultField[][];
  bytesScanned: number;
}

/** Runs one query to its end within a slot and the shared call quotas; null when it did not complete. */
async function runQuery(db: pg.Pool, clients: AwsClients, account: AccountRow, region: string, groups: string[], fromMs: number, toMs: number, totals: Record<string, number>): Promise<QueryAnswer | null> {
  const waitUntil = Date.now() + SLOT_WAIT_MS;
  let slot = await takeQuerySlot(db, account.id, INSIGHTS_QUERIES_AT_ONCE, SLOT_LEASE_MS);
  while (slot === null && Date.now() < waitUntil) {
    await sleep(QUERY_POLL_MS);
    slot = await takeQuerySlot(db, account.id, INSIGHTS_QUERIES_AT_ONCE, SLOT_LEASE_MS);
  }
  if (slot === null) {
    totals.insightsNoSlot++;
    return null;
  }
  const quota = (api: string) => ({ accountId: account.id, region, api });
  try {
    await acquireCall(db, quota("StartQuery"), { perSecond: START_QUERY_PER_SECOND });
    let queryId: string | undefined;
    try {
      ({ queryId } = await clients.logs.send(new StartQueryCommand({
        logGroupNames: groups, startTime: Math.floor(fromMs / 1000), endTime: Math.ceil(toMs / 1000), queryString: insightsQueryString(fromMs),
      })));
    } catch (err) {
      // Queries the account runs elsewhere (dashboards) can fill AWS's limit: a later pass tries again.
      if (errorName(err) === "LimitExceededException") {
        totals.insightsNoSlot++;
        return null;
      }
      throw err;
    }
    totals.insightsQueries++;
    const started = Date.now();
    for (;;) {
      await sleep(QUERY_POLL_MS);
      await acquireCall(db, quota("GetQueryResults"), { perSecond: GET_QUERY_RESULTS_PER_SECOND });
      const r = await clients.logs.send(new GetQueryResultsCommand({ queryId }));
      totals.insightsPolls++;
      if (r.status === "Complete") {
        const bytesScanned = r.statistics?.bytesScanned ?? 0;
        await countUnits(db, quota("StartQuery"), bytesScanned / 1000);
        totals.insightsBytesScanned += bytesScanned;
        return { rows: r.results ?? [], bytesScanned };
      }
      if (r.status !== "Running" && r.status !== "Scheduled") {
        totals.insightsFailed++;
        return null;
      }
      if (Date.now() - started > QUERY_MAX_RUN_MS) {
        await acquireCall(db, quota("StopQuery"), { perSecond: START_QUERY_PER_SECOND });
        await clients.logs.send(new StopQueryCommand({ queryId })).catch(() => undefined);
        totals.insightsFailed++;
        return null;
      }
    }
  } finally {
    await releaseQuerySlot(db, account.id, slot);
  }
}

/** Writes one function's events read by Insights, minus those already stored, and moves its cursors with them. */
async function commitFunction(db: pg.Pool, account: AccountRow, region: string, fn: LambdaTarget, events: LogEventInput[], cursorTo: number, opts: InsightsReadOptions, totals: Record<string, number>) {
  const fresh = await dropStoredEvents(db, fn.id, events);
  totals.eventsRead += events.length;
  const cursor: CursorKey = { job: "logs", accountId: account.id, region, key: fn.logGroup };
  const mark: CursorKey = { ...cursor, job: INSIGHTS_MARK_JOB };
  for (let i = 0; i < Math.max(fresh.length, 1); i += opts.eventsPerCommit) {
    const part = fresh.slice(i, i + opts.eventsPerCommit);
    const last = i + opts.eventsPerCommit >= fresh.length;
    const counts = await commitLambdaChunk(db, {
      target: { resourceId: fn.id, region, architecture: fn.architecture },
      scope: { accountId: account.id, region, logGroup: fn.logGroup },
      events: part,
      parse: (p) => parseLambdaLogEvents(p, { functionName: fn.name }),
      onCommit: async (client) => {
        await advanceCursor(client, mark, last ? cursorTo : part[part.length - 1].timestamp);
        if (last) await advanceCursor(client, cursor, cursorTo);
      },
    });
    totals.logEventsNew += counts.logEvents;
    totals.invocationsNew += counts.invocationsNew;
    totals.invocationsUpdated += counts.invocationsUpdated;
    totals.errorsNew += counts.errors;
    totals.quarantined += counts.quarantined;
    await opts.onCommit?.({ functionName: fn.name, events: part.length, errorsNew: counts.errors });
  }
}

/**
 * Reads one group of up to 50 functions' log groups with Logs Insights, from the oldest of their cursors
 * (less the late window) to now, paging by time when a query comes back full. Each function's events go
 * through the same parser and writer as FilterLogEvents' and its cursor moves with them.
 */
export async function readGroupByInsights(
  db: pg.Pool, clients: AwsClients, account: AccountRow, region: string, fns: LambdaTarget[], cursors: Map<string, number>,
  opts: InsightsReadOptions, totals: Record<string, number>, warnings: IngestWarningInput[],
): Promise<{ read: LambdaTarget[]; unread: LambdaTarget[] }> {
  const byGroup = new Map(fns.map((f) => [f.logGroup, f]));
  let from = Math.min(...fns.map((f) => {
    const c = cursors.get(f.logGroup);
    return c === undefined ? opts.now - opts.lookbackMs : c - opts.lateWindowMs;
  }));
  try {
    for (;;) {
      const answer = await runQuery(db, clients, account, region, [...byGroup.keys()], from, opts.now, totals);
      if (!answer) return { read: [], unread: fns };
      const next = nextQueryStart(answer.rows, from);
      const events = toInsightsEvents(answer.rows);
      for (const fn of fns) {
        // Read up to the next page's start, or to now when the window is done.
        const upTo = next ?? opts.now;
        const mine = (events.get(fn.logGroup) ?? []).filter((e) => next === undefined || e.timestamp < next);
        await commitFunction(db, account, region, fn, mine, upTo, opts, totals);
      }
      if (next === undefined) return { read: fns, unread: [] };
      from = next;
    }
  } catch (err) {
    if (isCredentialsFailure(err)) throw err;
    const denied = errorName(err) === "AccessDeniedException" || /not authorized/i.test((err as Error).message ?? "");
    if (denied) deniedUntil.set(account.id, Date.now() + DENIED_RETRY_MS);
    totals.insightsFailed++;
    warnings.push(toIngestWarning("logs", `Logs Insights (${fns.length} functions)`, "logs:StartQuery", err));
    return { read: [], unread: fns };
  }
}
