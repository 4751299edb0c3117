import pg from "pg";
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

async function wordQueries(db: Pick<pg.Pool, "query">, words: string[]): Promise<(string | null)[]> {
  if (!words.length) return [];
  const { rows } = await db.query<{ q: string | null }>(
    `SELECT (SELECT string_agg(quote_literal(lexeme) || ':*', ' & ') FROM unnest(to_tsvector('simple', w))) AS q
       FROM unnest($1::text[]) WITH ORDINALITY AS t(w, n) ORDER BY n`,
    [words],
  );
  return rows.map((r) => r.q);
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
  // Words become prefix queries of the lexemes Postgres's own parser makes of them (as the index
  // was built). They are resolved first so the search runs with constant text-search queries:
  // the planner then knows how common each term is, and picks the index or the time order.
  for (const q of await wordQueries(db, p.search.words)) if (q) tsq.push(`to_tsquery('simple', ${arg(q)})`);
  for (const ph of p.search.phrases) {
    tsq.push(`phraseto_tsquery('simple', ${arg(ph)})`);
    where.push(`e.message ILIKE ${arg(`%${escapeLike(ph)}%`)}`);
  }
  for (const f of p.search.fields) {
    tsq.push(`plainto_tsquery('simple', ${arg(f.value)})`);
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
  return raceStrategies(db, sql, args);
}

// Postgres cannot tell how common a phrase or a JSON value is, so it may pick the wrong one of two
// good plans: collect every match through the full-text index (fast for rare terms), or read the
// log newest-first and stop at the first page of matches (fast for common ones). Both run at once,
// each on its own connection; the first answer wins and the other query is cancelled.
const STRATEGIES = {
  index: "SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off; SET LOCAL max_parallel_workers_per_gather = 0",
  timeOrder: "SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off; SET LOCAL max_parallel_workers_per_gather = 0",
};

/** Cancels running queries from a connection of its own: the pool's may all be in use by them. */
async function cancelBackends(db: pg.Pool, pids: number[]): Promise<void> {
  const c = new pg.Client(db.options);
  try {
    await c.connect();
    await c.query("SELECT pg_cancel_backend(pid) FROM unnest($1::int[]) AS pid", [pids]);
  } finally {
    await c.end().catch(() => {});
  }
}

// A losing search must never run on unseen: the most it may take before Postgres stops it.
const STATEMENT_TIMEOUT = "SET LOCAL statement_timeout = '15s'";

async function raceStrategies(db: pg.Pool, sql: string, args: unknown[]): Promise<LogSearchHit[]> {
  const settings = Object.values(STRATEGIES);
  const clients = await Promise.all(settings.map(() => db.connect()));
  const settled = new Set<number>();
  let decided = false;
  const runs = settings.map(async (setting, i) => {
    try {
      await clients[i].query(`BEGIN READ ONLY; ${STATEMENT_TIMEOUT}; ${setting}`);
      if (decided) return [];
      return (await clients[i].query<LogSearchHit>(sql, args)).rows;
    } finally {
      settled.add(i);
    }
  });
  const cleanUp = async () => {
    // A cancel that arrives before the loser's query starts does nothing: repeat until it has stopped.
    while (settled.size < clients.length) {
      const pids = clients.filter((_, i) => !settled.has(i)).map((c) => (c as unknown as { processID: number }).processID);
      await cancelBackends(db, pids).catch(() => {});
      await Promise.race([Promise.allSettled(runs), new Promise((r) => setTimeout(r, 100))]);
    }
    // A cancel can land at any point of the loser's work: end each transaction before the connection goes back.
    await Promise.all(clients.map((c) => c.query("ROLLBACK").then(() => c.release(), (err: Error) => c.release(err))));
  };
  try {
    return await Promise.any(runs).catch((err: AggregateError) => Promise.reject(err.errors[0]));
  } finally {
    decided = true;
    // The answer need not wait for the losing query to notice its cancellation.
    void cleanUp();
  }
}
