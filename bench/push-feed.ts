// Firehose push load, shared by `bench:push` (can the endpoint take 5,000 deliveries a minute?) and
// `bench:scale` (100 M invocations a day), and the delivery format bench:freshness --mode push sends
// too: senders POST deliveries in Firehose's HTTP endpoint request format to a push target
// (bench/push-target.ts) on an open-loop schedule (a sender that falls behind the schedule is a backlog,
// measured per window). Each delivery holds several gzip'd CloudWatch Logs subscription payloads (one per
// log stream), each several invocations (START, application lines, END, REPORT). Sent → queryable: a
// poller looks up each delivery's last invocation in Postgres (what the API reads) and notes when it is
// first seen.
import { randomBytes, randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { SubscriptionPayload } from "@/lib/ingest/lambda-logs/subscription";
import { cmdline, cpuDelta, cpuSnapshot } from "./proc-cpu";
import { AWS_ACCOUNT, fnName, type PushTarget } from "./push-target";

export const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] : NaN);

/** A Firehose HTTP endpoint request body holding the payloads as gzip'd base64 records. */
export function firehoseBody(payloads: SubscriptionPayload[], at = Date.now()): Buffer {
  return Buffer.from(JSON.stringify({ requestId: randomUUID(), timestamp: at, records: payloads.map((p) => ({ data: gzipSync(JSON.stringify(p)).toString("base64") })) }));
}

export interface DeliveryShape {
  /** subscription payloads (log streams) per delivery */
  records: number;
  /** invocations per payload */
  invocations: number;
  /** application lines per invocation, besides START, END and REPORT */
  appLines: number;
  functions: number;
}

export interface Built {
  body: Buffer;
  resourceName: string;
  lastRequestId: string;
  events: number;
  invocations: number;
}

type LogEvent = SubscriptionPayload["logEvents"][number];

/**
 * One invocation's log events as Lambda writes them, its REPORT at `end`: START, an application line per
 * entry of `appLines` (the text after the level), END, REPORT. `id(n)`: the n-th event's id.
 */
export function invocationEvents(o: { requestId: string; end: number; duration: number; appLines: string[]; maxMemoryMb: number; id: (n: number) => string }): LogEvent[] {
  const { requestId: req, end, duration, id } = o;
  return [
    { id: id(0), timestamp: end - duration - 2, message: `START RequestId: ${req} Version: $LATEST\n` },
    ...o.appLines.map((line, a) => ({ id: id(1 + a), timestamp: end - 5, message: `${new Date(end - 5).toISOString()}\t${req}\tINFO\t${line}\n` })),
    { id: id(1 + o.appLines.length), timestamp: end - 1, message: `END RequestId: ${req}\n` },
    { id: id(2 + o.appLines.length), timestamp: end, message: `REPORT RequestId: ${req}\tDuration: ${duration}.42 ms\tBilled Duration: ${duration + 1} ms\tMemory Size: 512 MB\tMax Memory Used: ${o.maxMemoryMb} MB\t\n` },
  ];
}

/** A subscription payload of function `fn` (fnName), a fresh log stream of the day of `at`, holding `logEvents`. */
export function streamPayload(fn: number, at: number, logEvents: LogEvent[]): SubscriptionPayload {
  return {
    messageType: "DATA_MESSAGE",
    owner: AWS_ACCOUNT,
    logGroup: `/aws/lambda/${fnName(fn)}`,
    logStream: `${new Date(at).toISOString().slice(0, 10).replace(/-/g, "/")}/[$LATEST]${randomBytes(16).toString("hex")}`,
    subscriptionFilters: ["osprey"],
    logEvents,
  };
}

