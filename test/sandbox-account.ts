import type pg from "pg";
import { loadAccount, type AccountRow } from "../lib/db/account-access";

/** Inserts the sandbox account pointed at a running sandbox, as `osprey start` does. */
export async function createSandboxAccount(db: pg.Pool, endpointUrl: string, regions = ["us-east-1", "eu-west-1"]): Promise<AccountRow> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO accounts (name, aws_account_id, regions, credential_method, is_sandbox, endpoint_url, updated_at)
     VALUES ('Sandbox (demo)', '123456789012', $1, 'default_chain', true, $2, now()) RETURNING id`,
    [regions, endpointUrl],
  );
  return (await loadAccount(db, rows[0].id))!;
}
