import { BatchGetTracesCommand, GetTraceSummariesCommand, type Trace, type XRayClient } from "@aws-sdk/client-xray";
import type pg from "pg";
import { createAwsClients, destroyAwsClients } from "../../lib/aws/clients";
import { toIngestWarning, type IngestWarningInput } from "../../lib/aws/call-failure";
import { describeAwsError, isThrottling } from "../../lib/aws/errors";
import type { AccountRow } from "../../lib/db/account-access";
import { advanceCursor, getCursor, type CursorKey } from "../../lib/db/cursors";
import { recordIngestWarnings } from "../../lib/db/ingest-warnings";
import { listLambdaTargets } from "../../lib/db/resources";
import { knownFunctions, upsertSpans } from "../../lib/db/spans";
import { inTransaction } from "../../lib/db/transaction";
import { deleteTraceScan, getTraceScan, saveTraceScan, type TraceScanKey } from "../../lib/db/trace-scans";
import { chunkTraceIds, spanResourceIds, traceSummaryFilter, tracesToSpans, type KnownFunction, type SpanScope } from "../../lib/ingest/xray";
import { backfillBelow, forwardWindowAfter, planFirstScan, type BackfillWindow, type ScanWindow } from "../../lib/ingest/xray/scan-windows";
import { acquireCall, countUnits } from "../../lib/db/api-quota";
import { FIRST_READ_LOOKBACK_MS } from "./logs";

// X-Ray allows GetTraceSummaries and BatchGetTraces 5 requests a second each per account and region:
// every worker process together stays just under (the bucket is shared through Postgres, lib/db/api-quota.ts).
export const XRAY_CALLS_PER_SECOND = 4.5;

type XrayApi = "GetTraceSummaries" | "BatchGetTraces";
const xrayKey = (s: FunctionScan, api: XrayApi) => ({ accountId: s.key.accountId, region: s.key.region, api });

/** Waits for this call's turn at the account and region's shared quota for an X-Ray API; what it bills is counted after it. */
function xrayTurn(s: FunctionScan, api: XrayApi): Promise<void> {
  return acquireCall(s.db, xrayKey(s, api), { perSecond: s.callsPerSecond }, 0);
}

/** X-Ray bills the traces a call scanned or returned (lib/analysis/api-prices.ts): counted once the answer says how many. */
function countTraces(s: FunctionScan, api: XrayApi, traces: number | undefined): Promise<void> {
  return countUnits(s.db, xrayKey(s, api), traces ?? 0);
}

// Segments reach X-Ray a little after the request ends; each pass looks back this much.
export const TRACE_LATE_WINDOW_MS = 5 * 60_000;
// The first read takes this most recent part forward; the rest of the lookback is backfilled after it.
export const TRACES_FIRST_LOOKBACK_MS = 3_600_000;

export interface TracesPassOptions {
  now?: number;
  /** How far back the first read of a function goes: the logs' first window unless told. */
  lookbackMs?: number;
  /** Time a pass may spend on backfills once every function's recent traces are read; the rest waits for the next pass. */
  backfillBudgetMs?: number;
  /** Calls a second to each X-Ray API, shared by every worker process; AWS allows 5 (XRAY_CALLS_PER_SECOND). */
  callsPerSecond?: number;
}

type Counts = {
  functions: number;
  traces: number;
  spans: number;
  skippedSegments: number;
  calls: number;
  pages: number;
  backfillPending: number;
};

interface FunctionScan {
  db: pg.Pool;
  xray: XRayClient;
  key: TraceScanKey;
  callsPerSecond: number;
  cursorKey: CursorKey;
  fn: { id: number; name: string };
  functions: KnownFunction[];
  scope: SpanScope;
  counts: Counts;
}

async function fetchTraces(s: FunctionScan, ids: string[]): Promise<Trace[]> {
  const traces: Trace[] = [];
  for (const chunk of chunkTraceIds(ids)) {
    let next: string | undefined;
    do {
      await xrayTurn(s, "BatchGetTraces");
      const res = await s.xray.send(new BatchGetTracesCommand({ TraceIds: chunk, NextToken: next }));
      s.counts.calls++;
      await countTraces(s, "BatchGetTraces", res.Traces?.length);
      traces.push(...(res.Traces ?? []));
      next = res.NextToken;
    } while (next);
  }
  return traces;
}

async function summaryPage(s: FunctionScan, w: ScanWindow) {
  const input = { StartTime: new Date(w.from), EndTime: new Date(w.to), FilterExpression: traceSummaryFilter(s.fn.name), TimeRangeType: "Event" as const };
  try {
    s.counts.calls++;
    await xrayTurn(s, "GetTraceSummaries");
    return scanned(s, await s.xray.send(new GetTraceSummariesCommand({ ...input, NextToken: w.nextToken ?? undefined })));
  } catch (err) {
    // A page token kept across a restart may have expired: read its window again from the start (writes are idempotent).
    if (w.nextToken === null || isThrottling(err) || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 400) throw err;
    s.counts.calls++;
    await xrayTurn(s, "GetTraceSummaries");
    return scanned(s, await s.xray.send(new GetTraceSummariesCommand(input)));
  }
}

/** Counts what a GetTraceSummaries page scanned: every trace it processed, matching the filter or not. */
async function scanned<T extends { TracesProcessedCount?: number; TraceSummaries?: unknown[] }>(s: FunctionScan, page: T): Promise<T> {
  await countTraces(s, "GetTraceSummaries", page.TracesProcessedCount ?? page.TraceSummaries?.length);
  return page;
}

/**
 * Reads one window page by page. Each page's spans are written in one transaction with the scan's
 * next page (or, after the last page, `finish`), so a crash re-reads at most the page in flight.
 * Returns false when `stop` said to pause before the window was done.
 */
