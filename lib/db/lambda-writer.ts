import type pg from "pg";
import { invocationCostUsd } from "../analysis/cost";
import { bumpRollupVersions } from "./rollup-version";
import { applyHistDelta, GRAINS, invocationTime, rollupDeltas, type Grain, type RollupDelta } from "../analysis/rollup";
import { resolveInvocations, type StoredInvocation } from "../ingest/invocation-identity";
import { fillGroupStacks } from "./error-stacks";
import { resolveOccurrences, type StoredOccurrence } from "../ingest/invocation-identity-errors";
import type { ErrorOccurrence, ParsedInvocation, ParseResult } from "../ingest/lambda-logs/types";
import { toStorable } from "../ingest/text/storable";
import { utcDay } from "./partitions";
import { prepared } from "./prepared";

export interface LambdaWriteTarget {
  resourceId: number;
  region: string;
  architecture: "x86_64" | "arm64";
}

export interface WriteCounts {
  logEvents: number;
  invocationsNew: number;
  invocationsUpdated: number;
  errors: number;
}

const DAY_MS = 86_400_000;
// An attempt runs 15 minutes at most, plus its init: the error lines and REPORT of one attempt lie this close.
const ATTEMPT_SPAN_MS = 20 * 60_000;
const INVOCATION_COLUMNS = `id, to_char(day, 'YYYY-MM-DD') AS day, request_id, attempt, log_stream,
  (extract(epoch FROM started_at) * 1000)::float8 AS started_at, (extract(epoch FROM ended_at) * 1000)::float8 AS ended_at,
  duration_ms, billed_duration_ms, memory_size_mb, max_memory_used_mb, init_duration_ms, restore_duration_ms,
  billed_restore_duration_ms, cold_start, cold_start_kind, status, error_type, error_message, trace_id, complete,
  start_event_id, report_event_id`;

interface InvocationRow {
  id: string | number;
  day: string;
  request_id: string;
  attempt: number;
  log_stream: string;
  started_at: number | null;
  ended_at: number | null;
  duration_ms: number | null;
  billed_duration_ms: number | null;
  memory_size_mb: number | null;
  max_memory_used_mb: number | null;
  init_duration_ms: number | null;
  restore_duration_ms: number | null;
  billed_restore_duration_ms: number | null;
  cold_start: boolean;
  cold_start_kind: "init" | "snapstart" | null;
  status: ParsedInvocation["status"];
  error_type: string | null;
  error_message: string | null;
  trace_id: string | null;
  complete: boolean;
  start_event_id: string | null;
  report_event_id: string | null;
}

function toStored(r: InvocationRow): StoredInvocation {
  return {
    id: Number(r.id),
    day: r.day,
    requestId: r.request_id,
    functionName: null,
    logStreamName: r.log_stream,
    attempt: r.attempt,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    durationMs: r.duration_ms,
    billedDurationMs: r.billed_duration_ms,
    memorySizeMB: r.memory_size_mb,
    maxMemoryUsedMB: r.max_memory_used_mb,
    initDurationMs: r.init_duration_ms,
    restoreDurationMs: r.restore_duration_ms,
    billedRestoreDurationMs: r.billed_restore_duration_ms,
    coldStart: r.cold_start,
    coldStartKind: r.cold_start_kind,
    status: r.status,
    errorType: r.error_type,
    errorMessage: r.error_message,
    traceId: r.trace_id,
    startEventId: r.start_event_id,
    reportEventId: r.report_event_id,
    complete: r.complete,
  };
}

const ts = (ms: number | null) => (ms === null ? null : new Date(ms));

