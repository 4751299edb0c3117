import type pg from "pg";
import type { BackfillWindow, ScanWindow } from "../ingest/xray/scan-windows";

type Db = Pick<pg.PoolClient, "query">;

export interface TraceScanKey {
  accountId: number;
  region: string;
  functionName: string;
}

export type ScanDirection = "forward" | "backfill";

interface Row {
  window_from: Date;
  window_to: Date;
  next_token: string | null;
  floor: Date | null;
}

export async function getTraceScan(db: Db, k: TraceScanKey, direction: "forward"): Promise<ScanWindow | null>;
export async function getTraceScan(db: Db, k: TraceScanKey, direction: "backfill"): Promise<BackfillWindow | null>;
export async function getTraceScan(db: Db, k: TraceScanKey, direction: ScanDirection): Promise<ScanWindow | BackfillWindow | null> {
  const { rows } = await db.query<Row>(
    `SELECT window_from, window_to, next_token, floor FROM trace_scans
      WHERE account_id = $1 AND region = $2 AND function_name = $3 AND direction = $4`,
    [k.accountId, k.region, k.functionName, direction],
  );
  const r = rows[0];
  if (!r) return null;
  const window = { from: r.window_from.getTime(), to: r.window_to.getTime(), nextToken: r.next_token };
  return direction === "backfill" ? { ...window, floor: (r.floor ?? r.window_from).getTime() } : window;
}

/** Records the window in progress and its next page; meant for the transaction that wrote the page before it. */
export async function saveTraceScan(db: Db, k: TraceScanKey, direction: ScanDirection, w: ScanWindow & { floor?: number }): Promise<void> {
  await db.query(
    `INSERT INTO trace_scans (account_id, region, function_name, direction, window_from, window_to, next_token, floor, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
     ON CONFLICT (account_id, region, function_name, direction) DO UPDATE SET window_from = EXCLUDED.window_from,
       window_to = EXCLUDED.window_to, next_token = EXCLUDED.next_token, floor = EXCLUDED.floor, updated_at = now()`,
    [k.accountId, k.region, k.functionName, direction, new Date(w.from), new Date(w.to), w.nextToken, w.floor === undefined ? null : new Date(w.floor)],
  );
}

export async function deleteTraceScan(db: Db, k: TraceScanKey, direction: ScanDirection): Promise<void> {
  await db.query("DELETE FROM trace_scans WHERE account_id = $1 AND region = $2 AND function_name = $3 AND direction = $4", [
    k.accountId,
    k.region,
    k.functionName,
    direction,
  ]);
}

export interface TraceCoverage {
  /** Traces of invocations from this time on have been read; null when unknown (nothing read, or read before backfills were kept). */
  readFrom: number | null;
  backfillPending: boolean;
}

/**
 * How far back a function's traces have been read: the backfill's row stays once done, its window
 * closed at its floor (from = to = floor).
 */
export async function getTraceCoverage(db: Db, k: TraceScanKey): Promise<TraceCoverage> {
  const backfill = await getTraceScan(db, k, "backfill");
  if (!backfill) return { readFrom: null, backfillPending: false };
  const done = backfill.from >= backfill.to;
  return { readFrom: done ? backfill.floor : backfill.to, backfillPending: !done };
}

/** The trace coverage of a stored Lambda function, by its resource id. */
export async function getResourceTraceCoverage(db: Db, resourceId: number): Promise<TraceCoverage> {
  const { rows } = await db.query<{ account_id: number; region: string; name: string }>("SELECT account_id, region, name FROM resources WHERE id = $1", [
    resourceId,
  ]);
  const r = rows[0];
  return r ? getTraceCoverage(db, { accountId: r.account_id, region: r.region, functionName: r.name }) : { readFrom: null, backfillPending: false };
}