async function readWindow(
  s: FunctionScan,
  window: ScanWindow,
  saveProgress: (client: pg.PoolClient, w: ScanWindow) => Promise<void>,
  finish: (client: pg.PoolClient) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<boolean> {
  let w = window;
  for (;;) {
    if (stop()) return false;
    const page = await summaryPage(s, w);
    s.counts.pages++;
    const ids = (page.TraceSummaries ?? []).flatMap((t) => (t.Id ? [t.Id] : []));
    const traces = ids.length ? await fetchTraces(s, ids) : [];
    const { spans, skipped } = tracesToSpans(traces);
    s.counts.traces += traces.length;
    s.counts.skippedSegments += skipped.length;
    const next = page.NextToken ? { ...w, nextToken: page.NextToken } : null;
    await inTransaction(s.db, async (client) => {
      s.counts.spans += await upsertSpans(client, spans, spanResourceIds(spans, s.functions, s.scope, s.fn.id));
      if (next) await saveProgress(client, next);
      else await finish(client);
    });
    if (!next) return true;
    w = next;
  }
}

/** New traces: resumes the forward window in progress, else reads from the cursor (less the late window) to now. */
async function readForward(s: FunctionScan, now: number, lookbackMs: number): Promise<void> {
  let window = await getTraceScan(s.db, s.key, "forward");
  if (!window) {
    const cursor = await getCursor(s.db, s.cursorKey);
    if (cursor === null) {
      const first = planFirstScan(now, lookbackMs, TRACES_FIRST_LOOKBACK_MS);
      window = first.forward;
      // The backfill is planned once, with the first read; done, it stays closed at its floor.
      const backfill = first.backfill ?? { from: first.forward.from, to: first.forward.from, floor: first.forward.from, nextToken: null };
      await inTransaction(s.db, async (client) => {
        await saveTraceScan(client, s.key, "forward", window!);
        await saveTraceScan(client, s.key, "backfill", backfill);
      });
    } else {
      window = forwardWindowAfter(cursor - TRACE_LATE_WINDOW_MS, now);
    }
  }
  while (window) {
    const w: ScanWindow = window;
    await readWindow(
      s,
      w,
      (client, next) => saveTraceScan(client, s.key, "forward", next),
      async (client) => {
        await advanceCursor(client, s.cursorKey, w.to);
        await deleteTraceScan(client, s.key, "forward");
      },
    );
    window = forwardWindowAfter(w.to, now);
  }
}

/** Older traces of the first read's lookback, most recent window first, while the pass's budget lasts. */
async function readBackfill(s: FunctionScan, deadline: number): Promise<void> {
  let window: BackfillWindow | null = await getTraceScan(s.db, s.key, "backfill");
  while (window && window.from < window.to) {
    const w: BackfillWindow = window;
    const below = backfillBelow(w.from, w.floor) ?? { from: w.floor, to: w.floor, floor: w.floor, nextToken: null };
    const done = await readWindow(
      s,
      w,
      (client, next) => saveTraceScan(client, s.key, "backfill", { ...next, floor: w.floor }),
      (client) => saveTraceScan(client, s.key, "backfill", below),
      () => Date.now() >= deadline,
    );
    if (!done) break;
    window = below;
  }
  if (window && window.from < window.to) s.counts.backfillPending++;
}

/**
 * One pass of X-Ray traces for every function with active tracing in an account and region: first
 * each function's new traces, then the backfill of the first read's lookback (the logs' 24 h by
 * default), recent windows first, within `backfillBudgetMs`.
 */
export async function pullTraces(db: pg.Pool, account: AccountRow, region: string, opts: TracesPassOptions = {}) {
  const now = opts.now ?? Date.now();
  const lookbackMs = opts.lookbackMs ?? FIRST_READ_LOOKBACK_MS;
  const targets = (await listLambdaTargets(db, account.id, region)).filter((t) => t.tracingMode === "Active");
  const counts: Counts = { functions: targets.length, traces: 0, spans: 0, skippedSegments: 0, calls: 0, pages: 0, backfillPending: 0 };
  const problems: string[] = [];
  const warnings: IngestWarningInput[] = [];
  if (!targets.length) return { counts, problems };
  const functions = await knownFunctions(db, account.id, region);
  const scope = { region, accountId: account.awsAccountId };
  const clients = createAwsClients(account, region);
  const failed = new Set<string>();
  const scans = targets.map(
    (fn): FunctionScan => ({
      db,
      xray: clients.xray,
      key: { accountId: account.id, region, functionName: fn.name },
      callsPerSecond: opts.callsPerSecond ?? XRAY_CALLS_PER_SECOND,
      cursorKey: { job: "traces", accountId: account.id, region, key: fn.name },
      fn,
      functions,
      scope,
      counts,
    }),
  );
  const each = async (work: (s: FunctionScan) => Promise<void>) => {
    for (const s of scans) {
      if (failed.has(s.fn.name)) continue;
      try {
        await work(s);
      } catch (err) {
        failed.add(s.fn.name);
        problems.push(`${s.fn.name}: ${describeAwsError(err)}`);
        // One function's failure (a denied call, a filter the endpoint rejects) is its own warning.
        warnings.push(toIngestWarning("traces", s.fn.name, null, err));
      }
    }
  };
  try {
    await each((s) => readForward(s, now, lookbackMs));
    const deadline = Date.now() + (opts.backfillBudgetMs ?? Infinity);
    await each((s) => readBackfill(s, deadline));
  } finally {
    destroyAwsClients(clients);
  }
  await recordIngestWarnings(db, { accountId: account.id, region }, ["traces"], warnings);
  if (targets.length && problems.length === targets.length) throw new Error(`trace ingestion failed for every function: ${problems[0]}`);
  return { counts, problems };
}