/** Every write's log lines in one statement; a line stored before (same event id and time) is skipped. */
async function insertLogEvents(client: pg.PoolClient, writes: Prepared[]): Promise<number> {
  const rows = writes.flatMap((w) => w.parsed.logLines.map((l) => [w.target.resourceId, l] as const));
  if (!rows.length) return 0;
  const res = await client.query(
    prepared(
      `INSERT INTO log_events (event_id, ts, resource_id, log_stream, request_id, level, message)
     SELECT e, t, i, s, r, l, m FROM unnest($1::int[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(i, e, t, s, r, l, m)
     ON CONFLICT DO NOTHING`,
      [
      rows.map(([id]) => id),
      rows.map(([, l]) => l.eventId),
      rows.map(([, l]) => new Date(l.timestamp)),
      rows.map(([, l]) => l.logStreamName),
      rows.map(([, l]) => l.requestId),
      rows.map(([, l]) => l.level),
      rows.map(([, l]) => l.message),
      ],
    ),
  );
  return res.rowCount ?? 0;
}

function withCost(i: ParsedInvocation, target: LambdaWriteTarget) {
  return invocationCostUsd({
    billedDurationMs: i.billedDurationMs,
    memorySizeMB: i.memorySizeMB,
    architecture: target.architecture,
    region: target.region,
  });
}

/** Column arrays for unnest, in INVOCATION_FIELDS order; targets[k] is the function of rows[k]. */
function invocationArrays(rows: ParsedInvocation[], targets: LambdaWriteTarget[]) {
  return [
    rows.map((r) => r.requestId),
    rows.map((r) => r.attempt),
    rows.map((r) => r.logStreamName),
    rows.map((r) => ts(r.startedAt)),
    rows.map((r) => ts(r.endedAt)),
    rows.map((r) => r.durationMs),
    rows.map((r) => r.billedDurationMs),
    rows.map((r) => r.memorySizeMB),
    rows.map((r) => r.maxMemoryUsedMB),
    rows.map((r) => r.initDurationMs),
    rows.map((r) => r.restoreDurationMs),
    rows.map((r) => r.billedRestoreDurationMs),
    rows.map((r) => r.coldStart),
    rows.map((r) => r.coldStartKind),
    rows.map((r) => r.status),
    rows.map((r) => r.errorType),
    rows.map((r) => r.errorMessage),
    rows.map((r) => r.traceId),
    rows.map((r, k) => withCost(r, targets[k])),
    rows.map((r) => r.complete),
    rows.map((r) => r.startEventId),
    rows.map((r) => r.reportEventId),
  ];
}

// The invocation columns as parallel arrays $3..$24, numbered row by row (n) to join keys beside them.
const UNNEST_INVOCATIONS = `unnest($3::text[], $4::int[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::float8[], $9::int[], $10::int[],
  $11::int[], $12::float8[], $13::float8[], $14::int[], $15::bool[], $16::text[], $17::"InvocationStatus"[], $18::text[], $19::text[],
  $20::text[], $21::float8[], $22::bool[], $23::text[], $24::text[]) WITH ORDINALITY
  AS x(request_id, attempt, log_stream, started_at, ended_at, duration_ms, billed_duration_ms, memory_size_mb, max_memory_used_mb,
       init_duration_ms, restore_duration_ms, billed_restore_duration_ms, cold_start, cold_start_kind, status, error_type, error_message,
       trace_id, cost_usd, complete, start_event_id, report_event_id, n)`;

function dayOf(i: ParsedInvocation, fallback: number): string {
  return utcDay(invocationTime(i) ?? fallback);
}

// Named, not r.*: a prepared statement whose result columns change (a migration adding one) fails until its connection closes.
const ROLLUP_COLUMNS = `r.resource_id, r.bucket_start, r.invocations, r.successes, r.errors, r.timeouts, r.out_of_memory, r.crashes, r.cold_starts,
  r.retries, r.hist_buckets, r.hist_counts, r.duration_sum_ms, r.billed_ms, r.gb_seconds, r.cost_usd, r.max_memory_used_mb, r.memory_size_mb,
  r.max_duration_ms`;

interface RollupRow {
  grain: Grain;
  bucket_start: Date;
  invocations: number;
  successes: number;
  errors: number;
  timeouts: number;
  out_of_memory: number;
  crashes: number;
  cold_starts: number;
  retries: number;
  hist_buckets: number[];
  hist_counts: number[];
  duration_sum_ms: number;
  billed_ms: string;
  gb_seconds: number;
  cost_usd: number;
  max_memory_used_mb: number | null;
  memory_size_mb: number | null;
  max_duration_ms: number | null;
}

