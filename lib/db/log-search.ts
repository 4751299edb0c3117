import type pg from "pg";
import type { LogSearch } from "../ingest/search/parse-query";

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

export interface LogSearchParams {
  search: LogSearch;
  from: number;
  to: number;
  resourceIds?: number[];
  accountId?: number;
  limit: number;
  /** Keyset: the last hit of the previous page. */
  before?: { ts: number; eventId: string };
}

interface IndexWord {
  text: string;
  /** Whole words (inside a phrase, between two spaces) match their lexeme exactly; others as a prefix. */
  whole: boolean;
}

/**
 * For each word, the text-search query that finds it in the full-text index: its longest plain part
 * (no hyphen), exactly or as a prefix. Postgres's parser splits a compound such as a request id
 * differently alone than inside a line, and differently again when it parses a query's text, so the
 * lexeme is cast to tsquery as it is, never parsed again. Null for a word with no lexeme (punctuation).
 */
async function wordQueries(db: Pick<pg.Pool, "query">, words: IndexWord[]): Promise<(string | null)[]> {
  if (!words.length) return [];
  const { rows } = await db.query<{ q: string | null }>(
    `SELECT (SELECT quote_literal(lexeme) || CASE WHEN whole THEN '' ELSE ':*' END FROM unnest(to_tsvector('simple', w))
              ORDER BY position('-' IN lexeme) > 0, length(lexeme) DESC LIMIT 1) AS q
       FROM unnest($1::text[], $2::bool[]) WITH ORDINALITY AS t(w, whole, n) ORDER BY n`,
    [words.map((w) => w.text), words.map((w) => w.whole && !/[^A-Za-z0-9_]/.test(w.text))],
  );
  return rows.map((r) => r.q);
}

/** A phrase's words: the first and last may be parts of longer words in the line, the ones between are whole. */
function phraseWords(phrase: string): IndexWord[] {
  const words = phrase.split(/\s+/).filter(Boolean);
  return words.map((text, i) => ({ text, whole: i > 0 && i < words.length - 1 }));
}

/**
 * An upper bound on the share of log lines that match every term, from the lexeme frequencies
 * ANALYZE keeps for the full-text index (the newest partitions'): a lexeme missing from them is
 * rarer than any listed. Null when there are no statistics yet.
 */
