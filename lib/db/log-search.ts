import type pg from "pg";
import { requiredLiterals, SearchSyntaxError, type LogSearch } from "../ingest/search/parse-query";

export interface LogSearchHit {
  eventId: string;
  ts: string;
  resourceId: number;
  functionName: string;
  region: string;
  requestId: string | null;
  logStream: string;
  level: string | null;
  message: string;
}

export interface LogSearchScope {
  search: LogSearch;
  from: number;
  to: number;
  resourceIds?: number[];
  accountId?: number;
}

export interface LogSearchParams extends LogSearchScope {
  limit: number;
  /** Keyset: the last hit of the previous page. */
  before?: { ts: number; eventId: string };
  /** After this long, a search walking the days returns what the finished days hold (default PARTIAL_AFTER_MS). */
  partialAfterMs?: number;
}

export interface LogSearchPage {
  hits: LogSearchHit[];
  /**
   * Set when the search stopped before the start of the range (its time was up): lines older than this
   * were not searched yet, and a next page continues from here. Null when the range was searched through.
   */
  searchedFrom: number | null;
}

/** A search that ran past its time limit (a pathological regular expression, say). */
export class SearchTimeoutError extends Error {}

const HIT_COLUMNS = `e.event_id AS "eventId", to_char(e.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts, e.resource_id AS "resourceId",
            r.name AS "functionName", r.region, e.request_id AS "requestId", e.log_stream AS "logStream", e.level, e.message`;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

// pg_trgm indexes runs of three letters or digits; text without one (`0`, `id`, `a-b`) has no trigram,
// and an ILIKE on it would read the whole trigram index (every line's posting lists) for nothing.
const INDEXABLE = /[\p{L}\p{N}]{3}/u;

/** A case-insensitive substring check on the line: ILIKE, which the trigram index serves, where it can. */
function containsText(f: Filter, text: string): void {
  if (!INDEXABLE.test(text)) {
    f.where.push(`strpos(lower(e.message), lower(${f.arg(text)})) > 0`);
    return;
  }
  f.where.push(`e.message ILIKE ${f.arg(`%${escapeLike(text)}%`)}`);
  f.indexable = true;
}

// The ingest writes a line's level in this form (lib/ingest/lambda-logs/classify.ts normalizeLevel).
const LEVEL_ALIASES: Record<string, string> = { WARNING: "WARN", FAIL: "ERROR", INFORMATION: "INFO" };
const LEVEL_PATHS = new Set(["level", "log_level"]);

export function levelValue(value: string): string {
  const v = value.toUpperCase();
  return LEVEL_ALIASES[v] ?? v;
}

interface Filter {
  where: string[];
  args: unknown[];
  arg: (v: unknown) => string;
  /** Whether some condition can use an index (a trigram or the level): without one, only time order helps. */
  indexable: boolean;
}

/**
 * The WHERE clause of a search over `log_events e JOIN resources r`. Words and phrases are substrings
 * (ILIKE, which the trigram index serves), regular expressions `~*`, `level = X` the level column the
 * ingest fills (its own index), other JSON fields an exact check behind substring candidates.
 */
function filterOf(p: LogSearchScope): Filter {
  const args: unknown[] = [new Date(p.from), new Date(p.to)];
  const f: Filter = {
    where: ["e.ts >= $1", "e.ts < $2"],
    args,
    arg: (v: unknown) => {
      args.push(v);
      return `$${args.length}`;
    },
    indexable: false,
  };
  for (const text of [...p.search.words, ...p.search.phrases]) containsText(f, text);
  for (const re of p.search.regexes) {
    for (const text of requiredLiterals(re)) containsText(f, text);
    f.where.push(`e.message ~* ${f.arg(re)}`);
  }
  for (const field of p.search.fields) {
    if (field.path.length === 1 && LEVEL_PATHS.has(field.path[0])) {
      f.where.push(`e.level = ${f.arg(levelValue(field.value))}`);
      f.indexable = true;
      continue;
    }
    containsText(f, field.path[field.path.length - 1]);
    containsText(f, field.value);
    f.where.push(`lower(osprey_json_field(e.message, ${f.arg(field.path)}::text[])) = lower(${f.arg(field.value)})`);
  }
  if (p.resourceIds?.length) f.where.push(`e.resource_id = ANY(${f.arg(p.resourceIds)}::int[])`);
  if (p.accountId !== undefined) f.where.push(`r.account_id = ${f.arg(p.accountId)}`);
  return f;
}

const trigramIndex = new WeakMap<object, Promise<boolean>>();