/**
 * The rollups of every grain of every written function, read (locked) in one round trip and written
 * in one: a batch costs two, however many functions and grains it touches.
 */
async function upsertRollups(client: pg.PoolClient, byGrain: [Grain, { resourceId: number; delta: RollupDelta }[]][]): Promise<void> {
  const grains = byGrain.filter(([, deltas]) => deltas.length);
  if (!grains.length) return;
  const { rows } = await client.query<RollupRow & { resource_id: number }>(
    // FOR UPDATE is not allowed beside UNION, but is inside the CTEs it reads. Prepared: one text per set of grains.
    prepared(
    `WITH ${grains
      .map(
        ([grain], k) =>
          `l${k} AS (SELECT '${grain}' AS grain, ${ROLLUP_COLUMNS} FROM rollup_${grain} r
             WHERE (resource_id, bucket_start) IN (SELECT * FROM unnest($${2 * k + 1}::int[], $${2 * k + 2}::timestamptz[])) FOR UPDATE)`,
      )
      .join(", ")}
     ${grains.map((_, k) => `SELECT * FROM l${k}`).join(" UNION ALL ")}`,
    grains.flatMap(([, deltas]) => [deltas.map((d) => d.resourceId), deltas.map((d) => new Date(d.delta.bucketStart))]),
    ),
  );
  const existing = new Map(rows.map((r) => [`${r.grain}:${r.resource_id}:${r.bucket_start.getTime()}`, r]));
  const params: unknown[] = [];
  const statements = grains.map(([grain, deltas]) => {
    const next = deltas.map(({ resourceId, delta: d }) => {
      const e = existing.get(`${grain}:${resourceId}:${d.bucketStart}`);
      const hist = applyHistDelta(e?.hist_buckets ?? [], e?.hist_counts ?? [], d.hist);
      const maxOf = (a: number | null | undefined, b: number | null) => (a == null ? b : b === null ? a : Math.max(a, b));
      return {
        resourceId,
        start: new Date(d.bucketStart),
        invocations: (e?.invocations ?? 0) + d.invocations,
        successes: (e?.successes ?? 0) + d.successes,
        errors: (e?.errors ?? 0) + d.errors,
        timeouts: (e?.timeouts ?? 0) + d.timeouts,
        oom: (e?.out_of_memory ?? 0) + d.outOfMemory,
        crashes: (e?.crashes ?? 0) + d.crashes,
        cold: (e?.cold_starts ?? 0) + d.coldStarts,
        retries: (e?.retries ?? 0) + d.retries,
        hb: `{${hist.buckets.join(",")}}`,
        hc: `{${hist.counts.join(",")}}`,
        dur: (e?.duration_sum_ms ?? 0) + d.durationSumMs,
        billed: Number(e?.billed_ms ?? 0) + d.billedMs,
        gbs: (e?.gb_seconds ?? 0) + d.gbSeconds,
        cost: (e?.cost_usd ?? 0) + d.costUsd,
        maxMem: maxOf(e?.max_memory_used_mb, d.maxMemoryUsedMB),
        memSize: maxOf(e?.memory_size_mb, d.memorySizeMB),
        // A row written before rollups kept the longest duration stays unknown: a later maximum would understate it.
        maxDur: e && e.max_duration_ms === null && e.hist_buckets.length > 0 ? null : maxOf(e?.max_duration_ms, d.maxDurationMs),
      };
    });
    const at = params.length;
    params.push(
      next.map((n) => n.resourceId),
      next.map((n) => n.start),
      next.map((n) => n.invocations),
      next.map((n) => n.successes),
      next.map((n) => n.errors),
      next.map((n) => n.timeouts),
      next.map((n) => n.oom),
      next.map((n) => n.crashes),
      next.map((n) => n.cold),
      next.map((n) => n.retries),
      next.map((n) => n.hb),
      next.map((n) => n.hc),
      next.map((n) => n.dur),
      next.map((n) => Math.round(n.billed)),
      next.map((n) => n.gbs),
      next.map((n) => n.cost),
      next.map((n) => n.maxMem),
      next.map((n) => n.memSize),
      next.map((n) => n.maxDur),
    );
    const types = ["int", "timestamptz", "int", "int", "int", "int", "int", "int", "int", "int", "text", "text", "float8", "int8", "float8", "float8", "int", "int", "float8"];
    const p = types.map((t, i) => `$${at + 1 + i}::${t}[]`).join(", ");
    return `INSERT INTO rollup_${grain} (resource_id, bucket_start, invocations, successes, errors, timeouts, out_of_memory, crashes, cold_starts, retries,
        hist_buckets, hist_counts, duration_sum_ms, billed_ms, gb_seconds, cost_usd, max_memory_used_mb, memory_size_mb, max_duration_ms)
     SELECT r, s, i, su, er, t, o, c, cs, re, hb::smallint[], hc::int[], d, b, g, co, mm, ms, md
       FROM unnest(${p}) AS u(r, s, i, su, er, t, o, c, cs, re, hb, hc, d, b, g, co, mm, ms, md)
     ON CONFLICT (resource_id, bucket_start) DO UPDATE SET
       invocations = EXCLUDED.invocations, successes = EXCLUDED.successes, errors = EXCLUDED.errors, timeouts = EXCLUDED.timeouts,
       out_of_memory = EXCLUDED.out_of_memory, crashes = EXCLUDED.crashes, cold_starts = EXCLUDED.cold_starts, retries = EXCLUDED.retries,
       hist_buckets = EXCLUDED.hist_buckets, hist_counts = EXCLUDED.hist_counts, duration_sum_ms = EXCLUDED.duration_sum_ms,
       billed_ms = EXCLUDED.billed_ms, gb_seconds = EXCLUDED.gb_seconds, cost_usd = EXCLUDED.cost_usd,
       max_memory_used_mb = EXCLUDED.max_memory_used_mb, memory_size_mb = EXCLUDED.memory_size_mb, max_duration_ms = EXCLUDED.max_duration_ms`;
  });
  // Data-modifying CTEs: every grain's upsert in one statement (each table once, so no row is touched twice).
  const sql = statements.length === 1 ? statements[0] : `WITH ${statements.slice(0, -1).map((st, i) => `g${i} AS (${st})`).join(", ")} ${statements.at(-1)}`;
  await client.query(prepared(sql, params));
}

