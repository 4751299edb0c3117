import type { Account, CredentialMethod } from "../generated/prisma/client";
import type pg from "pg";
import { aadFor, openStored, sealSecret } from "../crypto/secrets";
import { firehoseKeyAccount, firehoseKeyHint, firehoseKeyMatches, generateFirehoseKey, hashFirehoseKey } from "../crypto/firehose-key";
import { recordAudit, type Actor } from "./audit";
import { pool, prisma } from "./prisma";

export const SANDBOX_ACCOUNT_NAME = "Sandbox (demo)";

export interface NewAccount {
  name: string;
  awsAccountId?: string | null;
  regions: string[];
  credentialMethod: CredentialMethod;
  profile?: string | null;
  roleArn?: string | null;
  externalId?: string | null;
}

export function listAccounts(): Promise<Account[]> {
  return prisma().account.findMany({ orderBy: { id: "asc" } });
}

export function getAccount(id: number): Promise<Account | null> {
  return prisma().account.findUnique({ where: { id } });
}

/** accounts.external_id is sealed (lib/crypto/secrets.ts), bound to its row. */
export const externalIdAad = (accountId: number) => aadFor("accounts", "external_id", accountId);

/** The external id in clear, for assuming the role and nothing else. */
export function openExternalId(account: { id: number; externalId: string | null }): string | null {
  return account.externalId ? openStored(account.externalId, externalIdAad(account.id)) : null;
}

export interface CreatedAccount {
  account: Account;
  /** The account's Firehose access key: answered once, never stored in clear. */
  firehoseKey: string;
}

export async function createAccount(a: NewAccount, actor: Actor): Promise<CreatedAccount> {
  // The id is taken first: the sealed external id is bound to it.
  const [{ id }] = await prisma().$queryRaw<{ id: number }[]>`SELECT nextval(pg_get_serial_sequence('accounts', 'id'))::int AS id`;
  const account = await prisma().account.create({
    data: { ...a, id, externalId: a.externalId ? sealSecret(a.externalId, externalIdAad(id)) : null, isSandbox: false, endpointUrl: null },
  });
  const firehoseKey = await storeFirehoseKey(pool(), id);
  await recordAudit(pool(), actor, "account.added", { kind: "account", id, name: account.name }, {
    awsAccountId: a.awsAccountId ?? null,
    regions: a.regions,
    credentialMethod: a.credentialMethod,
    roleArn: a.roleArn ?? null,
    profile: a.profile ?? null,
    externalIdSet: Boolean(a.externalId),
  });
  return { account, firehoseKey };
}

// ---- Firehose keys ----

async function storeFirehoseKey(db: Pick<pg.Pool, "query">, accountId: number): Promise<string> {
  const key = generateFirehoseKey(accountId);
  await db.query(
    `INSERT INTO account_firehose_keys (account_id, key_hash, hint) VALUES ($1, $2, $3)
     ON CONFLICT (account_id) DO UPDATE SET key_hash = EXCLUDED.key_hash, hint = EXCLUDED.hint, created_at = now()`,
    [accountId, hashFirehoseKey(key), firehoseKeyHint(key)],
  );
  return key;
}

/** Gives the account a new Firehose key (the old one stops working at once) and answers it, once; null when there is no such account. */
export async function rotateFirehoseKey(accountId: number, actor: Actor): Promise<{ key: string; hint: string; createdAt: string } | null> {
  const account = await getAccount(accountId);
  if (!account) return null;
  const key = await storeFirehoseKey(pool(), accountId);
  await recordAudit(pool(), actor, "account.firehose_key_rotated", { kind: "account", id: accountId, name: account.name }, { hint: firehoseKeyHint(key) });
  return { key, hint: firehoseKeyHint(key), createdAt: new Date().toISOString() };
}

export interface FirehoseKeyInfo {
  hint: string;
  createdAt: string;
}

export async function firehoseKeyInfo(ids: number[]): Promise<Map<number, FirehoseKeyInfo>> {
  const { rows } = await pool().query<{ account_id: number; hint: string; created_at: Date }>(
    "SELECT account_id, hint, created_at FROM account_firehose_keys WHERE account_id = ANY($1::int[])",
    [ids],
  );
  return new Map(rows.map((r) => [r.account_id, { hint: r.hint, createdAt: r.created_at.toISOString() }]));
}

/** The account whose Firehose key this is (compared in constant time with its stored hash), or null. */
export async function accountOfFirehoseKey(presented: string | null): Promise<{ id: number; awsAccountId: string | null } | null> {
  const accountId = firehoseKeyAccount(presented);
  if (!presented || accountId === null) return null;
  const { rows } = await pool().query<{ key_hash: Buffer; aws_account_id: string | null }>(
    "SELECT k.key_hash, a.aws_account_id FROM account_firehose_keys k JOIN accounts a ON a.id = k.account_id WHERE k.account_id = $1",
    [accountId],
  );
  if (!rows[0] || !firehoseKeyMatches(presented, rows[0].key_hash)) return null;
  return { id: accountId, awsAccountId: rows[0].aws_account_id };
}
// ----

