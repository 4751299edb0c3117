import type { Account, CredentialMethod } from "../generated/prisma/client";
import type pg from "pg";
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

export function createAccount(a: NewAccount): Promise<Account> {
  return prisma().account.create({ data: { ...a, isSandbox: false, endpointUrl: null } });
}

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
export async function deleteAccount(id: number): Promise<boolean> {
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
