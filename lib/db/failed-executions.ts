import type pg from "pg";
import type { FailedExecution } from "../api/schemas/resource";
import type { FailedExecutionInput } from "../aws/discovery-services";

// A machine keeps the failures of this many days before its newest one: the page and the insight rule look
// at a week, and a machine that stopped failing still shows its last failures.
const KEEP_DAYS = 14;

type Db = Pick<pg.Pool, "query">;

/** Execution ARNs already stored for the account's state machines in a region: their history is not read again. */
export async function knownFailedExecutions(db: Db, accountId: number, region: string): Promise<Set<string>> {
  const { rows } = await db.query<{ execution_arn: string }>(
    `SELECT f.execution_arn FROM failed_executions f JOIN resources r ON r.id = f.resource_id WHERE r.account_id = $1 AND r.region = $2`,
    [accountId, region],
  );
  return new Set(rows.map((r) => r.execution_arn));
}

/** Stores the failed executions read at discovery, per state machine ARN, and forgets the old ones. */
export async function storeFailedExecutions(db: Db, accountId: number, region: string, byMachine: Map<string, FailedExecutionInput[]>): Promise<number> {
  const rows = [...byMachine].flatMap(([arn, list]) => list.map((e) => ({ arn, ...e })));
  if (rows.length) {
    await db.query(
      `INSERT INTO failed_executions (resource_id, execution_arn, name, started_at, stopped_at, failed_state, error, cause)
       SELECT r.id, x.execution_arn, x.name, x.started_at, x.stopped_at, x.failed_state, x.error, x.cause
         FROM jsonb_to_recordset($3::jsonb) AS x(machine text, execution_arn text, name text, started_at timestamptz, stopped_at timestamptz, failed_state text, error text, cause text)
         JOIN resources r ON r.arn = x.machine AND r.account_id = $1 AND r.region = $2
       ON CONFLICT (execution_arn) DO NOTHING`,
      [
        accountId,
        region,
        JSON.stringify(rows.map((e) => ({ machine: e.arn, execution_arn: e.executionArn, name: e.name, started_at: e.startedAt, stopped_at: e.stoppedAt, failed_state: e.failedState, error: e.error, cause: e.cause }))),
      ],
    );
  }
  await db.query(
    `DELETE FROM failed_executions f USING resources r
      WHERE r.id = f.resource_id AND r.account_id = $1 AND r.region = $2
        AND f.stopped_at < (SELECT max(stopped_at) FROM failed_executions n WHERE n.resource_id = f.resource_id) - make_interval(days => $3)`,
    [accountId, region, KEEP_DAYS],
  );
  return rows.length;
}

/** A state machine's newest failed executions. */
export async function failedExecutionsOf(db: Db, resourceId: number, limit = 20): Promise<FailedExecution[]> {
  const { rows } = await db.query<{ execution_arn: string; name: string; started_at: Date; stopped_at: Date; failed_state: string | null; error: string | null; cause: string | null }>(
    `SELECT execution_arn, name, started_at, stopped_at, failed_state, error, cause FROM failed_executions WHERE resource_id = $1 ORDER BY stopped_at DESC LIMIT $2`,
    [resourceId, limit],
  );
  return rows.map((r) => ({
    executionArn: r.execution_arn,
    name: r.name,
    startedAt: r.started_at.toISOString(),
    stoppedAt: r.stopped_at.toISOString(),
    failedState: r.failed_state,
    error: r.error,
    cause: r.cause,
  }));
}
