import type pg from "pg";
import type { LogEventInput } from "../ingest/lambda-logs/types";
import { toStorableText } from "../ingest/text/storable";

export interface QuarantineScope {
  accountId: number;
  region: string;
  logGroup: string;
}

// SQLSTATE classes that blame the rows, not the server: 22 data exception (bad encoding, out-of-range
// timestamp), 23 integrity constraint violation (incl. "no partition of relation found for row"),
// 54 program limit exceeded (a value too large to index).
const DATA_ERROR_CLASSES = new Set(["22", "23", "54"]);

/** The parser threw on these events: as much the data's fault as a row Postgres refuses. */
export class ParseFailure extends Error {
  constructor(readonly cause: unknown) {
    super(`the log parser failed: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = "ParseFailure";
  }
}

/** True when the error is about the rows written (split the chunk), false for connection, lock or server trouble (retry it). */
export function isDataError(err: unknown): boolean {
  if (err instanceof ParseFailure) return true;
  const code = (err as { code?: unknown })?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && DATA_ERROR_CLASSES.has(code.slice(0, 2));
}

export function sqlStateOf(err: unknown): string | null {
  const code = (err as { code?: unknown })?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/** Keeps one event Postgres refused, with why; seeing it again only bumps its last-seen time and count. */
export async function quarantineEvent(db: Pick<pg.Pool, "query">, scope: QuarantineScope, event: LogEventInput, err: unknown, now = new Date()): Promise<void> {
  const reason = toStorableText(String((err as Error)?.message ?? err)).slice(0, 1000);
  await db.query(
    `INSERT INTO quarantined_events (account_id, region, log_group, event_id, event_ts_ms, log_stream, message, reason, sqlstate, first_seen_at, last_seen_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
     ON CONFLICT (account_id, region, log_group, event_id) DO UPDATE SET
       reason = EXCLUDED.reason, sqlstate = EXCLUDED.sqlstate, last_seen_at = EXCLUDED.last_seen_at,
       seen_count = quarantined_events.seen_count + 1`,
    [
      scope.accountId,
      scope.region,
      toStorableText(scope.logGroup),
      toStorableText(event.eventId),
      Number.isFinite(event.timestamp) ? event.timestamp : null,
      toStorableText(event.logStreamName),
      toStorableText(event.message),
      reason,
      sqlStateOf(err),
      now,
    ],
  );
}

/** Which of these events are quarantined already: a re-read skips them instead of isolating them again. */
export async function quarantinedEventIds(db: Pick<pg.Pool, "query">, scope: QuarantineScope, eventIds: string[]): Promise<Set<string>> {
  if (!eventIds.length) return new Set();
  const { rows } = await db.query<{ event_id: string }>(
    "SELECT event_id FROM quarantined_events WHERE account_id = $1 AND region = $2 AND log_group = $3 AND event_id = ANY($4::text[])",
    [scope.accountId, scope.region, scope.logGroup, eventIds.map(toStorableText)],
  );
  return new Set(rows.map((r) => r.event_id));
}
