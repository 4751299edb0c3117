// `npm run bench:push`: can the Firehose endpoint take 5,000 deliveries a minute on this machine?
// Starts Osprey's web server in production mode (`next start`, the last build; it builds when the sources
// changed) on DATABASE_URL's server or an embedded Postgres, with the job queue's schema installed (so each
// delivery requests an alert evaluation as in production, nothing running the jobs). A handful of senders,
// as Firehose uses, POST deliveries in Firehose's HTTP endpoint request format, with the account's own
// Firehose key: each delivery holds several gzip'd CloudWatch Logs subscription payloads (one per log
// stream, several functions), each several invocations (START, an application line, END, REPORT).
// Deliveries are scheduled at the target rate (open loop): a sender that falls behind the schedule is a
// backlog, measured per window. Sent → queryable: a poller looks up each delivery's last invocation in
// Postgres (what the API reads) and notes when it is first seen. The target is bench/push-target.ts, the
// deliveries and the load bench/push-feed.ts (bench:scale part b runs the same load with its own shape).
// Options: --rate 5000 (deliveries a minute) --minutes 2 --senders 5 --records 5 --invocations 3 --functions 50 --no-build --no-report
import os from "node:os";
import { parseArgs } from "node:util";
import { lagWindows, quantile, runPushLoad } from "./push-feed";
import { PUSH_BENCH_FLAGS, startPushTarget } from "./push-target";
import { appendBenchmarks } from "./report";

const { values: args } = parseArgs({
  options: {
    rate: { type: "string", default: "5000" },
    minutes: { type: "string", default: "2" },
    senders: { type: "string", default: "5" },
    records: { type: "string", default: "5" },
    invocations: { type: "string", default: "3" },
    functions: { type: "string", default: "50" },
    // Build each delivery (JSON, gzip, base64) in the sender as it is sent, as the bench did before 2026-12-04 (to compare the load generator's CPU).
    "build-while-sending": { type: "boolean", default: false },
    ...PUSH_BENCH_FLAGS,
  },
});
const RATE = Number(args.rate);
const MINUTES = Number(args.minutes);
const SENDERS = Number(args.senders);
const RECORDS = Number(args.records);
const INVOCATIONS = Number(args.invocations);
const FUNCTIONS = Number(args.functions);
const WINDOW_MS = 15_000;

const ms = (v: number) => `${v.toFixed(0)} ms`;

