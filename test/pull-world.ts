import type pg from "pg";
import type { AccountRow } from "../lib/db/account-access";
import { advanceCursor } from "../lib/db/cursors";
import { listLambdaTargets } from "../lib/db/resources";
import { ACTIVITY_WINDOW_MS } from "../lib/ingest/pull/plan";
import type { Sandbox } from "../lib/sandbox";

/** As if a logs pass had read every function up to `at`: the steady state the activity pull works in. */
export async function seedLogCursors(db: pg.Pool, account: AccountRow, region: string, at: number): Promise<void> {
  for (const t of await listLambdaTargets(db, account.id, region)) {
    await advanceCursor(db, { job: "logs", accountId: account.id, region, key: t.logGroup }, at);
  }
}

/** The sandbox's own truth: functions with invocations in the activity window before `now`. */
export function activeFunctions(sandbox: Sandbox, region: string, now: number): Set<string> {
  const from = Math.floor((now - ACTIVITY_WINDOW_MS) / 60_000) * 60_000;
  return new Set(sandbox.workload.listFunctions(region).filter((f) => sandbox.workload.invocations(f.spec.name, region, from, now).length > 0).map((f) => f.logGroupName));
}

/** Log groups whose cursor a pass at `now` moved to `now`, i.e. the ones it read. */
export async function groupsReadAt(db: pg.Pool, accountId: number, region: string, now: number): Promise<Set<string>> {
  const { rows } = await db.query<{ key: string }>("SELECT key FROM ingest_cursors WHERE job = 'logs' AND account_id = $1 AND region = $2 AND position = $3", [accountId, region, now]);
  return new Set(rows.map((r) => r.key));
}

export const count = (sandbox: Sandbox, op: string) => sandbox.quotas?.calls.get(op) ?? 0;
/** Calls of the logs pass's APIs the sandbox refused as over AWS's quota. */
export const throttledCalls = (sandbox: Sandbox, ops = ["FilterLogEvents", "GetMetricData"]) => ops.reduce((n, op) => n + (sandbox.quotas?.throttled.get(op) ?? 0), 0);