/** Whether the trigram index exists (pg_trgm was available to the migration); without it, searches read the range in time order. */
export function hasTrigramIndex(db: Pick<pg.Pool, "query">): Promise<boolean> {
  let known = trigramIndex.get(db);
  if (!known) {
    known = db.query<{ ok: boolean }>("SELECT to_regclass('log_events_message_trgm_idx') IS NOT NULL AS ok").then((r) => r.rows[0].ok);
    known.catch(() => trigramIndex.delete(db));
    trigramIndex.set(db, known);
  }
  return known;
}

const INVALID_REGEX = "2201B";

/** Refuses a regular expression Postgres cannot compile, with its own reason. */
async function checkRegexes(db: Pick<pg.Pool, "query">, regexes: string[]): Promise<void> {
  for (const re of regexes) {
    try {
      await db.query("SELECT '' ~* $1", [re]);
    } catch (err) {
      if ((err as { code?: string }).code === INVALID_REGEX) throw new SearchSyntaxError(`/${re}/ is not a valid regular expression: ${(err as Error).message.replace(/^invalid regular expression: /, "")}`);
      throw err;
    }
  }
}

/** The planner's estimate of the log lines in [from, to): partition pruning and the ts statistics, no scan. */
async function linesInRange(db: Pick<pg.Pool, "query">, from: number, to: number): Promise<number> {
  const { rows } = await db.query<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }>(
    "EXPLAIN (FORMAT JSON) SELECT 1 FROM log_events WHERE ts >= $1 AND ts < $2",
    [new Date(from), new Date(to)],
  );
  return rows[0]["QUERY PLAN"][0].Plan["Plan Rows"];
}

// About this many lines of the range are read at random to estimate how many match.
const SAMPLE_LINES = 20_000;
// Below this many lines in the range, reading them newest-first is always fast enough.
const SMALL_RANGE = 200_000;

interface Sample {
  /** Sampled share of the range's lines that match. */
  share: number;
  /** Lines matching per bucket, scaled up to the whole range. */
  buckets: Map<number, number>;
}

/** A random sample of the range's blocks (TABLESAMPLE SYSTEM), counted per time bucket. */
async function sampleMatches(db: Pick<pg.Pool, "query">, p: LogSearchScope, inRange: number, bucketMs: number): Promise<Sample> {
  const f = filterOf(p);
  const percent = Math.min(100, Math.max(0.001, (SAMPLE_LINES / Math.max(1, inRange)) * 100));
  const { rows } = await db.query<{ b: string | null; hits: number; n: number }>(
    `SELECT floor(extract(epoch FROM e.ts) * 1000 / ${f.arg(bucketMs)})::bigint * ${f.arg(bucketMs)} AS b,
            count(*) FILTER (WHERE ${f.where.slice(2).join(" AND ") || "true"})::int AS hits, count(*)::int AS n
       FROM log_events e TABLESAMPLE SYSTEM (${f.arg(percent)}) JOIN resources r ON r.id = e.resource_id
      WHERE e.ts >= $1 AND e.ts < $2
      GROUP BY 1`,
    f.args,
  );
  const n = rows.reduce((s, r) => s + r.n, 0);
  const hits = rows.reduce((s, r) => s + r.hits, 0);
  const scale = 100 / percent;
  return {
    share: n ? hits / n : 0,
    buckets: new Map(rows.filter((r) => r.hits > 0).map((r) => [Number(r.b), Math.round(r.hits * scale)])),
  };
}

/**
 * Newest log lines first that hold every word and phrase (anywhere, case-insensitively), match every
 * regular expression and JSON field, over a time range.
 */
export async function searchLogs(db: pg.Pool, p: LogSearchParams): Promise<LogSearchPage> {
  await checkRegexes(db, p.search.regexes);
  const { sql, args, indexable } = searchStatement(p);
  const f = { args, indexable };
  const partialAfterMs = p.partialAfterMs ?? PARTIAL_AFTER_MS;
  if (!f.indexable || !(await hasTrigramIndex(db))) return searchWithPlan(db, sql, f.args, "time", partialAfterMs);
  const inRange = await linesInRange(db, p.from, p.to);
  if (inRange <= SMALL_RANGE) return searchWithPlan(db, sql, f.args, "time", partialAfterMs);
  const share = await recentShare(db, p);
  return searchWithPlan(db, sql, f.args, share >= COMMON_SHARE ? "time-then-index" : "index", partialAfterMs);
}

/**
 * The search's one statement: its range as $1 and $2 (a next page's range ends at its keyset, so the
 * day walk starts there) and its page size as the last argument.
 */
