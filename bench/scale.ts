// `npm run bench:scale`: Osprey at scale on this machine.
// (a) Pull freshness at 5,000 functions, 10 % invoked, AWS's quotas enforced (bench/pull-freshness.ts,
//     as bench:freshness measures it at 1,000). Target p95 under 120 s.
// (b) Sustained ingest of the equivalent of 100 M invocations a day (1,160 invocations and ~10,000 log
//     lines a second) with 2 worker processes (`bin/osprey workers` twice). Fed by Firehose push
//     deliveries to the web server (bench/push-target.ts, bench/push-feed.ts): pull cannot carry it in one account and region,
//     since FilterLogEvents allows 5 calls a second, one log group a call and ~5,000 such lines a page, and
//     passes re-read 2 minutes before each cursor (10 every 5 minutes) for late events: the re-reads alone
//     need more calls than the quota allows (BENCHMARKS.md has the arithmetic). The account has no region to pull (no call leaves this machine); the workers run what the
//     deliveries ask for (alert evaluations, summaries) and the partitions job. Reports: lag (behind
//     schedule, sent → queryable) at the start, middle and end; database growth (pg_total_relation_size
//     of every table before and after) per hour of ingest and per day at the target rate; the end-to-end
//     rate against the COPY ceiling measured in the same run on the same rows (bench/copy-ceiling.ts).
// Options: --part a|b|both (both) --functions 5000 --active 0.1 --minutes-a 8 --warmup 2 --insights on|off (on)
//          --minutes-b 10 (a shorter run for a smoke test: --minutes-b 1) --invocations-per-day 100000000
//          --lines-per-invocation 9 --deliveries-per-second 2 --senders 5 --push-functions 200 --no-build --no-report
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type pg from "pg";
import { measureCopyCeiling } from "./copy-ceiling";
import { measurePullFreshness } from "./pull-freshness";
import { lagWindows, quantile, runPushLoad, type LoadRun } from "./push-feed";
import { PUSH_BENCH_FLAGS, startPushTarget } from "./push-target";
import { appendBenchmarks } from "./report";

const ROOT = path.resolve(import.meta.dirname, "..");
const { values: args } = parseArgs({
  options: {
    part: { type: "string", default: "both" },
    functions: { type: "string", default: "5000" },
    active: { type: "string", default: "0.1" },
    "minutes-a": { type: "string", default: "8" },
    warmup: { type: "string", default: "2" },
    insights: { type: "string", default: "on" },
    "minutes-b": { type: "string", default: "10" },
    "invocations-per-day": { type: "string", default: "100000000" },
    "lines-per-invocation": { type: "string", default: "9" },
    "deliveries-per-second": { type: "string", default: "2" },
    senders: { type: "string", default: "5" },
    "push-functions": { type: "string", default: "200" },
    ...PUSH_BENCH_FLAGS,
  },
});
const report = (title: string, body: string) => {
  if (!args["no-report"]) appendBenchmarks(title, body);
};
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(" ");
const fmt = (n: number) => Math.round(n).toLocaleString("en");
const ms = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(0)} s` : `${v.toFixed(0)} ms`);

async function partA() {
  const functions = Number(args.functions);
  const active = Number(args.active);
  const insights = args.insights !== "off";
  const r = await measurePullFreshness({ functions, active, minutes: Number(args["minutes-a"]), warmupMinutes: Number(args.warmup), database: "osprey_bench_scale_pull", insights });
  report(`bench:scale (a) pull, ${functions} functions, ${Math.round(active * 100)} % active, quotas on`, `${r.body}\n\nTarget p95 under 120 s: ${r.p95 < 120 ? "met" : "not met"} (${r.p95.toFixed(1)} s).`);
}

/** Bytes of every table (partitions and their indexes and TOAST included). */
async function tableBytes(db: pg.Pool): Promise<number> {
  const { rows } = await db.query<{ b: string }>(
    `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::text AS b FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')`,
  );
  return Number(rows[0].b);
}