async function main() {
  const target = await startPushTarget({ database: "osprey_bench_push", functions: FUNCTIONS, build: !args["no-build"] });
  try {
    const loadBefore = os.loadavg();
    // One application line per invocation: START, the line, END, REPORT.
    const run = await runPushLoad({ target, shape: { records: RECORDS, invocations: INVOCATIONS, appLines: 1, functions: FUNCTIONS }, ratePerMinute: RATE, minutes: MINUTES, senders: SENDERS, buildWhileSending: args["build-while-sending"] });
    const loadAfter = os.loadavg();
    const { sent, total, elapsedMs, bytes, errors, errorKinds } = run;
    const events = sent.reduce((n, s) => n + s.events, 0);

    const ok = sent.filter((s) => s.status === 200);
    const rt = ok.map((s) => s.answeredAt - s.sentAt).sort((a, b) => a - b);
    const lat = run.queryable.map((q) => q.latency).sort((a, b) => a - b);
    const counts = (await target.db.query<{ inv: number; logs: number }>("SELECT (SELECT count(*)::int FROM invocations) AS inv, (SELECT count(*)::int FROM log_events) AS logs")).rows[0];
    // Backlog: how far behind schedule the senders were, window by window of sending time (a growing lag is a growing backlog).
    const windows = lagWindows(run, WINDOW_MS, MINUTES);
    const unsent = total - sent.length;
    const lastLag = sent.length ? Math.max(...sent.slice(-SENDERS * 5).map((s) => s.lagMs)) : NaN;
    const keptUp = ok.length === total && lastLag < 2_000 && run.neverSeen === 0;
    const cpu = (group: string) => `${((run.cpuMs.get(group) ?? 0) / Math.max(1, sent.length)).toFixed(2)} ms`;
    const perDelivery = `${RECORDS} subscription payloads (${RECORDS} log streams of ${Math.min(RECORDS, FUNCTIONS)} functions) × ${INVOCATIONS} invocations × 4 events`;
    const body = [
      `Web server in production mode (\`next start\`), ${target.server}; ${SENDERS} concurrent senders on the same machine, open-loop schedule of ${RATE.toLocaleString("en")} deliveries a minute for ${MINUTES} min (${total.toLocaleString("en")} deliveries); each delivery ${perDelivery}, gzip'd records, ${(bytes / Math.max(1, sent.length) / 1024).toFixed(1)} KiB on average; the account's own Firehose key; ${FUNCTIONS} functions; job-queue schema installed (an alert evaluation requested per written batch). Load average before / after: ${loadBefore.map((l) => l.toFixed(2)).join(" ")} / ${loadAfter.map((l) => l.toFixed(2)).join(" ")}.`,
      "",
      "| figure | value |",
      "|---|---|",
      `| deliveries accepted (HTTP 200) | ${ok.length.toLocaleString("en")} of ${total.toLocaleString("en")} |`,
      `| accepted rate | ${((ok.length / elapsedMs) * 60_000).toFixed(0)} a minute (${(ok.length / (elapsedMs / 1000)).toFixed(1)}/s; ${((events / (elapsedMs / 1000)) | 0).toLocaleString("en")} log events/s) |`,
      `| errors | ${errors}${errorKinds.size ? ` (${[...errorKinds].map(([k, n]) => `${k}: ${n}`).join(", ")})` : ""} |`,
      `| response time p50 / p95 / p99 / max | ${ms(quantile(rt, 0.5))} / ${ms(quantile(rt, 0.95))} / ${ms(quantile(rt, 0.99))} / ${ms(rt.at(-1) ?? NaN)} |`,
      `| sent → queryable p50 / p95 (poll every 200 ms) | ${ms(quantile(lat, 0.5))} / ${ms(quantile(lat, 0.95))} (${lat.length.toLocaleString("en")} deliveries; ${run.neverSeen} never seen) |`,
      `| rows stored | ${counts.inv.toLocaleString("en")} invocations, ${counts.logs.toLocaleString("en")} log events |`,
      `| behind schedule at the end (backlog) | ${ms(lastLag)}; ${unsent.toLocaleString("en")} scheduled deliveries not sent by the end |`,
      `| keeps up | ${keptUp ? "yes" : "no"} |`,
      `| CPU per delivery sent: web server / Postgres / load generator | ${cpu("web server")} / ${cpu("Postgres")} / ${cpu("load generator")} (deliveries ${run.prebuilt ? "built before the clock started" : "built by the senders while sending"}) |`,
      `| Postgres's CPU per delivery by process | ${[...run.postgresMs].sort((a, b) => b[1] - a[1]).map(([role, v]) => `${role} ${(v / Math.max(1, sent.length)).toFixed(2)} ms`).join(", ")} |`,
      "",
      "| window of sending (s) | sent | accepted | behind schedule p95 | response p95 |",
      "|---|---|---|---|---|",
      ...windows.map((w) => `| ${w.from}-${w.from + WINDOW_MS / 1000} | ${w.sent} | ${w.accepted} | ${ms(w.lagP95)} | ${ms(w.rtP95)} |`),
    ].join("\n");
    console.log(body);
    if (!args["no-report"]) appendBenchmarks(`bench:push (Firehose endpoint, ${RATE.toLocaleString("en")} deliveries a minute)`, body);
    return keptUp ? 0 : 1;
  } finally {
    await target.close();
  }
}

process.exitCode = await main();