/** Ordinary and partitioned tables (not the partitions themselves) of this schema with a given integer column. */
async function tablesWithColumn(client: pg.PoolClient, column: string): Promise<string[]> {
  const { rows } = await client.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c
       JOIN pg_class k ON k.relname = c.table_name AND k.relnamespace = to_regnamespace(c.table_schema)
      WHERE c.table_schema = current_schema() AND c.column_name = $1 AND c.data_type IN ('integer', 'bigint')
        AND k.relkind IN ('r', 'p') AND NOT k.relispartition AND c.table_name <> 'accounts'
      ORDER BY c.table_name`,
    [column],
  );
  return rows.map((r) => r.table_name);
}

/**
 * Removes an account and everything Osprey stored for it, in one transaction. The tables are found by
 * their columns (every table with an account_id, every table with a resource_id of the account's
 * resources), so a table added later is covered without an edit here. Error groups are shared by
 * fingerprint across accounts: the account's resources leave a group's resource list and count, and a
 * group left with no resource and no occurrence goes too.
 */
export async function deleteAccount(id: number, actor: Actor): Promise<boolean> {
  const account = await getAccount(id);
  const removed = await deleteAccountRetrying(id);
  if (removed) await recordAudit(pool(), actor, "account.removed", { kind: "account", id, name: account?.name ?? null }, { awsAccountId: account?.awsAccountId ?? null });
  return removed;
}

async function deleteAccountRetrying(id: number): Promise<boolean> {
  // Workers write incidents, rollups and runs for this account while it goes: Postgres may pick this
  // transaction as a deadlock's victim. It holds nothing once rolled back, so it is simply run again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await deleteAccountOnce(id);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt >= 4 || (code !== "40P01" && code !== "40001")) throw err;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}

async function deleteAccountOnce(id: number): Promise<boolean> {
  const client = await pool().connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ id: number }>("SELECT id FROM resources WHERE account_id = $1", [id]);
    const ids = rows.map((r) => r.id);
    if (ids.length) {
      await client.query(
        `WITH gone AS (SELECT group_id, count(*)::int AS n FROM error_occurrences WHERE resource_id = ANY($1::int[]) GROUP BY group_id)
         UPDATE error_groups g SET count = greatest(0, g.count - gone.n) FROM gone WHERE g.id = gone.group_id`,
        [ids],
      );
      const { rows: touched } = await client.query<{ id: number }>(
        `UPDATE error_groups SET resource_ids = (SELECT coalesce(array_agg(x), '{}') FROM unnest(resource_ids) x WHERE x <> ALL ($1::int[]))
          WHERE resource_ids && $1::int[] OR id IN (SELECT group_id FROM error_occurrences WHERE resource_id = ANY($1::int[]))
          RETURNING id`,
        [ids],
      );
      for (const t of await tablesWithColumn(client, "resource_id")) {
        if (t !== "resources") await client.query(`DELETE FROM ${t} WHERE resource_id = ANY($1::int[])`, [ids]);
      }
      await client.query(
        `DELETE FROM error_groups g WHERE g.id = ANY($1::int[]) AND coalesce(cardinality(g.resource_ids), 0) = 0
            AND NOT EXISTS (SELECT 1 FROM error_occurrences o WHERE o.group_id = g.id)`,
        [touched.map((r) => r.id)],
      );
    }
    for (const t of await tablesWithColumn(client, "account_id")) await client.query(`DELETE FROM ${t} WHERE account_id = $1`, [id]);
    const res = await client.query("DELETE FROM accounts WHERE id = $1", [id]);
    await client.query("COMMIT");
    return (res.rowCount ?? 0) > 0;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

export async function countRealAccounts(): Promise<number> {
  return prisma().account.count({ where: { isSandbox: false } });
}

export function findSandboxAccount(): Promise<Account | null> {
  return prisma().account.findFirst({ where: { isSandbox: true } });
}

/** Creates the sandbox account, or points the existing one at `endpointUrl`. */
export async function upsertSandboxAccount(endpointUrl: string, awsAccountId: string, regions: string[]): Promise<Account> {
  const existing = await findSandboxAccount();
  if (existing) {
    return prisma().account.update({ where: { id: existing.id }, data: { endpointUrl, awsAccountId, regions } });
  }
  return prisma().account.create({
    data: { name: SANDBOX_ACCOUNT_NAME, awsAccountId, regions, credentialMethod: "default_chain", isSandbox: true, endpointUrl },
  });
}