/** One delivery sent at `at`: `records` subscription payloads (each one log stream of a function), `invocations` invocations each. */
export function buildDelivery(shape: DeliveryShape, seq: number, at: number): Built {
  const perInvocation = 3 + shape.appLines;
  let lastRequestId = "";
  let resourceName = "";
  let events = 0;
  const records = Array.from({ length: shape.records }, (_, r) => {
    const fn = (seq * shape.records + r) % shape.functions;
    const logEvents: LogEvent[] = [];
    for (let k = 0; k < shape.invocations; k++) {
      const req = randomUUID();
      const end = at - (shape.invocations - 1 - k) * 40;
      const duration = 20 + ((seq * 7 + k * 13) % 180);
      logEvents.push(
        ...invocationEvents({
          requestId: req,
          end,
          duration,
          appLines: Array.from({ length: shape.appLines }, (_, a) => `order ${seq}-${r}-${k} step ${a} processed in ${duration} ms {"items":${k + 1},"total":${(seq % 997) + 0.99}}`),
          maxMemoryMb: 70 + (k % 20),
          id: (n) => `${end}${String(((seq * shape.records + r) * shape.invocations + k) * perInvocation + n).padStart(16, "0")}`.padStart(56, "3"),
        }),
      );
      lastRequestId = req;
      resourceName = fnName(fn);
    }
    events += logEvents.length;
    return streamPayload(fn, at, logEvents);
  });
  return { body: firehoseBody(records, at), resourceName, lastRequestId, events, invocations: shape.records * shape.invocations };
}

export interface Sent {
  scheduledAt: number;
  sentAt: number;
  answeredAt: number;
  status: number;
  lagMs: number;
  events: number;
  invocations: number;
}

export interface LoadRun {
  t0: number;
  elapsedMs: number;
  total: number;
  sent: Sent[];
  /** sent → queryable, per delivery seen */
  queryable: { at: number; latency: number }[];
  neverSeen: number;
  bytes: number;
  errors: number;
  errorKinds: Map<string, number>;
  /** Deliveries were built (JSON, gzip, base64) before the clock started, not by the senders while sending. */
  prebuilt: boolean;
  /** CPU ms spent while sending, by process: "load generator" (this process: senders and poller), "web server", "Postgres". */
  cpuMs: Map<string, number>;
  /** Postgres's part of cpuMs by role (postgresRole). */
  postgresMs: Map<string, number>;
}

/** Deliveries built before the run at most (their bodies' bytes); a larger run builds them while sending. */
const PREBUILD_BYTES = 256 * 2 ** 20;

/** Processes of a push benchmark by CPU group: this one, Postgres's (embedded: started by this one), the web server's. */
export const pushCpuGroup = (p: { pid: number; comm: string }) => (p.pid === process.pid ? "load generator" : p.comm === "postgres" ? "Postgres" : "web server");

/**
 * Postgres's processes by role: connections (the server's writes, the poller), autovacuum, the WAL writer,
 * checkpointer and background writer; "exited" is the postmaster's, holding what its exited children
 * (autovacuum workers, closed connections) spent. Not Postgres: "".
 */
export function postgresRole(p: { pid: number; comm: string }): string {
  if (p.comm !== "postgres") return "";
  const title = cmdline(p.pid);
  // The postmaster keeps its command line (the binary's path and flags); the others show "postgres: [cluster: ]role".
  if (!title.startsWith("postgres:")) return "exited";
  const role = title.replace(/^postgres:\s*(\S+\/\S+:\s*)?/, "");
  const background = /^(autovacuum|walwriter|checkpointer|background writer|logical replication|io worker|walsummarizer)/.exec(role);
  return background ? background[1] : "connections";
}

/**
 * Sends `ratePerMinute` deliveries a minute for `minutes` from `senders` concurrent senders (each takes the
 * next scheduled delivery, waits for its time, sends it, waits for the answer) and polls Postgres for each
 * accepted delivery's last invocation. Past the run's end (and a short grace) what is left unsent is the backlog.
 */