export function searchStatement(p: LogSearchParams): { sql: string; args: unknown[]; indexable: boolean } {
  // Lines at the keyset's own millisecond may follow it, unless the keyset is a day boundary ("" sorts first).
  const f = filterOf(p.before ? { ...p, to: Math.min(p.to, p.before.ts + (p.before.eventId === "" ? 0 : 1)) } : p);
  if (p.before) f.where.push(`(e.ts, e.event_id) < (${f.arg(new Date(p.before.ts))}, ${f.arg(p.before.eventId)})`);
  const sql = `SELECT ${HIT_COLUMNS}
       FROM log_events e JOIN resources r ON r.id = e.resource_id
      WHERE ${f.where.join(" AND ")}
      ORDER BY e.ts DESC, e.event_id DESC
      LIMIT ${f.arg(p.limit)}`;
  return { sql, args: f.args, indexable: f.indexable };
}

// The newest lines of the range that tell how dense matches are where a newest-first read starts.
const RECENT_LINES = 5_000;

/** The share of the range's newest lines that match: cheap (they are read in time order, usually cached) and what decides the plan. */
async function recentShare(db: Pick<pg.Pool, "query">, p: LogSearchScope): Promise<number> {
  const f = filterOf(p);
  const { rows } = await db.query<{ hits: number; n: number }>(
    `SELECT count(*) FILTER (WHERE m)::int AS hits, count(*)::int AS n
       FROM (SELECT (${f.where.slice(2).join(" AND ")}) AS m FROM log_events e JOIN resources r ON r.id = e.resource_id
              WHERE e.ts >= $1 AND e.ts < $2 ORDER BY e.ts DESC LIMIT ${RECENT_LINES}) s`,
    f.args,
  );
  return rows[0].n ? rows[0].hits / rows[0].n : 0;
}

// Two good plans: collect every match through the trigram (and level) indexes, fast for rare text
// (request ids, error messages), or read the log newest-first and stop at the first page of matches,
// fast for common text. Postgres cannot estimate substrings, regular expressions and JSON values, so
// Osprey counts matches among the range's newest 5,000 lines, where a newest-first read starts; one
// that finds too little in its budget (matches dense recently, sparse before) hands over to the indexes. JIT is off:
// on these plans' large cost estimates Postgres would spend more time compiling than searching.
export const INDEX_PLAN = "SET LOCAL jit = off; SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off; SET LOCAL max_parallel_workers_per_gather = 0";
const TIME_ORDER_PLAN = "SET LOCAL jit = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off; SET LOCAL max_parallel_workers_per_gather = 0";
// One line in 500: a page of 50 within about 25,000 lines read newest-first.
const COMMON_SHARE = 0.002;
const TIME_ORDER_BUDGET = "1s";
// Every search stops here: a pathological regular expression cannot hold a connection longer.
export const SEARCH_TIMEOUT_S = 10;
// A search walking the days answers with the newest days' matches once this much time has gone, and
// the next page goes on from there: a common field with a rare value (`userId = 0`, where every line
// has a userId and a 0) would otherwise read a week of lines before showing anything.
const PARTIAL_AFTER_MS = 2_000;
const QUERY_CANCELED = "57014";

async function inTransaction<T extends pg.QueryResultRow>(client: pg.PoolClient, settings: string, sql: string, args: unknown[]): Promise<T[]> {
  await client.query(`BEGIN READ ONLY; ${settings}`);
  try {
    return (await client.query<T>(sql, args)).rows;
  } finally {
    await client.query("ROLLBACK");
  }
}

const isCanceled = (err: unknown) => (err as { code?: string }).code === QUERY_CANCELED;

const DAY_MS = 86_400_000;

/** [from, to) cut at UTC midnights, where the log's day partitions meet, newest day first. */
export function daysNewestFirst(from: number, to: number): [number, number][] {
  const days: [number, number][] = [];
  for (let end = to; end > from; ) {
    const start = Math.max(from, Math.ceil(end / DAY_MS) * DAY_MS - DAY_MS);
    days.push([start, end]);
    end = start;
  }
  return days;
}

/**
 * The index plan, one day partition at a time from the newest, until the page is full: the indexes of
 * older days are not read once the newest days hold a page of matches (a search for text that is rare
 * but made of common trigrams reads a day's posting lists in full). `sql` takes the range as $1, $2 and
 * the page size as its last argument; each day's matches come newest first, so the pages join in order.
 * Once `partialAfterMs` has gone (or a day runs past the search's time), it stops at a day's boundary
 * and says where: the newer days are complete, the older ones are the next page's.
 */
