import pg from "pg";
import { aadFor, isSealed, openWith, sealedKeyId, sealWith, type SecretKey } from "../crypto/secrets";
import { recordAudit, type Actor } from "./audit";

type Db = Pick<pg.Pool, "query">;

/** Every column that holds a sealed secret, one value a row. Firehose keys are kept as hashes, under no key. */
export const SEALED_COLUMNS = [
  { table: "channels", column: "secrets" },
  { table: "accounts", column: "external_id" },
  { table: "sso_configs", column: "client_secret" },
] as const;

interface StoredValue {
  id: number;
  value: string;
}

async function storedValues(db: Db, table: string, column: string, lock: boolean): Promise<StoredValue[]> {
  const { rows } = await db.query<StoredValue>(`SELECT id, ${column} AS value FROM ${table} WHERE ${column} IS NOT NULL ORDER BY id${lock ? " FOR UPDATE" : ""}`);
  return rows;
}

/**
 * The one-time step after migrations: seals values written before encryption at rest (plain, without
 * the `v1:` prefix) under the current key. Sealed values are left alone, so it runs on every start.
 */
export async function sealPlaintextSecrets(db: pg.Pool, key: SecretKey): Promise<number> {
  const client = await db.connect();
  let sealed = 0;
  try {
    await client.query("BEGIN");
    for (const { table, column } of SEALED_COLUMNS) {
      for (const row of await storedValues(client, table, column, true)) {
        if (isSealed(row.value)) continue;
        await client.query(`UPDATE ${table} SET ${column} = $2 WHERE id = $1`, [row.id, sealWith(key, row.value, aadFor(table, column, row.id))]);
        sealed++;
      }
    }
    await client.query("COMMIT");
    return sealed;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Re-encrypts every secret under `next`, in one transaction: all values move, or none. `beforeCommit`
 * runs inside it, after every value opened and sealed again (write the new key there, aside).
 */
export async function reencryptSecrets(db: pg.Pool, current: readonly SecretKey[], next: SecretKey, actor: Actor, beforeCommit: () => Promise<void> | void): Promise<number> {
  const client = await db.connect();
  let count = 0;
  try {
    await client.query("BEGIN");
    for (const { table, column } of SEALED_COLUMNS) {
      for (const row of await storedValues(client, table, column, true)) {
        const aad = aadFor(table, column, row.id);
        const plain = isSealed(row.value) ? openWith(current, row.value, aad) : row.value;
        await client.query(`UPDATE ${table} SET ${column} = $2 WHERE id = $1`, [row.id, sealWith(next, plain, aad)]);
        count++;
      }
    }
    await recordAudit(client, actor, "secrets.key_rotated", { kind: "secrets", id: next.id, name: "Secret key" }, { from: current.map((k) => k.id), to: next.id, values: count });
    await beforeCommit();
    await client.query("COMMIT");
    return count;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

export interface SecretCounts {
  /** "table.column" -> key id (or "plaintext") -> values. */
  columns: Record<string, Record<string, number>>;
  byKey: Record<string, number>;
  firehoseKeys: number;
}

export async function countSecrets(db: Db): Promise<SecretCounts> {
  const out: SecretCounts = { columns: {}, byKey: {}, firehoseKeys: 0 };
  for (const { table, column } of SEALED_COLUMNS) {
    const counts: Record<string, number> = {};
    for (const row of await storedValues(db, table, column, false)) {
      const id = sealedKeyId(row.value) ?? "plaintext";
      counts[id] = (counts[id] ?? 0) + 1;
      out.byKey[id] = (out.byKey[id] ?? 0) + 1;
    }
    out.columns[`${table}.${column}`] = counts;
  }
  out.firehoseKeys = Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM account_firehose_keys")).rows[0].n);
  return out;
}
