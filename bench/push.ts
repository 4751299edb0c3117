// `npm run bench:push`: can the Firehose endpoint take 5,000 deliveries a minute on this machine?
// Starts Osprey's web server in production mode (`next start`, the last build; it builds when the sources
// changed) on DATABASE_URL's server or an embedded Postgres, with the job queue's schema installed (so each
// delivery requests an alert evaluation as in production, nothing running the jobs). A handful of senders,
// as Firehose uses, POST deliveries in Firehose's HTTP endpoint request format, with the account's own
// Firehose key: each delivery holds several gzip'd CloudWatch Logs subscription payloads (one per log
// stream, several functions), each several invocations (START, an application line, END, REPORT).
// Deliveries are scheduled at the target rate (open loop): a sender that falls behind the schedule is a
// backlog, measured per window. Sent → queryable: a poller looks up each delivery's last invocation in
// Postgres (what the API reads) and notes when it is first seen.
// Options: --rate 5000 (deliveries a minute) --minutes 2 --senders 5 --records 5 --invocations 3 --functions 50 --no-build --no-report
import { randomBytes, randomUUID } from "node:crypto";
import os from "node:os";
import { parseArgs } from "node:util";
import { AWS_ACCOUNT, firehoseBody, fnName, startPushTarget } from "./push-target";
import { appendBenchmarks } from "./report";

const { values: args } = parseArgs({
  options: {
    rate: { type: "string", default: "5000" },
    minutes: { type: "string", default: "2" },
    senders: { type: "string", default: "5" },
    records: { type: "string", default: "5" },
    invocations: { type: "string", default: "3" },
    functions: { type: "string", default: "50" },
    "no-report": { type: "boolean", default: false },
    // Use the last build even when sources changed since (they must not touch the route).
    "no-build": { type: "boolean", default: false },
  },
});
const RATE = Number(args.rate);
const MINUTES = Number(args.minutes);
const SENDERS = Number(args.senders);
const RECORDS = Number(args.records);
const INVOCATIONS = Number(args.invocations);
const FUNCTIONS = Number(args.functions);
const WINDOW_MS = 15_000;

const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] : NaN);
const ms = (v: number) => `${v.toFixed(0)} ms`;

interface Built {
  body: Buffer;
  resourceName: string;
  lastRequestId: string;
  events: number;
}

/** One delivery: RECORDS subscription payloads (each one log stream of a function), INVOCATIONS invocations each. */
function buildDelivery(seq: number, at: number): Built {
  const iso = (t: number) => new Date(t).toISOString();
  let lastRequestId = "";
  let resourceName = "";
  let events = 0;
  const records = Array.from({ length: RECORDS }, (_, r) => {
    const fn = (seq * RECORDS + r) % FUNCTIONS;
    const logEvents: { id: string; timestamp: number; message: string }[] = [];
    for (let k = 0; k < INVOCATIONS; k++) {
      const req = randomUUID();
      const end = at - (INVOCATIONS - 1 - k) * 40;
      const id = (n: number) => `${end}${String(((seq * RECORDS + r) * INVOCATIONS + k) * 4 + n).padStart(16, "0")}`.padStart(56, "3");
      const duration = 20 + ((seq * 7 + k * 13) % 180);
      logEvents.push(
        { id: id(0), timestamp: end - duration - 2, message: `START RequestId: ${req} Version: $LATEST\n` },
        { id: id(1), timestamp: end - 5, message: `${iso(end - 5)}\t${req}\tINFO\torder ${seq}-${r}-${k} processed in ${duration} ms {"items":${k + 1},"total":${(seq % 997) + 0.99}}\n` },
        { id: id(2), timestamp: end - 1, message: `END RequestId: ${req}\n` },
        { id: id(3), timestamp: end, message: `REPORT RequestId: ${req}\tDuration: ${duration}.42 ms\tBilled Duration: ${duration + 1} ms\tMemory Size: 512 MB\tMax Memory Used: ${70 + (k % 20)} MB\t\n` },
      );
      lastRequestId = req;
      resourceName = fnName(fn);
    }
    events += logEvents.length;
    return {
      messageType: "DATA_MESSAGE",
      owner: AWS_ACCOUNT,
      logGroup: `/aws/lambda/${fnName(fn)}`,
      logStream: `${iso(at).slice(0, 10).replace(/-/g, "/")}/[$LATEST]${randomBytes(16).toString("hex")}`,
      subscriptionFilters: ["osprey"],
      logEvents,
    };
  });
  return { body: firehoseBody(records, at), resourceName, lastRequestId, events };
}

interface Sent {
  scheduledAt: number;
  sentAt: number;
  answeredAt: number;
  status: number;
  lagMs: number;
}

