import { gunzipSync, gzipSync } from "node:zlib";
import type pg from "pg";
import { parseLambdaLogEvents, fromSubscriptionPayload } from "../ingest/lambda-logs";
import { requestAlertEvaluation } from "./alerts/request-evaluation";
import { SubscriptionPayloadSchema, type SubscriptionPayload } from "../ingest/lambda-logs/subscription";
import type { ParseResult } from "../ingest/lambda-logs/types";
import { childLog } from "../log";
import { commitLambdaChunk } from "./lambda-chunk";
import { writeLambdaBatch, writeLambdaBatches, type LambdaWrite, type LambdaWriteTarget } from "./lambda-writer";
import { prepared } from "./prepared";
import { isDataError } from "./quarantine";

const log = childLog("push-ingest");

export interface PushResult {
  logEvents: number;
  invocations: number;
  /** Events Postgres refused for a data reason: kept in quarantined_events, the rest of the delivery landed. */
  quarantined: number;
  /** Log groups of no known function: their payloads were kept in push_pending, not dropped. */
  unknownLogGroups: string[];
}

/** Kept payloads written per delivery: bounds the memory and time a delivery spends on older ones. */
const REPLAY_BATCH = 20;

interface Group {
  owner: string | undefined;
  logGroup: string;
  payloads: SubscriptionPayload[];
}

function groupByLogGroup(payloads: SubscriptionPayload[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const p of payloads) {
    if (p.messageType !== "DATA_MESSAGE") continue;
    const key = `${p.owner ?? ""}\0${p.logGroup}`;
    const g = groups.get(key) ?? { owner: p.owner, logGroup: p.logGroup, payloads: [] };
    g.payloads.push(p);
    groups.set(key, g);
  }
  return groups;
}

interface GroupOwner {
  accountId: number;
  name: string;
  target: LambdaWriteTarget;
}

const OWNERS_SQL = `SELECT DISTINCT ON (g.n) g.n, r.id, r.account_id, r.name, r.region, r.config->>'architecture' AS architecture
   FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS g(log_group, owner, n)
   JOIN resources r ON r.kind = 'lambda' AND r.deleted_at IS NULL AND r.config->>'logGroup' = g.log_group
   JOIN accounts a ON a.id = r.account_id AND (g.owner IS NULL OR a.aws_account_id = g.owner)
  ORDER BY g.n, r.id`;

/** The known function of each log group (one query for them all), or null where discovery has not found it yet. */
async function ownersOf(db: Pick<pg.Pool, "query">, groups: Group[]): Promise<(GroupOwner | null)[]> {
  const { rows } = await db.query<{ n: string; id: number; account_id: number; name: string; region: string; architecture: string | null }>(
    prepared(OWNERS_SQL, [groups.map((g) => g.logGroup), groups.map((g) => g.owner ?? null)]),
  );
  const byIndex = new Map(rows.map((fn) => [Number(fn.n) - 1, fn]));
  return groups.map((_, i) => {
    const fn = byIndex.get(i);
    return fn ? { accountId: fn.account_id, name: fn.name, target: { resourceId: fn.id, region: fn.region, architecture: fn.architecture === "arm64" ? "arm64" : "x86_64" } } : null;
  });
}

async function ownerOf(db: Pick<pg.Pool, "query">, g: Group): Promise<GroupOwner | null> {
  return (await ownersOf(db, [g]))[0];
}

/** Writes one log group's payloads through the pull worker's parser and writer; false when no known function owns the log group. */
async function writeGroup(client: pg.PoolClient, g: Group, result: PushResult): Promise<boolean> {
  const fn = await ownerOf(client, g);
  if (!fn) return false;
  const counts = await writeLambdaBatch(client, fn.target, parseGroup(g, fn));
  result.logEvents += counts.logEvents;
  result.invocations += counts.invocationsNew;
  return true;
}

function parseGroup(g: Group, fn: GroupOwner): ParseResult {
  return parseLambdaLogEvents(g.payloads.flatMap(fromSubscriptionPayload), { functionName: fn.name });
}

/**
 * The pull worker's way with a chunk Postgres refuses for a data reason, per log group: halves
 * until the refused events are isolated in quarantined_events, and everything else lands. Each
 * write is idempotent, so a group that landed whole before is not doubled.
 */
async function writeGroupIsolating(db: pg.Pool, g: Group, result: PushResult): Promise<boolean> {
  const fn = await ownerOf(db, g);
  if (!fn) return false;
  const counts = await commitLambdaChunk(db, {
    target: fn.target,
    scope: { accountId: fn.accountId, region: fn.target.region, logGroup: g.logGroup },
    events: g.payloads.flatMap(fromSubscriptionPayload),
    parse: (part) => parseLambdaLogEvents(part, { functionName: fn.name }),
    onCommit: async () => {},
  });
  result.logEvents += counts.logEvents;
  result.invocations += counts.invocationsNew;
  result.quarantined += counts.quarantined;
  return true;
}

