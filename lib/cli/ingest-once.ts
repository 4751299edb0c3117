import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { createAwsClients, destroyAwsClients } from "../aws/clients";
import { describeAwsError } from "../aws/errors";
import { loadAccounts, type AccountRow } from "../db/account-access";
import { databaseUrl } from "../db/database-url";
import { createPool } from "../db/pool";
import { discoverAccountRegion } from "../../workers/ingest/discover";
import { pullLogs } from "../../workers/ingest/logs";
import { pullMetrics } from "../../workers/ingest/metrics";
import { pullTraces } from "../../workers/ingest/traces";
import { parseCliArgs, parseDurationMs } from "./args";
import { CliError } from "./main";
import { refreshStatsSummaries } from "../db/stats-summary-refresh";

async function reachable(account: AccountRow, region: string): Promise<void> {
  const c = createAwsClients(account, region, { maxAttempts: 3 });
  try {
    await c.sts.send(new GetCallerIdentityCommand({}));
  } catch (err) {
    throw new CliError(`account ${account.id} "${account.name}" (${region}) cannot be reached: ${describeAwsError(err)}`);
  } finally {
    destroyAwsClients(c);
  }
}

/** `osprey ingest --once`: one full pass over every connected account, then exit. */
export async function ingestCommand(args: string[]): Promise<number> {
  const { values } = parseCliArgs(args, { once: { type: "boolean" }, lookback: { type: "string" }, account: { type: "string" } });
  if (!values.once) throw new CliError("usage: osprey ingest --once [--lookback 24h] [--account ID]   (continuous ingestion is `osprey workers`)", 2);
  const lookbackMs = values.lookback ? parseDurationMs(values.lookback) : undefined;
  const db = createPool(databaseUrl(), 4);
  try {
    let accounts = await loadAccounts(db);
    if (values.account) accounts = accounts.filter((a) => String(a.id) === values.account);
    if (!accounts.length) throw new CliError("no accounts connected: add one with `osprey accounts add`");
    const failures: string[] = [];
    for (const account of accounts) {
      for (const region of account.regions) {
        try {
          await reachable(account, region);
          const d = await discoverAccountRegion(db, account, region);
          const l = await pullLogs(db, account, region, { lookbackMs });
          const m = await pullMetrics(db, account, region, { lookbackMs });
          const t = await pullTraces(db, account, region, { lookbackMs });
          const c = l.counts;
          process.stdout.write(
            `${account.name} ${region}: ${d.counts.lambdaSeen ?? 0} functions, ${c.apiCalls} FilterLogEvents calls, read ${c.eventsRead} events, ` +
              `wrote ${c.logEventsNew} new log events, ${c.invocationsNew} new and ${c.invocationsUpdated} completed invocations, ${c.errorsNew} errors; ` +
              `${m.counts.points} metric points in ${m.counts.calls} GetMetricData calls; ${t.counts.spans} spans from ${t.counts.traces} traces\n`,
          );
          for (const p of [...d.problems, ...l.problems, ...m.problems, ...t.problems]) process.stdout.write(`  problem: ${p}\n`);
        } catch (err) {
          const msg = err instanceof CliError ? err.message : `${account.name} ${region}: ${describeAwsError(err)}`;
          failures.push(msg);
          process.stderr.write(`osprey ingest: ${msg}\n`);
        }
      }
    }
    // What was written is in the fleet views at once, not after the workers' next summary refresh.
    await refreshStatsSummaries(db);
    if (failures.length) throw new CliError(`${failures.length} account region(s) failed`);
    return 0;
  } finally {
    await db.end();
  }
}
