// How fresh data is by pull at scale, shared by `bench:freshness` (1,000 functions) and `bench:scale`
// (5,000): a sandbox with `functions` simulated functions (a share of them invoked), AWS's quotas
// enforced and CloudWatch's natural delivery delay (1-20 s, now and then minutes); one worker's logs
// passes run as the worker runs them (back to back, the next no sooner than LOGS_PASS_MIN_GAP_MS after
// the last began, the activity check reused within ACTIVITY_REUSE_MS), from the steady state (every
// function read once). Measures, per invocation, the time from its REPORT line (its last event) to the
// moment it is queryable in Postgres (what the API reads), and the API calls per monitored function-hour.
import os from "node:os";
import pg from "pg";
import { loadAccount } from "@/lib/db/account-access";
import { advanceCursor } from "@/lib/db/cursors";
import { listLambdaTargets } from "@/lib/db/resources";
import { API_PRICES_USD, apiCostUsd } from "@/lib/analysis/api-prices";
import { startSandbox } from "@/lib/sandbox";
import { discoverAccountRegion } from "@/workers/ingest/discover";
import { ACTIVITY_REUSE_MS, LOGS_PASS_MIN_GAP_MS, pullLogs } from "@/workers/ingest/logs";
import { benchDatabase } from "./bench-db";

const REGION = "us-east-1";
const MIN = 60_000;

export interface PullFreshnessOptions {
  functions: number;
  active: number;
  minutes: number;
  warmupMinutes: number;
  /** database name for this run */
  database: string;
  /** read the functions beyond the FilterLogEvents budget with Logs Insights (default true) */
  insights?: boolean;
}

export interface PullFreshnessResult {
  p50: number;
  p95: number;
  max: number;
  measured: number;
  passSecondsP50: number;
  passSecondsMax: number;
  readPerPass: number;
  activePerPass: number;
  filterCallsPerFnHour: number;
  /** the markdown table and its preamble, as BENCHMARKS.md shows it */
  body: string;
}

// Per function-hour costs run to fractions of a millionth of a dollar (Insights' kB scanned): two significant digits.
const smallUsd = (n: number) => (n === 0 || n >= 0.001 ? n.toFixed(6) : n.toPrecision(2));
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

