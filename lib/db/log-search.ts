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

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Newest log lines first that hold every word (as a prefix), phrase and JSON field of the search,
 * over a time range. The full-text index finds candidates; exact checks run on them only.
 */
export async function searchLogs(db: Pick<pg.Pool, "query">, p: LogSearchParams): Promise<LogSearchHit[]> {
  const args: unknown[] = [new Date(p.from), new Date(p.to)];
  const arg = (v: unknown) => {
    args.push(v);
    return `$${args.length}`;
  };
  const where = ["e.ts >= $1", "e.ts < $2"];
  const tsq: string[] = [];
  // Each term is parsed by Postgres's own text-search parser, as the index was built.
  for (const w of p.search.words) {
    tsq.push(`coalesce((SELECT to_tsquery('simple', string_agg(quote_literal(lexeme) || ':*', ' & ')) FROM unnest(to_tsvector('simple', ${arg(w)}))), ''::tsquery)`);
  }
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
  const { rows } = await db.query<LogSearchHit>(
    `SELECT e.event_id AS "eventId", to_char(e.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts, e.resource_id AS "resourceId",
            r.name AS "functionName", r.region, e.request_id AS "requestId", e.log_stream AS "logStream", e.level, e.message
       FROM log_events e JOIN resources r ON r.id = e.resource_id
      WHERE ${where.join(" AND ")}
      ORDER BY e.ts DESC, e.event_id DESC
      LIMIT ${arg(p.limit)}`,
    args,
  );
  return rows;
}
