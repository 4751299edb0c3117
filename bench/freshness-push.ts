// `npm run bench:freshness -- --mode push`: how fresh data is by push. Hot functions run invocations
// continuously; each invocation's log stream batch (START, an application line, END, REPORT) goes, as a
// CloudWatch Logs subscription payload, into an emulated Firehose stream that buffers the way
// `osprey push-setup` configures one (BufferingHints: --buffer-seconds, default push-setup's 10 s, and
// 1 MiB) and then POSTs a delivery to Osprey's endpoint (`next start`, the account's Firehose key). Per
// invocation: from its REPORT timestamp to the moment it is queryable in Postgres (what the API reads),
// split into the time Firehose held it and Osprey's part (delivery sent → queryable). CloudWatch's own hop
// from the log group to the subscription is not emulated: real figures add it.
// Options: --mode push --minutes 3 --functions 20 --rate 50 (invocations a second) --buffer-seconds 10 --warmup 20 (s) --no-build --no-report
import { randomUUID } from "node:crypto";
import os from "node:os";
import { parseArgs } from "node:util";
import type { SubscriptionPayload } from "@/lib/ingest/lambda-logs/subscription";
import { firehoseBody, invocationEvents, quantile, streamPayload } from "./push-feed";
import { fnName, PUSH_BENCH_FLAGS, startPushTarget } from "./push-target";
import { appendBenchmarks } from "./report";

const { values: args } = parseArgs({
  options: {
    mode: { type: "string", default: "push" },
    minutes: { type: "string", default: "3" },
    functions: { type: "string", default: "20" },
    rate: { type: "string", default: "50" },
    "buffer-seconds": { type: "string", default: "10" },
    warmup: { type: "string", default: "20" },
    ...PUSH_BENCH_FLAGS,
  },
});
const MINUTES = Number(args.minutes);
const FUNCTIONS = Number(args.functions);
const RATE = Number(args.rate);
const BUFFER_MS = Number(args["buffer-seconds"]) * 1000;
const WARMUP_MS = Number(args.warmup) * 1000;
// Firehose flushes a buffer at its interval or at SizeInMBs (push-setup: 1), whichever comes first.
const BUFFER_BYTES = 1024 * 1024;

const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface Tracked {
  resourceId: number;
  reportAt: number;
  sentAt?: number;
}

/** One invocation of a function as its log stream's subscription payload, stamped now (its REPORT is the newest event). */
function invocationPayload(fn: number, n: number): { payload: SubscriptionPayload; requestId: string; reportAt: number } {
  const end = Date.now();
  const req = randomUUID();
  const duration = 20 + (n % 180);
  const logEvents = invocationEvents({ requestId: req, end, duration, appLines: [`order ${n} processed in ${duration} ms`], maxMemoryMb: 80, id: (k) => `${end}${String(n * 4 + k).padStart(16, "0")}`.padStart(56, "3") });
  return { requestId: req, reportAt: end, payload: streamPayload(fn, end, logEvents) };
}