export async function measurePullFreshness(o: PullFreshnessOptions): Promise<PullFreshnessResult> {
  const database = await benchDatabase(o.database);
  const db = new pg.Pool({ connectionString: database.url, max: 8 });
  const sandbox = await startSandbox({ port: 0, seed: 21, backfillMs: 15 * MIN, scale: { functions: o.functions, activeShare: o.active } });
  try {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO accounts (name, aws_account_id, regions, credential_method, is_sandbox, endpoint_url, updated_at)
       VALUES ('Sandbox (bench)', '123456789012', $1, 'default_chain', true, $2, now()) RETURNING id`,
      [[REGION], sandbox.url],
    );
    const account = (await loadAccount(db, rows[0].id))!;
    await discoverAccountRegion(db, account, REGION, ["lambda"]);
    const targets = await listLambdaTargets(db, account.id, REGION);
    // The steady state: every function read up to now (a first day's backfill is another benchmark).
    const t0 = Date.now();
    for (const t of targets) await advanceCursor(db, { job: "logs", accountId: account.id, region: REGION, key: t.logGroup }, t0);
    await db.query("DELETE FROM api_call_counts");
    sandbox.setQuotas(true);
    console.error(`${targets.length} functions discovered; ${o.minutes} min of passes, quotas on`);
    const loadBefore = os.loadavg();

    // Poll what is queryable every second: first time each complete invocation is seen.
    const seen = new Set<string>();
    const ages: number[] = [];
    const measureFrom = t0 + o.warmupMinutes * MIN;
    let polling = true;
    const poll = async () => {
      while (polling) {
        const at = Date.now();
        const r = await db.query<{ k: string; ended: number }>(
          `SELECT resource_id || ':' || request_id || ':' || attempt AS k, (extract(epoch FROM ended_at) * 1000)::float8 AS ended
             FROM invocations WHERE complete AND ended_at >= $1`,
          [new Date(t0)],
        );
        for (const row of r.rows) {
          if (seen.has(row.k)) continue;
          seen.add(row.k);
          if (row.ended >= measureFrom) ages.push(at - row.ended);
        }
        await new Promise((res) => setTimeout(res, 1000));
      }
    };
    const poller = poll();

    // Passes as the worker runs them (workers/tasks/account-tasks.ts).
    const passes: { seconds: number; read: number; active: number; byInsights: number; queries: number }[] = [];
    const end = t0 + o.minutes * MIN;
    while (Date.now() < end) {
      const start = Date.now();
      const r = await pullLogs(db, account, REGION, { activityMaxAgeMs: ACTIVITY_REUSE_MS, insights: o.insights ?? true });
      passes.push({ seconds: (Date.now() - start) / 1000, read: r.counts.functionsRead, active: r.counts.functionsActive, byInsights: r.counts.functionsByInsights, queries: r.counts.insightsQueries });
      console.error(`pass ${passes.length}: ${passes.at(-1)!.seconds.toFixed(1)} s, ${r.counts.functionsRead} read (${r.counts.functionsActive} active, ${r.counts.functionsByInsights} by ${r.counts.insightsQueries} Insights queries, ${r.counts.insightsFailed} failed), ${ages.length} invocations measured`);
      const next = start + LOGS_PASS_MIN_GAP_MS;
      if (next >= end) break;
      if (next > Date.now()) await new Promise((res) => setTimeout(res, next - Date.now()));
    }
    await new Promise((res) => setTimeout(res, 3000));
    polling = false;
    await poller;
    const loadAfter = os.loadavg();

    const hours = (Date.now() - t0) / 3_600_000;
    const calls = (await db.query<{ api: string; calls: number; units: number }>("SELECT api, sum(calls)::int AS calls, sum(units)::int AS units FROM api_call_counts GROUP BY api ORDER BY api")).rows;
    const throttled = [...(sandbox.quotas?.throttled.entries() ?? [])].filter(([, n]) => n > 0);
    ages.sort((a, b) => a - b);
    const pct = (p: number) => (ages.length ? ages[Math.min(ages.length - 1, Math.floor(p * ages.length))] / 1000 : NaN);
    const perFnHour = (n: number) => n / (targets.length * hours);
    const secs = passes.map((p) => p.seconds).sort((a, b) => a - b);
    const result = {
      p50: pct(0.5), p95: pct(0.95), max: pct(1), measured: ages.length,
      passSecondsP50: median(secs), passSecondsMax: secs.at(-1)!,
      readPerPass: median(passes.map((p) => p.read)), activePerPass: median(passes.map((p) => p.active)),
      filterCallsPerFnHour: perFnHour(calls.find((c) => c.api === "FilterLogEvents")?.calls ?? 0),
    };
    const body = [
      `${targets.length} functions (${o.functions} simulated, ${Math.round(o.active * 100)} % invoked, plus the demo's), one region, quotas on, CloudWatch's natural delivery delay; ${o.insights === false ? "FilterLogEvents only (Logs Insights off)" : "the overflow beyond the FilterLogEvents budget read by Logs Insights (the sandbox's queries run 1 s plus 100 MB/s scanned)"}; one worker, passes back to back (the next no sooner than ${LOGS_PASS_MIN_GAP_MS / 1000} s after the last began, the activity check reused within ${ACTIVITY_REUSE_MS / 1000} s), ${o.minutes} min from the steady state; ${database.server}. Loaded machine (other sessions): load average before / after ${loadBefore.map((l) => l.toFixed(1)).join(" ")} / ${loadAfter.map((l) => l.toFixed(1)).join(" ")}.`,
      "",
      "| figure | value |",
      "|---|---|",
      `| freshness p50 (REPORT line to queryable) | ${result.p50.toFixed(1)} s |`,
      `| freshness p95 | ${result.p95.toFixed(1)} s |`,
      `| freshness max | ${result.max.toFixed(1)} s |`,
      `| invocations measured (ended after the ${o.warmupMinutes}-min warm-up) | ${ages.length} |`,
      `| passes; duration p50 / max | ${passes.length}; ${result.passSecondsP50?.toFixed(1)} s / ${result.passSecondsMax?.toFixed(1)} s |`,
      `| functions read per pass (median), of them active | ${result.readPerPass}, ${result.activePerPass} |`,
      `| of them by Logs Insights (median); queries per pass (median) | ${median(passes.map((p) => p.byInsights))}; ${median(passes.map((p) => p.queries))} |`,
      ...calls.map((c) => `| ${c.api} calls per monitored function-hour | ${perFnHour(c.calls).toFixed(2)}${c.units !== c.calls ? ` (${perFnHour(c.units).toFixed(1)} ${API_PRICES_USD[c.api]?.unit === "kilobyte" ? "kB scanned" : "metrics requested"}, $${smallUsd(apiCostUsd(c.api, c.units) / (targets.length * hours))})` : ""} |`),
      `| CloudWatch cost per hour for the fleet | $${(calls.reduce((n, c) => n + apiCostUsd(c.api, c.units), 0) / hours).toFixed(3)} |`,
      `| calls throttled by the sandbox | ${throttled.length ? throttled.map(([op, n]) => `${op} ${n}`).join(", ") : "none"} |`,
    ].join("\n");
    console.log(body);
    return { ...result, body };
  } finally {
    await sandbox.close();
    await db.end();
    await database.close();
  }
}