async function matchShareBound(db: Pick<pg.Pool, "query">, terms: { text: string; prefix: boolean }[]): Promise<number | null> {
  const { rows } = await db.query<{ elems: string[] | null; freqs: number[] | null; lexemes: string[][] }>(
    `SELECT s.most_common_elems::text::text[] AS elems, s.most_common_elem_freqs AS freqs,
            (SELECT json_agg((SELECT coalesce(json_agg(lexeme), '[]'::json) FROM unnest(to_tsvector('simple', t))) ORDER BY n)
               FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n)) AS lexemes
       FROM pg_stats s
      WHERE s.tablename IN (SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                             WHERE i.inhparent = to_regclass('log_events_message_fts_idx'))
        AND s.most_common_elems IS NOT NULL
      ORDER BY s.tablename DESC LIMIT 1`,
    [terms.map((t) => t.text)],
  );
  const r = rows[0];
  if (!r?.elems || !r.freqs) return null;
  const { elems, freqs } = r;
  const freq = new Map(elems.map((e, i) => [e, freqs[i]]));
  let bound = 1;
  r.lexemes.forEach((lexemes, i) => {
    for (const l of lexemes) {
      const share = terms[i].prefix ? elems.reduce((sum, e, j) => (e.startsWith(l) ? sum + freqs[j] : sum), 0) : (freq.get(l) ?? 0);
      bound = Math.min(bound, share);
    }
  });
  return bound;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Newest log lines first that hold every word (as a prefix), phrase and JSON field of the search,
 * over a time range. The full-text index finds candidates; exact checks run on them only.
 */
export async function searchLogs(db: pg.Pool, p: LogSearchParams): Promise<LogSearchHit[]> {
  const args: unknown[] = [new Date(p.from), new Date(p.to)];
  const arg = (v: unknown) => {
    args.push(v);
    return `$${args.length}`;
  };
  const where = ["e.ts >= $1", "e.ts < $2"];
  const tsq: string[] = [];
  // Every word, and every word of a phrase or a JSON value, narrows the candidates through the index;
  // the exact checks (the text itself, the phrase, the field's value) then run on those only.
  // A JSON field's value is the whole value, every word of it whole.
  const indexWords = [
    ...[...p.search.words, ...p.search.phrases].flatMap(phraseWords),
    ...p.search.fields.flatMap((f) => f.value.split(/\s+/).filter(Boolean).map((text) => ({ text, whole: true }))),
  ];
  for (const q of await wordQueries(db, indexWords)) if (q) tsq.push(`${arg(q)}::tsquery`);
  for (const w of p.search.words) where.push(`e.message ILIKE ${arg(`%${escapeLike(w)}%`)}`);
  for (const ph of p.search.phrases) where.push(`e.message ILIKE ${arg(`%${escapeLike(ph)}%`)}`);
  for (const f of p.search.fields) {
    where.push(`lower(osprey_json_field(e.message, ${arg(f.path)}::text[])) = lower(${arg(f.value)})`);
  }
  if (tsq.length) where.push(`to_tsvector('simple', e.message) @@ (${tsq.join(" && ")})`);
  if (p.resourceIds?.length) where.push(`e.resource_id = ANY(${arg(p.resourceIds)}::int[])`);
  if (p.accountId !== undefined) where.push(`r.account_id = ${arg(p.accountId)}`);
  if (p.before) where.push(`(e.ts, e.event_id) < (${arg(new Date(p.before.ts))}, ${arg(p.before.eventId)})`);
  const sql = `SELECT e.event_id AS "eventId", to_char(e.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts, e.resource_id AS "resourceId",
            r.name AS "functionName", r.region, e.request_id AS "requestId", e.log_stream AS "logStream", e.level, e.message
       FROM log_events e JOIN resources r ON r.id = e.resource_id
      WHERE ${where.join(" AND ")}
      ORDER BY e.ts DESC, e.event_id DESC
      LIMIT ${arg(p.limit)}`;
  if (!tsq.length) return (await db.query<LogSearchHit>(sql, args)).rows;
  const bound = await matchShareBound(db, [
    ...p.search.words.map((text) => ({ text, prefix: true })),
    ...p.search.phrases.map((text) => ({ text, prefix: false })),
    ...p.search.fields.map((f) => ({ text: f.value, prefix: false })),
  ]);
  return searchWithPlan(db, sql, args, bound !== null && bound >= COMMON_SHARE);
}

// Two good plans: collect every match through the full-text index (fast for rare terms: request
// ids, error messages), or read the log newest-first and stop at the first page of matches (fast
// for common ones). Postgres cannot estimate phrases and JSON values, so Osprey chooses from the
// index's own lexeme statistics; a newest-first read that finds too little in its budget (terms
// that are common apart but rare together) hands over to the index. JIT compilation is off: on
// these plans' large cost estimates Postgres would spend more time compiling than searching.
const INDEX_PLAN = "SET LOCAL jit = off; SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off; SET LOCAL max_parallel_workers_per_gather = 0";
const TIME_ORDER_PLAN = "SET LOCAL jit = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off; SET LOCAL max_parallel_workers_per_gather = 0";
// One line in 500: a page of 50 within about 25,000 lines read newest-first.
const COMMON_SHARE = 0.002;
const TIME_ORDER_BUDGET = "2s";
const SEARCH_TIMEOUT = "15s";
const QUERY_CANCELED = "57014";

async function inTransaction(client: pg.PoolClient, settings: string, sql: string, args: unknown[]): Promise<LogSearchHit[]> {
  await client.query(`BEGIN READ ONLY; ${settings}`);
  try {
    return (await client.query<LogSearchHit>(sql, args)).rows;
  } finally {
    await client.query("ROLLBACK");
  }
}

async function searchWithPlan(db: pg.Pool, sql: string, args: unknown[], common: boolean): Promise<LogSearchHit[]> {
  const client = await db.connect();
  try {
    if (common) {
      try {
        return await inTransaction(client, `SET LOCAL statement_timeout = '${TIME_ORDER_BUDGET}'; ${TIME_ORDER_PLAN}`, sql, args);
      } catch (err) {
        if ((err as { code?: string }).code !== QUERY_CANCELED) throw err;
      }
    }
    return await inTransaction(client, `SET LOCAL statement_timeout = '${SEARCH_TIMEOUT}'; ${INDEX_PLAN}`, sql, args);
  } finally {
    client.release();
  }
}
