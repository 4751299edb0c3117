import type pg from "pg";
import { parseLambdaLogEvents, fromSubscriptionPayload } from "../ingest/lambda-logs";
import type { SubscriptionPayload } from "../ingest/lambda-logs/subscription";
import { writeLambdaBatch } from "./lambda-writer";

export interface PushResult {
  logEvents: number;
  invocations: number;
  unknownLogGroups: string[];
}

/**
 * Writes Firehose-delivered subscription payloads through the same parser and writer as the
 * pull worker, all in one transaction: a delivery lands whole or not at all (Firehose retries).
 */
export async function ingestSubscriptionPayloads(db: pg.Pool, payloads: SubscriptionPayload[]): Promise<PushResult> {
  const groups = new Map<string, { owner: string | undefined; logGroup: string; payloads: SubscriptionPayload[] }>();
  for (const p of payloads) {
    if (p.messageType !== "DATA_MESSAGE") continue;
    const key = `${p.owner ?? ""}\0${p.logGroup}`;
    const g = groups.get(key) ?? { owner: p.owner, logGroup: p.logGroup, payloads: [] };
    g.payloads.push(p);
    groups.set(key, g);
  }
  const result: PushResult = { logEvents: 0, invocations: 0, unknownLogGroups: [] };
  if (!groups.size) return result;
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    for (const g of groups.values()) {
      const { rows } = await client.query<{ id: number; name: string; region: string; architecture: string | null }>(
        `SELECT r.id, r.name, r.region, r.config->>'architecture' AS architecture
           FROM resources r JOIN accounts a ON a.id = r.account_id
          WHERE r.kind = 'lambda' AND r.deleted_at IS NULL AND r.config->>'logGroup' = $1 AND ($2::text IS NULL OR a.aws_account_id = $2)
          ORDER BY r.id LIMIT 1`,
        [g.logGroup, g.owner ?? null],
      );
      if (!rows.length) {
        result.unknownLogGroups.push(g.logGroup);
        continue;
      }
      const fn = rows[0];
      const events = g.payloads.flatMap(fromSubscriptionPayload);
      const parsed = parseLambdaLogEvents(events, { functionName: fn.name });
      const counts = await writeLambdaBatch(client, { resourceId: fn.id, region: fn.region, architecture: fn.architecture === "arm64" ? "arm64" : "x86_64" }, parsed);
      result.logEvents += counts.logEvents;
      result.invocations += counts.invocationsNew;
    }
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