function startWorker(databaseUrl: string): ChildProcess {
  return spawn(path.join(ROOT, "bin/osprey"), ["workers"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "error" },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

async function stopWorker(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
}

/**
 * Start, middle and end thirds of the run, by when deliveries were sent: how far behind schedule they
 * went out (a lag that grows is a backlog that grows), sent → queryable, lines accepted a second.
 */
function thirds(run: LoadRun, minutes: number) {
  const third = (minutes * 60_000) / 3;
  return ["start", "middle", "end"].map((name, i) => {
    const from = run.t0 + i * third;
    const to = i === 2 ? Infinity : from + third;
    const sent = run.sent.filter((s) => s.sentAt >= from && s.sentAt < to);
    const seen = run.queryable.filter((q) => q.at - q.latency >= from && q.at - q.latency < to).map((q) => q.latency).sort((a, b) => a - b);
    const ok = sent.filter((s) => s.status === 200);
    const lags = sent.map((s) => s.lagMs).sort((a, b) => a - b);
    return { name, sent: sent.length, lines: ok.reduce((n, s) => n + s.events, 0) / (third / 1000), lagP50: quantile(lags, 0.5), lagMax: lags.at(-1) ?? NaN, seenP50: quantile(seen, 0.5), seenP95: quantile(seen, 0.95) };
  });
}

async function partB() {
  const minutes = Number(args["minutes-b"]);
  const perDay = Number(args["invocations-per-day"]);
  const linesPerInv = Number(args["lines-per-invocation"]);
  const perSecond = Number(args["deliveries-per-second"]);
  const functions = Number(args["push-functions"]);
  const invPerSecond = perDay / 86_400;
  // Deliveries as Firehose batches them: payloads of 10 invocations (one log stream each), enough of them
  // per delivery for the invocation rate at `perSecond` deliveries a second.
  const invocations = 10;
  const records = Math.max(1, Math.round(invPerSecond / perSecond / invocations));
  const shape = { records, invocations, appLines: linesPerInv - 3, functions };
  const targetLines = records * invocations * linesPerInv * perSecond;

  // No region: the schedule pulls nothing (no call leaves this machine); deliveries name the functions.
  const target = await startPushTarget({ database: "osprey_bench_scale_ingest", functions, build: !args["no-build"], regions: [] });
  const { db } = target;
  const workers: ChildProcess[] = [];
  try {
    workers.push(startWorker(target.url), startWorker(target.url));
    await new Promise((r) => setTimeout(r, 5_000));
    const bytesBefore = await tableBytes(db);
    const loadBefore = load();
    console.error(`(b) ${perSecond} deliveries/s × ${records * invocations} invocations × ${linesPerInv} lines for ${minutes} min (${fmt(records * invocations * perSecond)} invocations/s, ${fmt(targetLines)} lines/s), 2 worker processes`);
    const run = await runPushLoad({ target, shape, ratePerMinute: perSecond * 60, minutes, senders: Number(args.senders) });
    const loadAfter = load();
    // What was accepted is written before its 200: let the workers finish what the deliveries asked for.
    await new Promise((r) => setTimeout(r, 5_000));
    const bytesAfter = await tableBytes(db);
    for (const w of workers) await stopWorker(w);
    workers.length = 0;
    await target.stopWeb();

    const counts = (await db.query<{ inv: number; logs: number }>("SELECT (SELECT count(*)::int FROM invocations) AS inv, (SELECT count(*)::int FROM log_events) AS logs")).rows[0];
    const client = await db.connect();
    const copy = await measureCopyCeiling(client).finally(() => client.release());
    const copyRate = counts.logs / (copy.ms / 1000);
    const seconds = run.elapsedMs / 1000;
    const ok = run.sent.filter((s) => s.status === 200);
    const linesAccepted = ok.reduce((n, s) => n + s.events, 0);
    const e2eRate = linesAccepted / seconds;
    const growth = bytesAfter - bytesBefore;
    const bytesPerLine = counts.logs ? growth / counts.logs : NaN;
    const perHourMeasured = growth / (seconds / 3600);
    const perDayAtTarget = bytesPerLine * targetLines * 86_400;
    const t = thirds(run, minutes);
    const keptUp = run.sent.length === run.total && ok.length === run.total && t[2].lagMax < 5_000;
    const unsent = run.total - run.sent.length;
    const windows = lagWindows(run, 60_000, minutes);
    const GB = 2 ** 30;
    const body = [
      `Firehose push deliveries to the web server in production mode (\`next start\`) with 2 \`bin/osprey workers\` processes on the same database (${target.server}); open-loop schedule of ${perSecond} deliveries a second from ${args.senders} senders for ${minutes} min, each delivery ${records} subscription payloads × ${invocations} invocations × ${linesPerInv} lines (START, ${linesPerInv - 3} application lines, END, REPORT) over ${functions} functions: ${fmt(records * invocations * perSecond)} invocations and ${fmt(targetLines)} log lines a second scheduled (${fmt(records * invocations * perSecond * 86_400 / 1e6)} M invocations a day). Loaded machine (other sessions), load average before / after: ${loadBefore} / ${loadAfter}.`,
      "",
      "| figure | value |",
      "|---|---|",
      `| deliveries accepted (HTTP 200) | ${fmt(ok.length)} of ${fmt(run.total)} scheduled; ${fmt(unsent)} not sent by the end; ${run.errors} errors${run.errorKinds.size ? ` (${[...run.errorKinds].map(([k, n]) => `${k}: ${n}`).join(", ")})` : ""} |`,
      `| end to end: log lines accepted and queryable a second (whole run) | ${fmt(e2eRate)} lines/s (${fmt(ok.reduce((n, s) => n + s.invocations, 0) / seconds)} invocations/s) — ${((e2eRate / targetLines) * 100).toFixed(0)} % of the ${fmt(targetLines)} scheduled |`,
      `| COPY ceiling, same run, same rows (${fmt(counts.logs)} log lines, ${fmt(counts.inv)} invocations) | ${fmt(copyRate)} lines/s |`,
      `| end to end ÷ COPY ceiling | ${((e2eRate / copyRate) * 100).toFixed(0)} % |`,
      `| lag at the start / middle / end (how far behind schedule the deliveries sent in each third went out, median / max) | ${t.map((x) => `${ms(x.lagP50)} / ${ms(x.lagMax)}`).join("; ")} |`,
      `| sent → queryable p50 / p95, start / middle / end | ${t.map((x) => `${ms(x.seenP50)} / ${ms(x.seenP95)}`).join("; ")} |`,
      `| lines accepted a second, start / middle / end | ${t.map((x) => fmt(x.lines)).join(" / ")} |`,
      `| keeps up (every delivery sent on time and accepted, lag at the end under 5 s) | ${keptUp ? "yes" : "no"} |`,
      `| database growth (every table, pg_total_relation_size) | ${(growth / 2 ** 20).toFixed(0)} MiB in ${(seconds / 60).toFixed(1)} min: ${(perHourMeasured / GB).toFixed(2)} GiB per hour of this run's ingest; ${fmt(bytesPerLine)} bytes per stored log line (invocations, rollups and indexes included) |`,
      `| database growth per day at the target rate (${fmt(targetLines)} lines/s × bytes per line) | ${(perDayAtTarget / GB).toFixed(0)} GiB a day |`,
      "",
      "| minute of sending | scheduled | accepted | log lines accepted | behind schedule p95 | response p95 |",
      "|---|---|---|---|---|---|",
      ...windows.map((w) => `| ${w.from / 60}-${w.from / 60 + 1} | ${w.sent} | ${w.accepted} | ${fmt(w.events)} | ${ms(w.lagP95)} | ${ms(w.rtP95)} |`),
    ].join("\n");
    console.log(body);
    report(`bench:scale (b) sustained ingest, ${fmt(perDay / 1e6)} M invocations a day, push, 2 worker processes`, body);
  } finally {
    for (const w of workers) await stopWorker(w);
    await target.close();
  }
}

if (args.part === "a" || args.part === "both") await partA();
if (args.part === "b" || args.part === "both") await partB();