/** Occurrences per error group, with the first and last of them. */
function countByGroup(rows: { group_id: number; ts: Date }[]): Map<number, { n: number; first: number; last: number }> {
  const perGroup = new Map<number, { n: number; first: number; last: number }>();
  for (const r of rows) {
    const t = r.ts.getTime();
    const g = perGroup.get(r.group_id) ?? { n: 0, first: t, last: t };
    g.n++;
    g.first = Math.min(g.first, t);
    g.last = Math.max(g.last, t);
    perGroup.set(r.group_id, g);
  }
  return perGroup;
}

/** Stored occurrences of the batch's requests that may belong to the same attempts as the batch's. */
async function storedOccurrences(client: pg.PoolClient, resourceId: number, errs: ErrorOccurrence[]): Promise<StoredOccurrence[]> {
  const requestIds = [...new Set(errs.flatMap((e) => (e.requestId === null ? [] : [e.requestId])))];
  if (!requestIds.length) return [];
  const times = errs.map((e) => e.timestamp);
  const { rows } = await client.query<{ event_id: string; request_id: string | null; log_stream: string; ts: number }>(
    `SELECT event_id, request_id, log_stream, (extract(epoch FROM ts) * 1000)::float8 AS ts FROM error_occurrences
      WHERE resource_id = $1 AND request_id = ANY($2::text[]) AND ts BETWEEN $3 AND $4`,
    [resourceId, requestIds, new Date(Math.min(...times) - ATTEMPT_SPAN_MS), new Date(Math.max(...times) + ATTEMPT_SPAN_MS)],
  );
  return rows.map((r) => ({ eventId: r.event_id, requestId: r.request_id, logStreamName: r.log_stream, timestamp: r.ts }));
}

