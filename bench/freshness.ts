// `npm run bench:freshness`: how fresh data is by pull at scale. A sandbox with 1,000 functions (10 %
// invoked), AWS's quotas enforced and CloudWatch's natural delivery delay (1-20 s, now and then
// minutes); one worker's logs passes back to back, at most one a minute, from the steady state (every
// function read once). Measures, per invocation, the time from its REPORT line (its last event) to the
// moment it is queryable in Postgres (what the API reads), and the API calls per monitored function-hour.
// Options: --functions 1000 --active 0.1 --minutes 8 --warmup 2
// `--mode push`: push freshness instead (Firehose deliveries; bench/freshness-push.ts has its options).
import pg from "pg";
import { loadAccount } from "@/lib/db/account-access";
import { advanceCursor } from "@/lib/db/cursors";
import { listLambdaTargets } from "@/lib/db/resources";
import { apiCostUsd } from "@/lib/analysis/api-prices";
import { startSandbox } from "@/lib/sandbox";
import { discoverAccountRegion } from "@/workers/ingest/discover";
import { pullLogs } from "@/workers/ingest/logs";
import { benchDatabase } from "./bench-db";
import { appendBenchmarks } from "./report";

const modeAt = process.argv.indexOf("--mode");
if (modeAt > 0 && process.argv[modeAt + 1] === "push") {
  const { pushFreshness } = await import("./freshness-push");
  process.exit(await pushFreshness());
}

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const FUNCTIONS = arg("functions", 1000);
const ACTIVE = arg("active", 0.1);
const MINUTES = arg("minutes", 8);
const WARMUP_MIN = arg("warmup", 2);
const REGION = "us-east-1";
const MIN = 60_000;

const database = await benchDatabase("osprey_bench_freshness");
const db = new pg.Pool({ connectionString: database.url, max: 8 });
const sandbox = await startSandbox({ port: 0, seed: 21, backfillMs: 15 * MIN, scale: { functions: FUNCTIONS, activeShare: ACTIVE } });
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
  console.error(`${targets.length} functions discovered; ${MINUTES} min of passes, quotas on`);

  // Poll what is queryable every second: first time each complete invocation is seen.
  const seen = new Map<string, number>();
  const ages: number[] = [];
  const measureFrom = t0 + WARMUP_MIN * MIN;
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
        seen.set(row.k, at);
        if (row.ended >= measureFrom) ages.push(at - row.ended);
      }
      await new Promise((res) => setTimeout(res, 1000));
    }
  };
  const poller = poll();

  const passes: { seconds: number; read: number; active: number; calls: number }[] = [];
  const end = t0 + MINUTES * MIN;
  while (Date.now() < end) {
    const start = Date.now();
    const r = await pullLogs(db, account, REGION, {});
    passes.push({ seconds: (Date.now() - start) / 1000, read: r.counts.functionsRead, active: r.counts.functionsActive, calls: r.counts.apiCalls + r.counts.activityCalls });
    console.error(`pass ${passes.length}: ${passes.at(-1)!.seconds.toFixed(1)} s, ${r.counts.functionsRead} read (${r.counts.functionsActive} active), ${ages.length} invocations measured`);
    const wait = start + MIN - Date.now();
    if (start + MIN >= end) break;
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
  }
  await new Promise((res) => setTimeout(res, 3000));
  polling = false;
  await poller;

  const hours = (Date.now() - t0) / 3_600_000;
  const calls = (await db.query<{ api: string; calls: number; units: number }>("SELECT api, sum(calls)::int AS calls, sum(units)::int AS units FROM api_call_counts GROUP BY api ORDER BY api")).rows;
  const throttled = [...(sandbox.quotas?.throttled.entries() ?? [])].filter(([, n]) => n > 0);
  ages.sort((a, b) => a - b);
  const pct = (p: number) => (ages.length ? ages[Math.min(ages.length - 1, Math.floor(p * ages.length))] / 1000 : NaN);
  const perFnHour = (n: number) => n / (targets.length * hours);
  const secs = passes.map((p) => p.seconds).sort((a, b) => a - b);
  const body = [
    `${targets.length} functions (${FUNCTIONS} simulated, ${Math.round(ACTIVE * 100)} % invoked, plus the demo's), one region, quotas on, CloudWatch's natural delivery delay; one worker, passes back to back at most one a minute, ${MINUTES} min from the steady state; ${database.server}.`,
    "",
    "| figure | value |",
    "|---|---|",
    `| freshness p50 (REPORT line to queryable) | ${pct(0.5).toFixed(1)} s |`,
    `| freshness p95 | ${pct(0.95).toFixed(1)} s |`,
    `| freshness max | ${pct(1).toFixed(1)} s |`,
    `| invocations measured (ended after the ${WARMUP_MIN}-min warm-up) | ${ages.length} |`,
    `| passes; duration p50 / max | ${passes.length}; ${secs[Math.floor(secs.length / 2)]?.toFixed(1)} s / ${secs.at(-1)?.toFixed(1)} s |`,
    `| functions read per pass (median), of them active | ${passes.map((p) => p.read).sort((a, b) => a - b)[Math.floor(passes.length / 2)]}, ${passes.map((p) => p.active).sort((a, b) => a - b)[Math.floor(passes.length / 2)]} |`,
    ...calls.map((c) => `| ${c.api} calls per monitored function-hour | ${perFnHour(c.calls).toFixed(2)}${c.units !== c.calls ? ` (${perFnHour(c.units).toFixed(1)} metrics requested, $${(apiCostUsd(c.api, c.units) / (targets.length * hours)).toFixed(6)})` : ""} |`),
    `| CloudWatch cost per hour for the fleet | $${(calls.reduce((n, c) => n + apiCostUsd(c.api, c.units), 0) / hours).toFixed(3)} |`,
    `| calls throttled by the sandbox | ${throttled.length ? throttled.map(([op, n]) => `${op} ${n}`).join(", ") : "none"} |`,
  ].join("\n");
  console.log(body);
  appendBenchmarks(`bench:freshness (pull, ${FUNCTIONS} functions, ${Math.round(ACTIVE * 100)} % active, quotas on)`, body);
} finally {
  await sandbox.close();
  await db.end();
  await database.close();
}
