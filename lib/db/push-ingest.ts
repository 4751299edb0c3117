import { gunzipSync, gzipSync } from "node:zlib";
import type pg from "pg";
import { parseLambdaLogEvents, fromSubscriptionPayload } from "../ingest/lambda-logs";
import { SubscriptionPayloadSchema, type SubscriptionPayload } from "../ingest/lambda-logs/subscription";
import { childLog } from "../log";
import { commitLambdaChunk } from "./lambda-chunk";
import { writeLambdaBatch, type LambdaWriteTarget } from "./lambda-writer";
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

/** The known function whose log group this is, or null when discovery has not found it yet. */
async function ownerOf(db: Pick<pg.Pool, "query">, g: Group): Promise<GroupOwner | null> {
  const { rows } = await db.query<{ id: number; account_id: number; name: string; region: string; architecture: string | null }>(
    `SELECT r.id, r.account_id, r.name, r.region, r.config->>'architecture' AS architecture
       FROM resources r JOIN accounts a ON a.id = r.account_id
      WHERE r.kind = 'lambda' AND r.deleted_at IS NULL AND r.config->>'logGroup' = $1 AND ($2::text IS NULL OR a.aws_account_id = $2)
      ORDER BY r.id LIMIT 1`,
    [g.logGroup, g.owner ?? null],
  );
  if (!rows.length) return null;
  const fn = rows[0];
  return { accountId: fn.account_id, name: fn.name, target: { resourceId: fn.id, region: fn.region, architecture: fn.architecture === "arm64" ? "arm64" : "x86_64" } };
}

/** Writes one log group's payloads through the pull worker's parser and writer; false when no known function owns the log group. */
async function writeGroup(client: pg.PoolClient, g: Group, result: PushResult): Promise<boolean> {
  const fn = await ownerOf(client, g);
  if (!fn) return false;
  const parsed = parseLambdaLogEvents(g.payloads.flatMap(fromSubscriptionPayload), { functionName: fn.name });
  const counts = await writeLambdaBatch(client, fn.target, parsed);
  result.logEvents += counts.logEvents;
  result.invocations += counts.invocationsNew;
  return true;
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

/** Keeps a log group's payloads for later: a function not yet discovered must not lose its logs. */
async function keepPending(client: Pick<pg.Pool, "query">, g: Group): Promise<void> {
  for (const p of g.payloads) {
    const zipped = gzipSync(JSON.stringify(p));
    await client.query("INSERT INTO push_pending (owner, log_group, payload, bytes) VALUES ($1, $2, $3, $4)", [g.owner ?? null, g.logGroup, zipped, zipped.length]);
  }
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
  const result: PushResult = { logEvents: 0, invocations: 0, quarantined: 0, unknownLogGroups: [] };
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    for (const g of groups.values()) {
      if (await writeGroup(client, g, result)) continue;
      await keepPending(client, g);
      result.unknownLogGroups.push(g.logGroup);
    }
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    if (!isDataError(err)) throw err;
  } finally {
    client.release();
  }
  return ingestIsolating(db, groups);
}

async function ingestIsolating(db: pg.Pool, groups: Map<string, Group>): Promise<PushResult> {
  const result: PushResult = { logEvents: 0, invocations: 0, quarantined: 0, unknownLogGroups: [] };
  for (const g of groups.values()) {
    if (await writeGroupIsolating(db, g, result)) continue;
    await keepPending(db, g);
    result.unknownLogGroups.push(g.logGroup);
  }
  log.warn({ quarantined: result.quarantined }, "a Firehose delivery held events Postgres refused: they are quarantined, the rest landed");
  return result;
}