/** Takes stored occurrences back out of their groups' counts. */
async function removeOccurrences(client: pg.PoolClient, resourceId: number, eventIds: string[]): Promise<void> {
  if (!eventIds.length) return;
  const { rows } = await client.query<{ group_id: number; ts: Date }>(
    "DELETE FROM error_occurrences WHERE resource_id = $1 AND event_id = ANY($2::text[]) RETURNING group_id, ts",
    [resourceId, eventIds],
  );
  const perGroup = countByGroup(rows);
  if (!perGroup.size) return;
  const ids = [...perGroup.keys()];
  // An emptied group goes back to the placeholder times it was created with; otherwise only a bound that was
  // one of the removed occurrences moves.
  await client.query(
    `UPDATE error_groups g SET count = g.count - u.n,
        first_seen_at = CASE WHEN g.count <= u.n THEN to_timestamp(0) WHEN g.first_seen_at < u.first THEN g.first_seen_at
                             ELSE coalesce((SELECT min(o.ts) FROM error_occurrences o WHERE o.group_id = g.id), g.first_seen_at) END,
        last_seen_at = CASE WHEN g.count <= u.n THEN to_timestamp(0) WHEN g.last_seen_at > u.last THEN g.last_seen_at
                            ELSE coalesce((SELECT max(o.ts) FROM error_occurrences o WHERE o.group_id = g.id), g.last_seen_at) END
       FROM unnest($1::int[], $2::int[], $3::timestamptz[], $4::timestamptz[]) AS u(id, n, first, last)
      WHERE g.id = u.id`,
    [ids, ids.map((i) => perGroup.get(i)!.n), ids.map((i) => new Date(perGroup.get(i)!.first)), ids.map((i) => new Date(perGroup.get(i)!.last))],
  );
}

async function writeErrors(client: pg.PoolClient, resourceId: number, parsed: ParseResult, attempts: ParsedInvocation[]): Promise<number> {
  if (!parsed.errors.length) return 0;
  const { add: errs, remove } = resolveOccurrences(attempts, await storedOccurrences(client, resourceId, parsed.errors), parsed.errors);
  await removeOccurrences(client, resourceId, remove);
  if (!errs.length) return 0;
  const { rows: groups } = await client.query<{ id: number; fingerprint: string }>(
    `INSERT INTO error_groups (fingerprint, error_type, message, sample_message, count, first_seen_at, last_seen_at, resource_ids)
     SELECT DISTINCT ON (f) f, t, m, m, 0, to_timestamp(0), to_timestamp(0), ARRAY[$1::int]
       FROM unnest($2::text[], $3::text[], $4::text[]) AS u(f, t, m)
     ON CONFLICT (fingerprint) DO UPDATE SET fingerprint = EXCLUDED.fingerprint
     RETURNING id, fingerprint`,
    [resourceId, errs.map((e) => e.fingerprint), errs.map((e) => e.errorType), errs.map((e) => e.errorMessage.slice(0, 2000))],
  );
  const groupOf = new Map(groups.map((g) => [g.fingerprint, g.id]));
  await fillGroupStacks(client, groupOf, errs);
  const { rows: added } = await client.query<{ group_id: number; ts: Date }>(
    `INSERT INTO error_occurrences (event_id, group_id, resource_id, request_id, ts, error_message, error_type, log_stream)
     SELECT e, g, $1, r, t, m, ty, s FROM unnest($2::text[], $3::int[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::text[])
       AS u(e, g, r, t, m, ty, s)
     ON CONFLICT (event_id) DO NOTHING
     RETURNING group_id, ts`,
    [
      resourceId,
      errs.map((e) => e.eventId),
      errs.map((e) => groupOf.get(e.fingerprint)!),
      errs.map((e) => e.requestId),
      errs.map((e) => new Date(e.timestamp)),
      errs.map((e) => e.errorMessage.slice(0, 8000)),
      errs.map((e) => e.errorType),
      errs.map((e) => e.logStreamName),
    ],
  );
  if (!added.length) return 0;
  const perGroup = countByGroup(added);
  const ids = [...perGroup.keys()];
  // A resolved group that occurs again after it was resolved has regressed.
  await client.query(
    `UPDATE error_groups g SET count = g.count + u.n,
        first_seen_at = CASE WHEN g.count = 0 THEN u.first ELSE least(g.first_seen_at, u.first) END,
        last_seen_at = greatest(g.last_seen_at, u.last),
        resource_ids = CASE WHEN $5 = ANY(g.resource_ids) THEN g.resource_ids ELSE g.resource_ids || $5 END,
        state = CASE WHEN g.state = 'resolved' AND u.last > coalesce(g.resolved_at, to_timestamp(0)) THEN 'regressed'::"ErrorGroupState"
                     WHEN g.state = 'new' AND g.count > 0 THEN 'ongoing'::"ErrorGroupState" ELSE g.state END
       FROM unnest($1::int[], $2::int[], $3::timestamptz[], $4::timestamptz[]) AS u(id, n, first, last)
      WHERE g.id = u.id`,
    [ids, ids.map((i) => perGroup.get(i)!.n), ids.map((i) => new Date(perGroup.get(i)!.first)), ids.map((i) => new Date(perGroup.get(i)!.last)), resourceId],
  );
  return added.length;
}

