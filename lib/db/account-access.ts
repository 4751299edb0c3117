import type pg from "pg";
import type { AccountAccess } from "../aws/credentials";

export interface AccountRow extends AccountAccess {
  name: string;
  awsAccountId: string | null;
  regions: string[];
}

const SELECT = `SELECT id, name, aws_account_id AS "awsAccountId", regions, credential_method AS "credentialMethod", profile,
  role_arn AS "roleArn", external_id AS "externalId", is_sandbox AS "isSandbox", endpoint_url AS "endpointUrl" FROM accounts`;

export async function loadAccount(db: Pick<pg.Pool, "query">, id: number): Promise<AccountRow | null> {
  const { rows } = await db.query<AccountRow>(`${SELECT} WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function loadAccounts(db: Pick<pg.Pool, "query">): Promise<AccountRow[]> {
  const { rows } = await db.query<AccountRow>(`${SELECT} ORDER BY id`);
  return rows;
}
