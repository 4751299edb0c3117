import type { Account, CredentialMethod } from "../generated/prisma/client";
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

// Tables keyed by resource without a foreign key (partitioned tables cannot carry one cheaply).
const RESOURCE_DATA = ["invocations", "log_events", "spans", "metric_points", "rollup_minute", "rollup_hour", "rollup_day", "error_occurrences", "insights"];

/** Removes an account and everything Osprey stored for it, in one transaction. */
export async function deleteAccount(id: number): Promise<boolean> {
  const client = await pool().connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ id: number }>("SELECT id FROM resources WHERE account_id = $1", [id]);
    const ids = rows.map((r) => r.id);
    if (ids.length) for (const t of RESOURCE_DATA) await client.query(`DELETE FROM ${t} WHERE resource_id = ANY($1::int[])`, [ids]);
    await client.query("DELETE FROM ingest_cursors WHERE account_id = $1", [id]);
    await client.query("DELETE FROM insights WHERE account_id = $1", [id]);
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