/** One function's parsed batch, as written by writeLambdaBatches. */
export interface LambdaWrite {
  target: LambdaWriteTarget;
  parsed: ParseResult;
}

interface Prepared extends LambdaWrite {
  /** When each parsed invocation happened, by index (its first line when it has no START or REPORT). */
  times: number[];
  firstLine: Map<string, number>;
}

export interface BatchCounts extends WriteCounts {
  /** Functions whose invocations (hence rollups) changed: their account and region's rollup version is due a bump. */
  changedResourceIds: number[];
}

function prepare(w: LambdaWrite): Prepared {
  // A NUL byte or a broken surrogate in one log line would make Postgres refuse the whole batch.
  const parsed = toStorable(w.parsed);
  const firstLine = new Map<string, number>();
  for (const l of parsed.logLines) if (l.requestId && !(firstLine.get(l.requestId)! <= l.timestamp)) firstLine.set(l.requestId, l.timestamp);
  const times = parsed.invocations.map((i) => invocationTime(i) ?? firstLine.get(i.requestId) ?? Date.now());
  return { target: w.target, parsed, times, firstLine };
}

/** The stored attempts of every write's requests, in one query, by resource. */
async function storedAttempts(client: pg.PoolClient, writes: Prepared[]): Promise<Map<number, StoredInvocation[]>> {
  const keys = new Map<string, [number, string]>();
  for (const w of writes) for (const i of w.parsed.invocations) keys.set(`${w.target.resourceId}\0${i.requestId}`, [w.target.resourceId, i.requestId]);
  const byResource = new Map<number, StoredInvocation[]>();
  if (!keys.size) return byResource;
  const times = writes.flatMap((w) => w.times);
  const lo = utcDay(Math.min(...times) - DAY_MS);
  const hi = utcDay(Math.max(...times) + DAY_MS);
  // One function (every pull batch): the plain index lookup it always had; several: their (function, request) pairs.
  const { rows } =
    writes.length === 1
      ? await client.query<InvocationRow & { resource_id: number }>(
          prepared(`SELECT resource_id, ${INVOCATION_COLUMNS} FROM invocations WHERE resource_id = $1 AND request_id = ANY($2::text[]) AND day BETWEEN $3 AND $4`, [
            writes[0].target.resourceId,
            [...keys.values()].map(([, r]) => r),
            lo,
            hi,
          ]),
        )
      : await client.query<InvocationRow & { resource_id: number }>(
          prepared(
            `SELECT resource_id, ${INVOCATION_COLUMNS} FROM invocations
            WHERE (resource_id, request_id) IN (SELECT * FROM unnest($1::int[], $2::text[])) AND day BETWEEN $3 AND $4`,
            [[...keys.values()].map(([id]) => id), [...keys.values()].map(([, r]) => r), lo, hi],
          ),
        );
  for (const r of rows) {
    const list = byResource.get(r.resource_id) ?? [];
    list.push(toStored(r));
    byResource.set(r.resource_id, list);
  }
  return byResource;
}

