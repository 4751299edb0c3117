import type { ParseLogsInvocation } from "../ingest/lambda-logs/to-report";
import { databaseUrl } from "../db/database-url";
import { createPool } from "../db/pool";
import { parseCliArgs, parseDurationMs } from "./args";
import { CliError } from "./main";

const ms = (col: string) => `(extract(epoch FROM ${col}) * 1000)::float8`;

/** `osprey invocations`: stored invocations in parse-logs' shape, for scripting. */
export async function invocationsCommand(args: string[]): Promise<number> {
  const { values } = parseCliArgs(args, {
    function: { type: "string" },
    account: { type: "string" },
    since: { type: "string", default: "1h" },
    limit: { type: "string", default: "1000" },
    json: { type: "boolean" },
  });
  const since = Date.now() - parseDurationMs(values.since);
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new CliError("--limit must be a whole number from 1 to 100000", 2);
  if (values.account && !/^\d+$/.test(values.account)) throw new CliError("--account takes an account id (see `osprey accounts list`)", 2);
  const db = createPool(databaseUrl(), 2);
  try {
    const { rows } = await db.query<ParseLogsInvocation>(
      `SELECT i.request_id AS "requestId", r.name AS "functionName", i.log_stream AS "logStreamName", i.attempt,
              ${ms("i.started_at")} AS "startedAt", ${ms("i.ended_at")} AS "endedAt", i.duration_ms AS "durationMs",
              i.billed_duration_ms AS "billedDurationMs", i.memory_size_mb AS "memorySizeMB", i.max_memory_used_mb AS "maxMemoryUsedMB",
              i.init_duration_ms AS "initDurationMs", i.restore_duration_ms AS "restoreDurationMs",
              i.billed_restore_duration_ms AS "billedRestoreDurationMs", i.cold_start AS "coldStart", i.status::text AS status,
              i.error_type AS "errorType", i.error_message AS "errorMessage", i.trace_id AS "traceId", i.cost_usd AS "costUsd"
         FROM invocations i JOIN resources r ON r.id = i.resource_id
        WHERE i.day >= ($1::timestamptz AT TIME ZONE 'UTC')::date AND coalesce(i.started_at, i.ended_at) >= $1
          AND ($2::text IS NULL OR r.name = $2) AND ($3::int IS NULL OR r.account_id = $3)
        ORDER BY coalesce(i.started_at, i.ended_at) DESC, i.id DESC LIMIT $4`,
      [new Date(since), values.function ?? null, values.account ? Number(values.account) : null, limit],
    );
    if (values.json) {
      process.stdout.write(JSON.stringify({ invocations: rows }, null, 2) + "\n");
      return 0;
    }
    for (const r of rows) {
      const when = r.startedAt ? new Date(r.startedAt).toISOString() : "-";
      process.stdout.write(
        `${when}  ${(r.functionName ?? "").padEnd(28)} ${r.requestId}  #${r.attempt}  ${(r.status ?? "running").padEnd(13)} ` +
          `${r.durationMs ?? "-"} ms${r.coldStart ? "  cold" : ""}${r.errorType ? `  ${r.errorType}` : ""}\n`,
      );
    }
    if (!rows.length) process.stdout.write("no invocations in that window\n");
    return 0;
  } finally {
    await db.end();
  }
}