async function main() {
  const target = await startPushTarget({ database: "osprey_bench_push", functions: FUNCTIONS, build: !args["no-build"] });
  const { db, resourceIds } = target;
  try {
    const post = (b: Built) => target.post(b.body);
    // Warm-up: the route's first requests compile and open connections.
    for (let i = 0; i < 20; i++) await (await post(buildDelivery(1_000_000 + i, Date.now()))).text();

    const total = Math.round(RATE * MINUTES);
    const interval = 60_000 / RATE;
    const sent: Sent[] = [];
    const pending = new Map<string, { resourceId: number; sentAt: number }>();
    const queryable: { at: number; latency: number }[] = [];
    let bytes = 0;
    let events = 0;
    let errors = 0;
    const errorKinds = new Map<string, number>();
    let next = 0;
    const t0 = Date.now() + 200;

    let polling = true;
    const poller = (async () => {
      while (polling || pending.size) {
        const ids = [...pending.entries()];
        if (ids.length) {
          const at = Date.now();
          const r = await db.query<{ request_id: string }>(
            "SELECT request_id FROM invocations WHERE (resource_id, request_id) IN (SELECT * FROM unnest($1::int[], $2::text[])) AND complete",
            [ids.map(([, v]) => v.resourceId), ids.map(([k]) => k)],
          );
          for (const { request_id } of r.rows) {
            const p = pending.get(request_id);
            if (!p) continue;
            pending.delete(request_id);
            queryable.push({ at, latency: at - p.sentAt });
          }
        }
        if (!polling && Date.now() > t0 + MINUTES * 60_000 + 30_000) break;
        await new Promise((res) => setTimeout(res, 200));
      }
    })();

    // Each sender takes the next scheduled delivery, waits for its time, sends it, waits for the answer.
    const sender = async () => {
      for (;;) {
        // Past the run's end (and a short grace) what is left unsent is the backlog: it is counted, not sent.
        if (Date.now() > t0 + MINUTES * 60_000 + 5_000) return;
        const seq = next++;
        if (seq >= total) return;
        const scheduledAt = t0 + seq * interval;
        const wait = scheduledAt - Date.now();
        if (wait > 0) await new Promise((res) => setTimeout(res, wait));
        const sentAt = Date.now();
        const b = buildDelivery(seq, sentAt);
        bytes += b.body.length;
        events += b.events;
        let status = 0;
        try {
          const res = await post(b);
          status = res.status;
          await res.text();
        } catch (err) {
          errorKinds.set((err as Error).message, (errorKinds.get((err as Error).message) ?? 0) + 1);
        }
        const answeredAt = Date.now();
        if (status === 200) pending.set(b.lastRequestId, { resourceId: resourceIds.get(b.resourceName)!, sentAt });
        else {
          errors++;
          if (status) errorKinds.set(`HTTP ${status}`, (errorKinds.get(`HTTP ${status}`) ?? 0) + 1);
        }
        sent.push({ scheduledAt, sentAt, answeredAt, status, lagMs: sentAt - scheduledAt });
      }
    };
    const loadBefore = os.loadavg();
    await Promise.all(Array.from({ length: SENDERS }, sender));
    const elapsedMs = Date.now() - t0;
    const loadAfter = os.loadavg();
    polling = false;
    await poller;

    const ok = sent.filter((s) => s.status === 200);
    const rt = ok.map((s) => s.answeredAt - s.sentAt).sort((a, b) => a - b);
    const lat = queryable.map((q) => q.latency).sort((a, b) => a - b);
    const counts = (await db.query<{ inv: number; logs: number }>("SELECT (SELECT count(*)::int FROM invocations) AS inv, (SELECT count(*)::int FROM log_events) AS logs")).rows[0];
    // Backlog: how far behind schedule the senders were, window by window of sending time (a growing lag is a growing backlog).
    const windows: { from: number; sent: number; accepted: number; lagP95: number; rtP95: number }[] = [];
    for (let w = t0; w < t0 + MINUTES * 60_000 + 5_000; w += WINDOW_MS) {
      const inW = sent.filter((s) => s.sentAt >= w && s.sentAt < w + WINDOW_MS);
      if (!inW.length) continue;
      const okW = inW.filter((s) => s.status === 200);
      windows.push({
        from: (w - t0) / 1000,
        sent: inW.length,
        accepted: okW.length,
        lagP95: quantile(inW.map((s) => s.lagMs).sort((a, b) => a - b), 0.95),
        rtP95: quantile(okW.map((s) => s.answeredAt - s.sentAt).sort((a, b) => a - b), 0.95),
      });
    }
    const unsent = total - sent.length;
    const lastLag = sent.length ? Math.max(...sent.slice(-SENDERS * 5).map((s) => s.lagMs)) : NaN;
    const keptUp = ok.length === total && lastLag < 2_000 && pending.size === 0;
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
      `| sent → queryable p50 / p95 (poll every 200 ms) | ${ms(quantile(lat, 0.5))} / ${ms(quantile(lat, 0.95))} (${lat.length.toLocaleString("en")} deliveries; ${pending.size} never seen) |`,
      `| rows stored | ${counts.inv.toLocaleString("en")} invocations, ${counts.logs.toLocaleString("en")} log events |`,
      `| behind schedule at the end (backlog) | ${ms(lastLag)}; ${unsent.toLocaleString("en")} scheduled deliveries not sent by the end |`,
      `| keeps up | ${keptUp ? "yes" : "no"} |`,
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