/** A kept payload that failed this many writes is left for retention: it must not cost every delivery. */
const MAX_REPLAY_ATTEMPTS = 3;

/**
 * Writes kept payloads whose log group a known function now owns, oldest first, each in its own
 * transaction: one that fails is counted and left, and never fails the delivery that triggered it.
 */
export async function replayPendingPushes(db: pg.Pool, limit = REPLAY_BATCH): Promise<{ replayed: number; failed: number; logEvents: number }> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT p.id FROM push_pending p
      WHERE p.attempts < $2 AND EXISTS (
              SELECT 1 FROM resources r JOIN accounts a ON a.id = r.account_id
               WHERE r.kind = 'lambda' AND r.deleted_at IS NULL AND r.config->>'logGroup' = p.log_group
                 AND (p.owner IS NULL OR a.aws_account_id = p.owner))
      ORDER BY p.id LIMIT $1`,
    [limit, MAX_REPLAY_ATTEMPTS],
  );
  const out = { replayed: 0, failed: 0, logEvents: 0 };
  for (const { id } of rows) {
    const client = await db.connect();
    try {
      await client.query("BEGIN");
      // SKIP LOCKED: a concurrent delivery replaying the same row takes the next one instead.
      const { rows: locked } = await client.query<{ payload: Buffer }>("SELECT payload FROM push_pending WHERE id = $1 FOR UPDATE SKIP LOCKED", [id]);
      if (!locked.length) {
        await client.query("ROLLBACK");
        continue;
      }
      const payload = SubscriptionPayloadSchema.parse(JSON.parse(gunzipSync(locked[0].payload).toString("utf8"))) as SubscriptionPayload;
      const result: PushResult = { logEvents: 0, invocations: 0, quarantined: 0, unknownLogGroups: [] };
      for (const g of groupByLogGroup([payload]).values()) await writeGroup(client, g, result);
      await client.query("DELETE FROM push_pending WHERE id = $1", [id]);
      await client.query("COMMIT");
      out.replayed++;
      out.logEvents += result.logEvents;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => {});
      await db.query("UPDATE push_pending SET attempts = attempts + 1 WHERE id = $1", [id]).catch(() => {});
      out.failed++;
      log.warn({ err, pendingId: id }, "a kept Firehose payload could not be written");
    } finally {
      client.release();
    }
  }
  return out;
}

/** Keeps log groups' payloads for later, in one statement: a function not yet discovered must not lose its logs. */
async function keepPending(client: Pick<pg.Pool, "query">, groups: Group[]): Promise<void> {
  const rows = groups.flatMap((g) => g.payloads.map((p) => ({ g, zipped: gzipSync(JSON.stringify(p)) })));
  if (!rows.length) return;
  await client.query("INSERT INTO push_pending (owner, log_group, payload, bytes) SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::int[])", [
    rows.map((r) => r.g.owner ?? null),
    rows.map((r) => r.g.logGroup),
    rows.map((r) => r.zipped),
    rows.map((r) => r.zipped.length),
  ]);
}

/**
 * Writes Firehose-delivered subscription payloads through the same parser and writer as the
 * pull worker, all in one transaction: a delivery lands whole or not at all (Firehose retries).
 * When Postgres refuses it for a data reason (an event it cannot store), retrying would fail the
 * same way for ever: each log group is then written on its own, the refused events quarantined.
 * Payloads of log groups no known function owns are kept in push_pending (see replayPendingPushes).
 */
export async function ingestSubscriptionPayloads(db: pg.Pool, payloads: SubscriptionPayload[]): Promise<PushResult> {
  const groups = groupByLogGroup(payloads);
  try {
    return await writeDeliveries(db, groups);
  } catch (err) {
    if (!isDataError(err)) throw err;
  }
  return ingestIsolating(db, groups);
}

/**
 * One transaction for the given log groups, with one statement per table for them all (writeLambdaBatches):
 * a batch of a hundred deliveries over fifty functions costs a dozen round trips, not hundreds. Functions
 * are locked in one order and the rollup version bumped once per account and region at the end: two
 * transactions writing overlapping functions then wait for each other instead of deadlocking, and the hot
 * version row is locked only to the commit. Owners are looked up and payloads parsed before the
 * transaction opens, so locks are held only while Postgres writes.
 */
async function writeDeliveries(db: pg.Pool, groups: Map<string, Group>): Promise<PushResult> {
  const result: PushResult = { logEvents: 0, invocations: 0, quarantined: 0, unknownLogGroups: [] };
  const ordered = [...groups.values()];
  const owners = await ownersOf(db, ordered);
  const writes: LambdaWrite[] = [];
  const unknown: Group[] = [];
  ordered.forEach((g, i) => {
    const fn = owners[i];
    if (fn) writes.push({ target: fn.target, parsed: parseGroup(g, fn) });
    else unknown.push(g);
  });
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    await keepPending(client, unknown);
    const counts = await writeLambdaBatches(client, writes);
    await client.query("COMMIT");
    result.logEvents = counts.logEvents;
    result.invocations = counts.invocationsNew;
    result.unknownLogGroups = unknown.map((g) => g.logGroup);
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Deliveries written together at most (their payloads): bounds one transaction's size and time. */
const MAX_BATCH_PAYLOADS = 400;

interface Waiting {
  payloads: SubscriptionPayload[];
  resolve(r: PushResult): void;
  reject(err: unknown): void;
}

/**
 * Group commit for the Firehose endpoint. Deliveries that arrive while a transaction is being written
 * wait and are then written together, one log group once, in one transaction: under load the batches
 * grow and a delivery costs less, where one transaction each would queue on the same functions' locks.
 * Each delivery is answered only after the transaction holding its data committed. When a batch fails,
 * its deliveries are written again one by one (the writes are idempotent and the batch rolled back), so a
 * delivery with data Postgres refuses fails, or is quarantined, alone. After each batch: one alert
 * evaluation request when invocations were written, and the kept payloads of functions found since.
 */
export class PushWriter {
  private queue: Waiting[] = [];
  private running = false;

  constructor(private readonly db: pg.Pool) {}

  ingest(payloads: SubscriptionPayload[]): Promise<PushResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ payloads, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private take(): Waiting[] {
    const batch: Waiting[] = [];
    let n = 0;
    while (this.queue.length && (batch.length === 0 || n + this.queue[0].payloads.length <= MAX_BATCH_PAYLOADS)) {
      const w = this.queue.shift()!;
      n += w.payloads.length;
      batch.push(w);
    }
    return batch;
  }

  private async drain(): Promise<void> {
    this.running = true;
    let followUps = Promise.resolve();
    try {
      while (this.queue.length) {
        const batch = this.take();
        const outcomes = await this.write(batch);
        // The next batch is written while this one's follow-ups run (three round trips of a dozen per batch);
        // follow-ups stay in batch order, and a delivery is answered after its batch's.
        followUps = followUps.then(() => this.followUp(batch, outcomes));
      }
    } finally {
      this.running = false;
    }
    await followUps;
  }

  private async followUp(batch: Waiting[], outcomes: ({ result: PushResult } | { error: unknown })[]): Promise<void> {
    if (outcomes.some((o) => "result" in o && o.result.invocations > 0)) await requestAlertEvaluation(this.db);
    await replayPendingPushes(this.db).catch((err) => log.warn({ err }, "replaying kept Firehose payloads failed"));
    batch.forEach((w, i) => {
      const o = outcomes[i];
      if ("result" in o) w.resolve(o.result);
      else w.reject(o.error);
    });
  }

  private async write(batch: Waiting[]): Promise<({ result: PushResult } | { error: unknown })[]> {
    if (batch.length > 1) {
      try {
        const result = await writeDeliveries(this.db, groupByLogGroup(batch.flatMap((w) => w.payloads)));
        return batch.map((w) => {
          const own = new Set(w.payloads.map((p) => p.logGroup));
          return { result: { ...result, unknownLogGroups: result.unknownLogGroups.filter((g) => own.has(g)) } };
        });
      } catch (err) {
        log.warn({ err: (err as Error).message, deliveries: batch.length }, "a batch of Firehose deliveries failed: writing them one by one");
      }
    }
    const out: ({ result: PushResult } | { error: unknown })[] = [];
    for (const w of batch) {
      try {
        out.push({ result: await ingestSubscriptionPayloads(this.db, w.payloads) });
      } catch (error) {
        out.push({ error });
      }
    }
    return out;
  }
}

const writers = new WeakMap<pg.Pool, PushWriter>();

/** The process's group-commit writer for a pool. */
export function pushWriter(db: pg.Pool): PushWriter {
  let w = writers.get(db);
  if (!w) writers.set(db, (w = new PushWriter(db)));
  return w;
}

async function ingestIsolating(db: pg.Pool, groups: Map<string, Group>): Promise<PushResult> {
  const result: PushResult = { logEvents: 0, invocations: 0, quarantined: 0, unknownLogGroups: [] };
  for (const g of groups.values()) {
    if (await writeGroupIsolating(db, g, result)) continue;
    await keepPending(db, [g]);
    result.unknownLogGroups.push(g.logGroup);
  }
  log.warn({ quarantined: result.quarantined }, "a Firehose delivery held events Postgres refused: they are quarantined, the rest landed");
  return result;
}