/**
 * Writes one parsed batch of a function's log events, inside the caller's transaction: log
 * lines (deduplicated by event id), invocations merged into the attempts already stored,
 * rollups by the change each invocation made, and error occurrences. Reading the same events
 * again changes nothing.
 */
export async function writeLambdaBatch(
  client: pg.PoolClient,
  target: LambdaWriteTarget,
  parsed: ParseResult,
  // A caller writing several functions in one transaction bumps once, last (the lock is then held only to its commit);
  // rollups changed when invocations were inserted or updated.
  opts: { bumpRollupVersion?: boolean } = {},
): Promise<WriteCounts> {
  const { changedResourceIds: _changed, ...counts } = await writeLambdaBatches(client, [{ target, parsed }], opts);
  return counts;
}

/**
 * writeLambdaBatch for several functions at once, in the caller's transaction, with one statement per
 * table for them all (the Firehose endpoint's group commit writes dozens of functions per batch: a
 * statement per function and table made the round trips, not the rows, its cost). Error occurrences,
 * rare, are still written function by function. A function named twice is written in two rounds.
 */
export async function writeLambdaBatches(client: pg.PoolClient, batch: LambdaWrite[], opts: { bumpRollupVersion?: boolean } = {}): Promise<BatchCounts> {
  const seen = new Set<number>();
  const now: LambdaWrite[] = [];
  const later: LambdaWrite[] = [];
  for (const w of batch) {
    (seen.has(w.target.resourceId) ? later : now).push(w);
    seen.add(w.target.resourceId);
  }
  const counts = await writeDistinct(client, now.map(prepare));
  if (later.length) {
    const more = await writeLambdaBatches(client, later, { bumpRollupVersion: false });
    counts.logEvents += more.logEvents;
    counts.invocationsNew += more.invocationsNew;
    counts.invocationsUpdated += more.invocationsUpdated;
    counts.errors += more.errors;
    counts.changedResourceIds = [...new Set([...counts.changedResourceIds, ...more.changedResourceIds])];
  }
  if (counts.changedResourceIds.length && opts.bumpRollupVersion !== false) await bumpRollupVersions(client, counts.changedResourceIds);
  return counts;
}