export async function pushFreshness(): Promise<number> {
  const target = await startPushTarget({ database: "osprey_bench_freshness_push", functions: FUNCTIONS, build: !args["no-build"] });
  const { db, resourceIds } = target;
  try {
    const tracked = new Map<string, Tracked>();
    const done: { total: number; buffered: number; osprey: number }[] = [];
    let deliveries = 0;
    let errors = 0;
    const inFlight = new Set<Promise<void>>();

    // The emulated Firehose stream: one buffer, flushed at the interval from its first record or at 1 MiB.
    let buffer: { payload: SubscriptionPayload; requestId: string }[] = [];
    let bufferBytes = 0;
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      if (!buffer.length) return;
      const batch = buffer;
      buffer = [];
      bufferBytes = 0;
      const sentAt = Date.now();
      for (const b of batch) {
        const t = tracked.get(b.requestId);
        if (t) t.sentAt = sentAt;
      }
      deliveries++;
      // Firehose sends a stream's deliveries one after another only per shard; at these rates one request is in flight at a time or two.
      const p = target
        .post(firehoseBody(batch.map((b) => b.payload), sentAt))
        .then(async (res) => {
          await res.text();
          if (res.status !== 200) errors++;
        })
        .catch(() => {
          errors++;
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    };
    const put = (payload: SubscriptionPayload, requestId: string) => {
      buffer.push({ payload, requestId });
      bufferBytes += JSON.stringify(payload).length;
      if (bufferBytes >= BUFFER_BYTES) flush();
      else timer ??= setTimeout(flush, BUFFER_MS);
    };

    const t0 = Date.now();
    const end = t0 + MINUTES * 60_000;
    let polling = true;
    const poller = (async () => {
      while (polling || [...tracked.values()].some((t) => t.sentAt !== undefined)) {
        const ids = [...tracked.entries()].filter(([, t]) => t.sentAt !== undefined);
        if (ids.length) {
          const r = await db.query<{ request_id: string }>(
            "SELECT request_id FROM invocations WHERE (resource_id, request_id) IN (SELECT * FROM unnest($1::int[], $2::text[])) AND complete",
            [ids.map(([, t]) => t.resourceId), ids.map(([k]) => k)],
          );
          const at = Date.now();
          for (const { request_id } of r.rows) {
            const t = tracked.get(request_id)!;
            tracked.delete(request_id);
            if (t.reportAt >= t0 + WARMUP_MS) done.push({ total: at - t.reportAt, buffered: t.sentAt! - t.reportAt, osprey: at - t.sentAt! });
          }
        }
        if (!polling && Date.now() > end + 30_000) break;
        await new Promise((res) => setTimeout(res, 250));
      }
    })();

    // Invocations at RATE a second, round robin over the functions, each logged (subscribed) as it ends.
    const loadBefore = os.loadavg();
    let n = 0;
    while (Date.now() < end) {
      const due = Math.floor(((Date.now() - t0) / 1000) * RATE);
      for (; n < due; n++) {
        const fn = n % FUNCTIONS;
        const inv = invocationPayload(fn, n);
        tracked.set(inv.requestId, { resourceId: resourceIds.get(fnName(fn))!, reportAt: inv.reportAt });
        put(inv.payload, inv.requestId);
      }
      await new Promise((res) => setTimeout(res, 20));
    }
    flush();
    await Promise.all(inFlight);
    const loadAfter = os.loadavg();
    polling = false;
    await poller;

    const total = done.map((d) => d.total).sort((a, b) => a - b);
    const buffered = done.map((d) => d.buffered).sort((a, b) => a - b);
    const osprey = done.map((d) => d.osprey).sort((a, b) => a - b);
    const p95 = quantile(total, 0.95);
    const body = [
      `Web server in production mode (\`next start\`), ${target.server}; ${FUNCTIONS} functions invoked ${RATE} times a second in all for ${MINUTES} min, each invocation's 4 log events one subscription payload; an emulated Firehose stream buffering ${BUFFER_MS / 1000} s or 1 MiB (BufferingHints as \`osprey push-setup --buffer-seconds ${BUFFER_MS / 1000}\` sets them) POSTs gzip'd deliveries with the account's key; queryable = the complete invocation is in Postgres (polled every 250 ms); the first ${WARMUP_MS / 1000} s not measured. CloudWatch's hop from log group to subscription is not emulated. Load average before / after: ${loadBefore.map((l) => l.toFixed(2)).join(" ")} / ${loadAfter.map((l) => l.toFixed(2)).join(" ")}.`,
      "",
      "| figure | value |",
      "|---|---|",
      `| freshness p50 / p95 / max (REPORT timestamp to queryable) | ${sec(quantile(total, 0.5))} / ${sec(p95)} / ${sec(total.at(-1) ?? NaN)} |`,
      `| of it, held in the Firehose buffer p50 / p95 | ${sec(quantile(buffered, 0.5))} / ${sec(quantile(buffered, 0.95))} |`,
      `| of it, Osprey (delivery sent → queryable) p50 / p95 | ${sec(quantile(osprey, 0.5))} / ${sec(quantile(osprey, 0.95))} |`,
      `| invocations measured; deliveries; errors | ${done.length.toLocaleString("en")}; ${deliveries.toLocaleString("en")}; ${errors} |`,
      `| never queryable (by 30 s after the end) | ${tracked.size} |`,
      `| p95 under 10 s | ${p95 < 10_000 ? "yes" : "no"} |`,
    ].join("\n");
    console.log(body);
    if (!args["no-report"]) appendBenchmarks(`bench:freshness (push, Firehose buffer ${BUFFER_MS / 1000} s, ${FUNCTIONS} hot functions, ${RATE} invocations/s)`, body);
    return errors === 0 && tracked.size === 0 ? 0 : 1;
  } finally {
    await target.close();
  }
}