export async function runPushLoad(o: { target: Pick<PushTarget, "db" | "post" | "send" | "resourceIds">; shape: DeliveryShape; ratePerMinute: number; minutes: number; senders: number; buildWhileSending?: boolean }): Promise<LoadRun> {
  const { db, resourceIds } = o.target;
  const post = (b: Built) => o.target.post(b.body);
  // Warm-up: the route's first requests compile and open connections.
  for (let i = 0; i < 20; i++) await (await post(buildDelivery({ ...o.shape, records: Math.min(o.shape.records, 5), invocations: Math.min(o.shape.invocations, 3) }, 1_000_000 + i, Date.now()))).text();

  const total = Math.round(o.ratePerMinute * o.minutes);
  const interval = 60_000 / o.ratePerMinute;
  // A load generator must be cheap: it shares the 2 cores with the server and Postgres. When the run's
  // bodies fit in PREBUILD_BYTES they are built (5 JSON + gzip + base64 per delivery) before the clock
  // starts, each stamped with its scheduled time as if sent on time, so the senders only send.
  const buildAt = Date.now();
  const first = buildDelivery(o.shape, 0, buildAt);
  const prebuilt = !o.buildWhileSending && first.body.length * total <= PREBUILD_BYTES;
  const pool: Built[] = prebuilt ? [first, ...Array.from({ length: total - 1 }, (_, i) => buildDelivery(o.shape, i + 1, buildAt + (i + 1) * interval))] : [];
  const sent: Sent[] = [];
  const pending = new Map<string, { resourceId: number; sentAt: number }>();
  const queryable: { at: number; latency: number }[] = [];
  const errorKinds = new Map<string, number>();
  let bytes = 0;
  let errors = 0;
  let next = 0;
  const t0 = Date.now() + 200;
  const endAt = t0 + o.minutes * 60_000;

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
      if (!polling && Date.now() > endAt + 30_000) break;
      await new Promise((res) => setTimeout(res, 200));
    }
  })();

  const sender = async () => {
    for (;;) {
      if (Date.now() > endAt + 5_000) return;
      const seq = next++;
      if (seq >= total) return;
      const scheduledAt = t0 + seq * interval;
      const wait = scheduledAt - Date.now();
      if (wait > 0) await new Promise((res) => setTimeout(res, wait));
      const sentAt = Date.now();
      const b = prebuilt ? pool[seq] : buildDelivery(o.shape, seq, sentAt);
      if (prebuilt) pool[seq] = undefined as unknown as Built;
      bytes += b.body.length;
      let status = 0;
      try {
        status = await o.target.send(b.body);
      } catch (err) {
        errorKinds.set((err as Error).message, (errorKinds.get((err as Error).message) ?? 0) + 1);
      }
      const answeredAt = Date.now();
      if (status === 200) pending.set(b.lastRequestId, { resourceId: resourceIds.get(b.resourceName)!, sentAt });
      else {
        errors++;
        if (status) errorKinds.set(`HTTP ${status}`, (errorKinds.get(`HTTP ${status}`) ?? 0) + 1);
      }
      sent.push({ scheduledAt, sentAt, answeredAt, status, lagMs: sentAt - scheduledAt, events: b.events, invocations: b.invocations });
    }
  };
  const cpuBefore = cpuSnapshot(pushCpuGroup);
  const pgBefore = cpuSnapshot(postgresRole);
  await Promise.all(Array.from({ length: o.senders }, sender));
  const elapsedMs = Date.now() - t0;
  const cpuMs = cpuDelta(cpuBefore, cpuSnapshot(pushCpuGroup));
  const postgresMs = cpuDelta(pgBefore, cpuSnapshot(postgresRole));
  postgresMs.delete("");
  polling = false;
  await poller;
  return { t0, elapsedMs, total, sent, queryable, neverSeen: pending.size, bytes, errors, errorKinds, prebuilt, cpuMs, postgresMs };
}

/** Behind schedule and response times, window by window of sending time (a growing lag is a growing backlog). */
export function lagWindows(run: LoadRun, windowMs: number, minutes: number) {
  const windows: { from: number; sent: number; accepted: number; events: number; lagP95: number; rtP95: number }[] = [];
  for (let w = run.t0; w < run.t0 + minutes * 60_000 + 5_000; w += windowMs) {
    const inW = run.sent.filter((s) => s.sentAt >= w && s.sentAt < w + windowMs);
    if (!inW.length) continue;
    const okW = inW.filter((s) => s.status === 200);
    windows.push({
      from: (w - run.t0) / 1000,
      sent: inW.length,
      accepted: okW.length,
      events: okW.reduce((n, s) => n + s.events, 0),
      lagP95: quantile(inW.map((s) => s.lagMs).sort((a, b) => a - b), 0.95),
      rtP95: quantile(okW.map((s) => s.answeredAt - s.sentAt).sort((a, b) => a - b), 0.95),
    });
  }
  return windows;
}