async function writeDistinct(client: pg.PoolClient, writes: Prepared[]): Promise<BatchCounts> {
  const counts: BatchCounts = { logEvents: 0, invocationsNew: 0, invocationsUpdated: 0, errors: 0, changedResourceIds: [] };
  if (!writes.length) return counts;
  // The pull worker and the push endpoint may write the same function at once; take turns. Always in
  // resource id order, so two transactions locking overlapping functions wait instead of deadlocking.
  await client.query(prepared("SELECT count(pg_advisory_xact_lock(7261, id)) FROM unnest($1::int[]) AS u(id)", [[...writes.map((w) => w.target.resourceId)].sort((a, b) => a - b)]));
  counts.logEvents = await insertLogEvents(client, writes);

  const storedBy = await storedAttempts(client, writes);
  const resolved = writes.map((w) => {
    const stored = storedBy.get(w.target.resourceId) ?? [];
    return { w, stored, ...resolveInvocations(stored, w.parsed.invocations) };
  });

  const inserts = resolved.flatMap(({ w, inserts }) => inserts.map((i) => ({ w, i })));
  if (inserts.length) {
    await client.query(
      prepared(
      `INSERT INTO invocations (day, resource_id, request_id, attempt, log_stream, started_at, ended_at, duration_ms, billed_duration_ms,
          memory_size_mb, max_memory_used_mb, init_duration_ms, restore_duration_ms, billed_restore_duration_ms, cold_start, cold_start_kind,
          status, error_type, error_message, trace_id, cost_usd, complete, start_event_id, report_event_id)
       SELECT u.day::date, u.resource_id, u.request_id, u.attempt, u.log_stream, u.started_at, u.ended_at, u.duration_ms, u.billed_duration_ms,
          u.memory_size_mb, u.max_memory_used_mb, u.init_duration_ms, u.restore_duration_ms, u.billed_restore_duration_ms, u.cold_start,
          u.cold_start_kind, u.status, u.error_type, u.error_message, u.trace_id, u.cost_usd, u.complete, u.start_event_id, u.report_event_id
         FROM (SELECT x.*, d.day, d.resource_id FROM ${UNNEST_INVOCATIONS}
               JOIN unnest($1::text[], $2::int[]) WITH ORDINALITY AS d(day, resource_id, n) ON d.n = x.n) AS u
       ON CONFLICT (resource_id, request_id, attempt, day) DO NOTHING`,
      [
        inserts.map(({ w, i }) => dayOf(i, w.firstLine.get(i.requestId) ?? Date.now())),
        inserts.map(({ w }) => w.target.resourceId),
        ...invocationArrays(inserts.map(({ i }) => i), inserts.map(({ w }) => w.target)),
      ],
      ),
    );
  }
  const updates = resolved.flatMap(({ w, updates }) => updates.map((u) => ({ w, u })));
  if (updates.length) {
    await client.query(
      prepared(
      `UPDATE invocations i SET started_at = u.started_at, ended_at = u.ended_at, duration_ms = u.duration_ms,
          billed_duration_ms = u.billed_duration_ms, memory_size_mb = u.memory_size_mb, max_memory_used_mb = u.max_memory_used_mb,
          init_duration_ms = u.init_duration_ms, restore_duration_ms = u.restore_duration_ms,
          billed_restore_duration_ms = u.billed_restore_duration_ms, cold_start = u.cold_start, cold_start_kind = u.cold_start_kind,
          status = u.status, error_type = u.error_type, error_message = u.error_message, trace_id = u.trace_id, cost_usd = u.cost_usd,
          complete = u.complete, start_event_id = u.start_event_id, report_event_id = u.report_event_id
         FROM (SELECT x.*, k.id, k.day, k.resource_id FROM ${UNNEST_INVOCATIONS}
               JOIN unnest($1::int8[], $2::date[], $25::int[]) WITH ORDINALITY AS k(id, day, resource_id, n) ON k.n = x.n) AS u
        WHERE i.id = u.id AND i.day = u.day AND i.resource_id = u.resource_id`,
      [
        updates.map(({ u }) => u.id),
        updates.map(({ u }) => u.day),
        ...invocationArrays(updates.map(({ u }) => u.after), updates.map(({ w }) => w.target)),
        updates.map(({ w }) => w.target.resourceId),
      ],
      ),
    );
  }

  const byGrain = new Map<Grain, { resourceId: number; delta: RollupDelta }[]>((Object.keys(GRAINS) as Grain[]).map((g) => [g, []]));
  for (const { w, inserts: ins, updates: upd } of resolved) {
    const costed = (i: ParsedInvocation) => ({ ...i, costUsd: withCost(i, w.target) });
    const changes = [...ins.map((i) => ({ before: null, after: costed(i) })), ...upd.map((u) => ({ before: costed(u.before), after: costed(u.after) }))];
    if (!changes.length) continue;
    counts.changedResourceIds.push(w.target.resourceId);
    for (const [grain, list] of byGrain) for (const delta of rollupDeltas(changes, grain)) list.push({ resourceId: w.target.resourceId, delta });
  }
  await upsertRollups(client, [...byGrain]);

  for (const { w, stored, inserts: ins, updates: upd } of resolved) {
    const merged = new Map(upd.map((u) => [u.id, u.after]));
    const attempts = [...stored.map((s) => merged.get(s.id) ?? s), ...ins];
    counts.errors += await writeErrors(client, w.target.resourceId, w.parsed, attempts);
    counts.invocationsNew += ins.length;
    counts.invocationsUpdated += upd.length;
  }
  return counts;
}
