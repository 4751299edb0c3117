import { FilterLogEventsCommand, type FilteredLogEvent } from "@aws-sdk/client-cloudwatch-logs";
import type pg from "pg";
import { createAwsClients, destroyAwsClients, type AwsClients } from "../../lib/aws/clients";
import { isCredentialsFailure, toIngestWarning, type IngestWarningInput } from "../../lib/aws/call-failure";
import { describeAwsError } from "../../lib/aws/errors";
import { sharedLimiter } from "../../lib/aws/rate-limiter";
import type { AccountRow } from "../../lib/db/account-access";
import { advanceCursor, getCursor, type CursorKey } from "../../lib/db/cursors";
import { recordIngestWarnings } from "../../lib/db/ingest-warnings";
import { commitLambdaChunk, type ChunkCounts } from "../../lib/db/lambda-chunk";
import { listLambdaTargets, type LambdaTarget } from "../../lib/db/resources";
import { parseLambdaLogEvents } from "../../lib/ingest/lambda-logs";
import type { LogEventInput } from "../../lib/ingest/lambda-logs/types";

// FilterLogEvents allows 5 requests per second per account and region; stay under it.
export const FILTER_LOG_EVENTS_PER_SECOND = 4;
// CloudWatch delivers events late: every pass re-reads this much before its cursor.
export const LATE_EVENT_WINDOW_MS = 10 * 60_000;
// A log group read for the first time starts this far back.
export const FIRST_READ_LOOKBACK_MS = 24 * 3_600_000;
// Events per transaction: big enough for fast writes, small enough that a crash redoes little.
export const EVENTS_PER_COMMIT = 5_000;

export interface LogsPassOptions {
  now?: number;
  lookbackMs?: number;
  eventsPerCommit?: number;
  /** Test hook: called after each committed chunk. */
  onCommit?: (info: { functionName: string; events: number }) => Promise<void> | void;
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
function commitChunk(db: pg.Pool, account: AccountRow, fn: LambdaTarget, region: string, events: LogEventInput[], cursorKey: CursorKey, cursorTo: number): Promise<ChunkCounts> {
  return commitLambdaChunk(db, {
    target: { resourceId: fn.id, region, architecture: fn.architecture },
    scope: { accountId: account.id, region, logGroup: fn.logGroup },
    events,
    parse: (part) => parseLambdaLogEvents(part, { functionName: fn.name }),
    onCommit: (client) => advanceCursor(client, cursorKey, cursorTo),
  });
}

/** Reads one function's log group from its cursor to now, committing in chunks. */
async function pullFunction(db: pg.Pool, clients: AwsClients, account: AccountRow, region: string, fn: LambdaTarget, opts: LogsPassOptions, totals: Record<string, number>) {
  const now = opts.now ?? Date.now();
  const key: CursorKey = { job: "logs", accountId: account.id, region, key: fn.logGroup };
  const cursor = await getCursor(db, key);
  const startTime = cursor === null ? now - (opts.lookbackMs ?? FIRST_READ_LOOKBACK_MS) : cursor - LATE_EVENT_WINDOW_MS;
  const limiter = sharedLimiter(`FilterLogEvents:${account.id}:${region}`, FILTER_LOG_EVENTS_PER_SECOND);
  const perCommit = opts.eventsPerCommit ?? EVENTS_PER_COMMIT;
  let pending: LogEventInput[] = [];
  let nextToken: string | undefined;
  const flush = async (cursorTo: number) => {
    const counts = await commitChunk(db, account, fn, region, pending, key, cursorTo);
    totals.eventsRead += pending.length;
    totals.logEventsNew += counts.logEvents;
    totals.invocationsNew += counts.invocationsNew;
    totals.invocationsUpdated += counts.invocationsUpdated;
    totals.errorsNew += counts.errors;
    totals.quarantined += counts.quarantined;
    const n = pending.length;
    pending = [];
    await opts.onCommit?.({ functionName: fn.name, events: n });
  };
  do {
    await limiter.acquire();
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

function isMissingLogGroup(err: unknown): boolean {
  return (err as { name?: string }).name === "ResourceNotFoundException";
}

/** One pass of log ingestion over every live function of an account and region. */
export async function pullLogs(db: pg.Pool, account: AccountRow, region: string, opts: LogsPassOptions = {}): Promise<LogsPassResult> {
  const targets = await listLambdaTargets(db, account.id, region);
  const totals: Record<string, number> = { functions: targets.length, apiCalls: 0, eventsRead: 0, logEventsNew: 0, invocationsNew: 0, invocationsUpdated: 0, errorsNew: 0, quarantined: 0 };
  const problems: string[] = [];
  const warnings: IngestWarningInput[] = [];
  const clients = createAwsClients(account, region);
  try {
    for (const fn of targets) {
      try {
        await pullFunction(db, clients, account, region, fn, opts, totals);
      } catch (err) {
        // A function never invoked has no log group yet: nothing to read, not a failure.
        if (isMissingLogGroup(err)) continue;
        // With unusable credentials every other function would fail the same way.
        if (isCredentialsFailure(err)) throw err;
        problems.push(`${fn.name}: ${describeAwsError(err)}`);
        const fromAws = (err as { $metadata?: unknown }).$metadata !== undefined;
        warnings.push(toIngestWarning("logs", fn.name, fromAws ? "logs:FilterLogEvents" : null, err));
      }
    }
  } finally {
    destroyAwsClients(clients);
  }
  await recordIngestWarnings(db, { accountId: account.id, region }, ["logs"], warnings);
  if (targets.length && problems.length === targets.length) throw new Error(`log ingestion failed for every function: ${problems[0]}`);
  return { counts: totals, problems };
}
