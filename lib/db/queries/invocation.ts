import type pg from "pg";
import { gbSeconds } from "@/lib/analysis/cost";
import { lambdaPriceFor } from "@/lib/analysis/prices";
import { traceAvailability } from "@/lib/analysis/trace-availability";
import { getResourceTraceCoverage } from "../trace-scans";
import type { InvocationDetail } from "@/lib/api/schemas/invocation";
import { logsInsightsUrl, logStreamUrl, traceUrl } from "./aws-console";
import { INVOCATION_SUMMARY_COLUMNS, toInvocationSummary } from "./invocations";

// A request's lines can come a little before START (extensions) and after REPORT (late flushes).
const LOG_SLACK_MS = 2_000;

/** A JSON object in the line, or in its message part of a text-format line (time, request id, level, message). */
export function parseJsonLine(message: string): Record<string, unknown> | null {
  const trimmed = message.trim();
  const candidates = [trimmed, trimmed.split("\t").at(-1) ?? ""];
  for (const c of candidates) {
    if (!c.startsWith("{") || !c.endsWith("}")) continue;
    try {
      const v = JSON.parse(c);
      if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      /* not JSON */
    }
  }
  return null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

type Ref = { request_id: string; attempt: number; started_at: Date | null };
const toRef = (r: Ref | null | undefined) => (r ? { requestId: r.request_id, attempt: r.attempt, startedAt: iso(r.started_at) } : null);

// Invocations are partitioned by the UTC day they started; a request id alone names no day, and
// probing every partition's index costs a few milliseconds a day kept. The lookups below read the
// partitions that can hold the answer first, and all of them only when those cannot.
const DAY_MS = 86_400_000;
const dayStart = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

const CHAIN_SQL = `SELECT ${INVOCATION_SUMMARY_COLUMNS}, i.log_stream, i.restore_duration_ms, i.billed_restore_duration_ms, i.cold_start_kind,
         r.name AS resource_name, r.region, r.config, (i.day - $3::date) AS day_offset
    FROM invocations i JOIN resources r ON r.id = i.resource_id
   WHERE i.resource_id = $1 AND i.request_id = $2`;

/**
 * Every attempt of a request, first to last. Lambda retries a request within six hours, so its
 * attempts sit at most a day either side of each other: found in the last two days and none on
 * the earliest of them, the chain is whole; otherwise every partition is read.
 */
async function retryChain(db: pg.Pool, resourceId: number, requestId: string) {
  const since = new Date(dayStart(Date.now()) - 2 * DAY_MS);
  const order = "ORDER BY i.attempt, i.started_at";
  const recent = await db.query(`${CHAIN_SQL} AND i.day >= $3::date ${order}`, [resourceId, requestId, since]);
  if (recent.rows.length && recent.rows.every((r) => r.day_offset >= 1)) return recent.rows;
  return (await db.query(`${CHAIN_SQL} ${order}`, [resourceId, requestId, since])).rows;
}

/**
 * The invocation of the same function started just before (or after) `t`. An invocation's partition
 * is the day it started, so the nearest one found within a day of \`t\` is the nearest of all; one
 * further away, or none, is looked for in every partition.
 */
async function neighbour(db: pg.Pool, resourceId: number, t: Date, side: "previous" | "next"): Promise<Ref | undefined> {
  const prev = side === "previous";
  const base = `SELECT request_id, attempt, started_at FROM invocations WHERE resource_id = $1 AND started_at ${prev ? "<" : ">"} $2`;
  const order = prev ? "ORDER BY started_at DESC, id DESC LIMIT 1" : "ORDER BY started_at, id LIMIT 1";
  const d = dayStart(t.getTime());
  const [lo, hi] = prev ? [d - DAY_MS, d] : [d, d + DAY_MS];
  const { rows } = await db.query<Ref>(`${base} AND day >= $3::date AND day <= $4::date ${order}`, [resourceId, t, new Date(lo), new Date(hi)]);
  const found = rows[0]?.started_at?.getTime();
  if (found !== undefined && (prev ? found >= lo : found < hi + DAY_MS)) return rows[0];
  return (await db.query<Ref>(`${base} ${order}`, [resourceId, t])).rows[0];
}

/** One invocation with its logs, spans, retry chain, cost, neighbours and console links; null when unknown. */
export async function getInvocation(db: pg.Pool, resourceId: number, requestId: string, attempt?: number): Promise<InvocationDetail | null> {
  const chain = await retryChain(db, resourceId, requestId);
  const inv = attempt === undefined ? chain[0] : chain.find((c) => c.attempt === attempt);
  if (!inv) return null;
  const config = (inv.config ?? {}) as { logGroup?: string; memorySizeMB?: number; architecture?: "x86_64" | "arm64"; tracingMode?: string };
  const start: Date | null = inv.started_at;
  const end: Date | null = inv.ended_at;
  const logWindow = start && end ? [new Date(start.getTime() - LOG_SLACK_MS), new Date(end.getTime() + LOG_SLACK_MS)] : null;
  const t = start ?? end;
  const [logs, spans, prev, next, coverage] = await Promise.all([
    db.query(
      `SELECT event_id, ts, level, message FROM log_events
        WHERE resource_id = $1 AND request_id = $2 ${logWindow ? "AND log_stream = $3 AND ts >= $4 AND ts <= $5" : ""}
        ORDER BY ts, event_id LIMIT 10000`,
      logWindow ? [resourceId, requestId, inv.log_stream, ...logWindow] : [resourceId, requestId],
    ),
    inv.trace_id
      ? db.query(
          `SELECT * FROM spans WHERE trace_id = $1 ${start ? "AND start_time >= $2 AND start_time < $3" : ""} ORDER BY start_time, depth, span_id`,
          start ? [inv.trace_id, new Date(start.getTime() - 3_600_000), new Date(start.getTime() + 3_600_000)] : [inv.trace_id],
        )
      : db.query(`SELECT * FROM spans WHERE resource_id = $1 AND request_id = $2 ORDER BY start_time, depth, span_id`, [resourceId, requestId]),
    t ? neighbour(db, resourceId, t, "previous") : null,
    t ? neighbour(db, resourceId, t, "next") : null,
    getResourceTraceCoverage(db, resourceId),
  ]);
  const price = lambdaPriceFor(inv.region);
  // Billed Duration already includes a SnapStart restore (ceil(Duration) + Billed Restore Duration).
  const billed = inv.billed_duration_ms;
  const gbs = billed !== null && inv.memory_size_mb !== null ? gbSeconds(billed, inv.memory_size_mb) : null;
  const logGroup = config.logGroup ?? `/aws/lambda/${inv.resource_name}`;
  const windowStart = (start ?? end ?? new Date()).getTime() - 60_000;
  const windowEnd = (end ?? start ?? new Date()).getTime() + 60_000;
  return {
    invocation: {
      ...toInvocationSummary(inv),
      resourceId,
      logStream: inv.log_stream,
      restoreDurationMs: inv.restore_duration_ms,
      billedRestoreDurationMs: inv.billed_restore_duration_ms,
      coldStartKind: inv.cold_start_kind,
    },
    resource: {
      id: resourceId,
      name: inv.resource_name,
      region: inv.region,
      memorySizeMB: config.memorySizeMB ?? null,
      architecture: config.architecture ?? null,
    },
    cost: {
      totalUsd: inv.cost_usd,
      requestUsd: price.usdPerRequest,
      computeUsd: inv.cost_usd !== null ? Math.max(0, inv.cost_usd - price.usdPerRequest) : null,
      gbSeconds: gbs,
    },
    logs: logs.rows.map((l) => {
      const json = parseJsonLine(l.message);
      return { eventId: l.event_id, ts: l.ts.toISOString(), level: l.level, message: l.message, isJson: json !== null, json };
    }),
    spans: spans.rows.map((s) => ({
      traceId: s.trace_id,
      spanId: s.span_id,
      parentId: s.parent_id,
      externalParentId: s.external_parent_id ?? null,
      kind: s.kind ?? (s.inferred ? "inferred" : null),
      name: s.name,
      origin: s.origin,
      namespace: s.namespace,
      depth: s.depth,
      startTime: s.start_time.toISOString(),
      startOffsetMs: s.start_offset_ms,
      durationMs: s.duration_ms,
      awsOperation: s.aws_operation,
      awsResource: s.aws_resource,
      httpMethod: s.http_method,
      httpUrl: s.http_url,
      httpStatus: s.http_status,
      sql: s.sql,
      error: s.error,
      fault: s.fault,
      throttle: s.throttle,
      inProgress: s.in_progress,
      inferred: s.inferred,
    })),
    trace: traceAvailability({
      hasSpans: spans.rows.length > 0,
      traceId: inv.trace_id ?? null,
      tracingMode: config.tracingMode ?? null,
      at: t ? t.getTime() : null,
      now: Date.now(),
      ...coverage,
    }),
    retryChain: chain.map((c) => ({
      id: c.id,
      requestId: c.request_id,
      attempt: c.attempt,
      startedAt: iso(c.started_at),
      status: c.status,
      durationMs: c.duration_ms,
    })),
    previous: toRef(prev),
    next: toRef(next),
    console: {
      logStreamUrl: logStreamUrl(inv.region, logGroup, inv.log_stream, requestId, windowStart, windowEnd),
      logsInsightsUrl: logsInsightsUrl(inv.region, logGroup, requestId, windowStart, windowEnd),
      traceUrl: inv.trace_id ? traceUrl(inv.region, inv.trace_id) : null,
    },
  };
}
