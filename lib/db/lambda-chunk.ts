import type pg from "pg";
import type { LogEventInput, ParseResult } from "../ingest/lambda-logs/types";
import { writeLambdaBatch, type LambdaWriteTarget, type WriteCounts } from "./lambda-writer";
import { isDataError, ParseFailure, quarantinedEventIds, quarantineEvent, type QuarantineScope } from "./quarantine";
import { inTransaction } from "./transaction";

export interface ChunkCounts extends WriteCounts {
  quarantined: number;
}

export interface LambdaChunk {
  target: LambdaWriteTarget;
  scope: QuarantineScope;
  events: LogEventInput[];
  parse: (events: LogEventInput[]) => ParseResult;
  /** Runs in the transaction that makes the chunk's rows visible (the cursor moves with them). */
  onCommit: (client: pg.PoolClient) => Promise<void>;
}

const NONE: ChunkCounts = { logEvents: 0, invocationsNew: 0, invocationsUpdated: 0, errors: 0, quarantined: 0 };
const add = (a: ChunkCounts, b: ChunkCounts): ChunkCounts => ({
  logEvents: a.logEvents + b.logEvents,
  invocationsNew: a.invocationsNew + b.invocationsNew,
  invocationsUpdated: a.invocationsUpdated + b.invocationsUpdated,
  errors: a.errors + b.errors,
  quarantined: a.quarantined + b.quarantined,
});

async function writeEvents(db: pg.Pool, chunk: LambdaChunk, events: LogEventInput[], withCommitHook: boolean): Promise<ChunkCounts> {
  let parsed: ParseResult;
  try {
    parsed = chunk.parse(events);
  } catch (err) {
    throw new ParseFailure(err);
  }
  return inTransaction(db, async (client) => {
    const counts = await writeLambdaBatch(client, chunk.target, parsed);
    if (withCommitHook) await chunk.onCommit(client);
    return { ...counts, quarantined: 0 };
  });
}

/** Writes the events, halving any part Postgres refuses for a data reason until the one bad event is kept aside. */
async function writeIsolating(db: pg.Pool, chunk: LambdaChunk, events: LogEventInput[]): Promise<ChunkCounts> {
  if (!events.length) return NONE;
  try {
    return await writeEvents(db, chunk, events, false);
  } catch (err) {
    if (!isDataError(err)) throw err;
    if (events.length === 1) {
      await quarantineEvent(db, chunk.scope, events[0], err);
      return { ...NONE, quarantined: 1 };
    }
    const mid = events.length >> 1;
    return add(await writeIsolating(db, chunk, events.slice(0, mid)), await writeIsolating(db, chunk, events.slice(mid)));
  }
}

/**
 * Writes one chunk of a log group's events and runs onCommit in the same transaction. When Postgres
 * refuses the chunk for a data reason (a row it cannot store, a constraint), the chunk is split in
 * halves, and halves of halves, each written on its own, until every event Postgres refuses is in
 * quarantined_events; then onCommit runs. Other errors (connection, server) propagate and nothing of
 * the chunk counts as read. Each write is idempotent, so halves that landed before a crash are
 * deduplicated when the chunk is read again.
 */
export async function commitLambdaChunk(db: pg.Pool, chunk: LambdaChunk): Promise<ChunkCounts> {
  try {
    return await writeEvents(db, chunk, chunk.events, true);
  } catch (err) {
    if (!isDataError(err)) throw err;
  }
  const known = await quarantinedEventIds(db, chunk.scope, chunk.events.map((e) => e.eventId));
  const fresh = chunk.events.filter((e) => !known.has(e.eventId));
  const counts = await writeIsolating(db, chunk, fresh);
  await inTransaction(db, (client) => chunk.onCommit(client));
  return counts;
}