async function indexPlanByDay(client: pg.PoolClient, sql: string, args: unknown[], partialAfterMs: number): Promise<LogSearchPage> {
  const limitAt = args.length - 1;
  const limit = args[limitAt] as number;
  const started = performance.now();
  const deadline = started + SEARCH_TIMEOUT_S * 1000;
  const hits: LogSearchHit[] = [];
  let daysDone = 0;
  for (const [from, to] of daysNewestFirst((args[0] as Date).getTime(), (args[1] as Date).getTime())) {
    if (daysDone > 0 && performance.now() - started >= partialAfterMs) return { hits, searchedFrom: to };
    const left = Math.floor(deadline - performance.now());
    if (left <= 0) return { hits, searchedFrom: to };
    const dayArgs = [new Date(from), new Date(to), ...args.slice(2, limitAt), limit - hits.length];
    try {
      hits.push(...(await inTransaction<LogSearchHit>(client, `SET LOCAL statement_timeout = ${left}; ${INDEX_PLAN}`, sql, dayArgs)));
    } catch (err) {
      if (isCanceled(err) && daysDone > 0) return { hits, searchedFrom: to };
      throw err;
    }
    daysDone++;
    if (hits.length >= limit) break;
  }
  return { hits, searchedFrom: null };
}

async function searchWithPlan(db: pg.Pool, sql: string, args: unknown[], plan: "time" | "index" | "time-then-index", partialAfterMs: number): Promise<LogSearchPage> {
  const client = await db.connect();
  try {
    if (plan === "time-then-index") {
      try {
        return { hits: await inTransaction<LogSearchHit>(client, `SET LOCAL statement_timeout = '${TIME_ORDER_BUDGET}'; ${TIME_ORDER_PLAN}`, sql, args), searchedFrom: null };
      } catch (err) {
        if (!isCanceled(err)) throw err;
      }
    }
    if (plan !== "time") return await indexPlanByDay(client, sql, args, partialAfterMs);
    return { hits: await inTransaction<LogSearchHit>(client, `SET LOCAL statement_timeout = '${SEARCH_TIMEOUT_S}s'; ${TIME_ORDER_PLAN}`, sql, args), searchedFrom: null };
  } catch (err) {
    if (isCanceled(err)) throw new SearchTimeoutError(`The search took longer than ${SEARCH_TIMEOUT_S} s: narrow the time range, add a word, or simplify the regular expression`);
    throw err;
  } finally {
    client.release();
  }
}

const BUCKETS = [60_000, 300_000, 900_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000];

/** The smallest round bucket that cuts the range into at most 120. */
export function histogramBucketMs(from: number, to: number): number {
  return BUCKETS.find((b) => (to - from) / b <= 120) ?? 86_400_000 * Math.ceil((to - from) / 86_400_000 / 120);
}

export interface LogSearchHistogram {
  from: number;
  to: number;
  bucketMs: number;
  /** Bucket starts (epoch ms) with at least one match, ascending. */
  buckets: { t: number; count: number }[];
  /** False when counted from a random sample of the range (too many matches to count in time). */
  exact: boolean;
}

// Up to about this many matches are counted one by one; beyond, the sample's scaled counts are shown.
const EXACT_COUNT_LIMIT = 10_000;
const EXACT_COUNT_BUDGET = "3s";

/** Matching lines per time bucket over the range: exact where that is cheap, else estimated from a sample. */
export async function searchHistogram(db: pg.Pool, p: LogSearchScope): Promise<LogSearchHistogram> {
  await checkRegexes(db, p.search.regexes);
  const bucketMs = histogramBucketMs(p.from, p.to);
  const toList = (m: Map<number, number>) => [...m].map(([t, count]) => ({ t, count })).sort((a, b) => a.t - b.t);
  const indexed = await hasTrigramIndex(db);
  const inRange = await linesInRange(db, p.from, p.to);
  let sample: Sample | null = null;
  if (inRange > SMALL_RANGE) {
    sample = await sampleMatches(db, p, inRange, bucketMs);
    if (!indexed || sample.share * inRange > EXACT_COUNT_LIMIT) return { from: p.from, to: p.to, bucketMs, buckets: toList(sample.buckets), exact: false };
  }
  const f = filterOf(p);
  const sql = `SELECT floor(extract(epoch FROM e.ts) * 1000 / ${f.arg(bucketMs)})::bigint * ${f.arg(bucketMs)} AS t, count(*)::int AS count
       FROM log_events e JOIN resources r ON r.id = e.resource_id
      WHERE ${f.where.join(" AND ")}
      GROUP BY 1 ORDER BY 1`;
  const client = await db.connect();
  try {
    const rows = await inTransaction<{ t: string; count: number }>(
      client,
      `SET LOCAL statement_timeout = '${sample ? EXACT_COUNT_BUDGET : `${SEARCH_TIMEOUT_S}s`}'; SET LOCAL jit = off`,
      sql,
      f.args,
    );
    return { from: p.from, to: p.to, bucketMs, buckets: rows.map((r) => ({ t: Number(r.t), count: r.count })), exact: true };
  } catch (err) {
    if (!isCanceled(err)) throw err;
    if (sample) return { from: p.from, to: p.to, bucketMs, buckets: toList(sample.buckets), exact: false };
    throw new SearchTimeoutError(`Counting the matches took longer than ${SEARCH_TIMEOUT_S} s: narrow the time range or the search`);
  } finally {
    client.release();
  }
}

export interface LogContext {
  before: LogSearchHit[];
  line: LogSearchHit;
  after: LogSearchHit[];
}

// Context stays within a day of the line: a log stream is one execution environment's, hours at most.
const CONTEXT_WINDOW = "1 day";

/** The `n` lines before and after one line in its log stream (the same execution environment), oldest first. */
export async function logContext(db: Pick<pg.Pool, "query">, at: { eventId: string; ts: number }, n: number): Promise<LogContext | null> {
  const { rows: [line] } = await db.query<LogSearchHit>(
    `SELECT ${HIT_COLUMNS} FROM log_events e JOIN resources r ON r.id = e.resource_id WHERE e.event_id = $1 AND e.ts = $2`,
    [at.eventId, new Date(at.ts)],
  );
  if (!line) return null;
  const around = (op: "<" | ">", dir: "ASC" | "DESC", limit: ">= $3::timestamptz -" | "<= $3::timestamptz +") =>
    db.query<LogSearchHit>(
      `SELECT ${HIT_COLUMNS} FROM log_events e JOIN resources r ON r.id = e.resource_id
        WHERE e.resource_id = $1 AND e.log_stream = $2 AND (e.ts, e.event_id) ${op} ($3, $4)
          AND e.ts ${limit} interval '${CONTEXT_WINDOW}'
        ORDER BY e.ts ${dir}, e.event_id ${dir} LIMIT $5`,
      [line.resourceId, line.logStream, new Date(at.ts), at.eventId, n],
    );
  const [before, after] = await Promise.all([around("<", "DESC", ">= $3::timestamptz -"), around(">", "ASC", "<= $3::timestamptz +")]);
  return { before: before.rows.reverse(), line, after: after.rows };
}

export interface LogTailParams {
  search: LogSearch;
  resourceIds?: number[];
  accountId?: number;
  /** Keyset: the newest line the caller has; without it, the newest lines of the last `firstWindowMs`. */
  after?: { ts: number; eventId: string };
  limit: number;
  now: number;
  firstWindowMs: number;
}

/**
 * The live tail's read: lines after the caller's keyset (ts, event_id), oldest first, or on the first
 * call the newest `limit` lines of the last `firstWindowMs`, also oldest first. Same filter as the search.
 */
export async function tailLogLines(db: pg.Pool, p: LogTailParams): Promise<LogSearchHit[]> {
  await checkRegexes(db, p.search.regexes);
  // Up to a day ahead: a function's clock (and the event's timestamp) may run ahead of this one.
  const to = p.now + 86_400_000;
  const f = filterOf({ search: p.search, from: p.after ? p.after.ts : p.now - p.firstWindowMs, to, resourceIds: p.resourceIds, accountId: p.accountId });
  if (p.after) {
    f.where.push(`(e.ts, e.event_id) > (${f.arg(new Date(p.after.ts))}, ${f.arg(p.after.eventId)})`);
    const sql = `SELECT ${HIT_COLUMNS} FROM log_events e JOIN resources r ON r.id = e.resource_id
      WHERE ${f.where.join(" AND ")} ORDER BY e.ts, e.event_id LIMIT ${f.arg(p.limit)}`;
    return (await searchWithPlan(db, sql, f.args, "time", PARTIAL_AFTER_MS)).hits;
  }
  const sql = `SELECT ${HIT_COLUMNS} FROM log_events e JOIN resources r ON r.id = e.resource_id
      WHERE ${f.where.join(" AND ")} ORDER BY e.ts DESC, e.event_id DESC LIMIT ${f.arg(p.limit)}`;
  return (await searchWithPlan(db, sql, f.args, "time", PARTIAL_AFTER_MS)).hits.reverse();
}
