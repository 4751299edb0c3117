import { BatchGetTracesCommand, paginateGetTraceSummaries, type Trace } from "@aws-sdk/client-xray";
import type pg from "pg";
import { createAwsClients, destroyAwsClients } from "../../lib/aws/clients";
import { toIngestWarning, type IngestWarningInput } from "../../lib/aws/call-failure";
import { describeAwsError } from "../../lib/aws/errors";
import type { AccountRow } from "../../lib/db/account-access";
import { advanceCursor, getCursor } from "../../lib/db/cursors";
import { recordIngestWarnings } from "../../lib/db/ingest-warnings";
import { listLambdaTargets } from "../../lib/db/resources";
import { knownFunctions, upsertSpans } from "../../lib/db/spans";
import { chunkTraceIds, spanResourceIds, traceSummaryFilter, tracesToSpans } from "../../lib/ingest/xray";

// Segments reach X-Ray a little after the request ends; each pass looks back this much.
export const TRACE_LATE_WINDOW_MS = 5 * 60_000;
export const TRACES_FIRST_LOOKBACK_MS = 3_600_000;
// GetTraceSummaries accepts at most 6 hours per call.
const MAX_SUMMARY_RANGE_MS = 6 * 3_600_000;

export interface TracesPassOptions {
  now?: number;
  lookbackMs?: number;
}

/** One pass of X-Ray traces for every function with active tracing in an account and region. */
export async function pullTraces(db: pg.Pool, account: AccountRow, region: string, opts: TracesPassOptions = {}) {
  const now = opts.now ?? Date.now();
  const targets = (await listLambdaTargets(db, account.id, region)).filter((t) => t.tracingMode === "Active");
  const counts = { functions: targets.length, traces: 0, spans: 0, skippedSegments: 0, calls: 0 };
  const problems: string[] = [];
  const warnings: IngestWarningInput[] = [];
  if (!targets.length) return { counts, problems };
  const functions = await knownFunctions(db, account.id, region);
  const scope = { region, accountId: account.awsAccountId };
  const clients = createAwsClients(account, region);
  try {
    for (const fn of targets) {
      const key = { job: "traces", accountId: account.id, region, key: fn.name };
      try {
        const cursor = await getCursor(db, key);
        let from = cursor === null ? now - (opts.lookbackMs ?? TRACES_FIRST_LOOKBACK_MS) : cursor - TRACE_LATE_WINDOW_MS;
        while (from < now) {
          const to = Math.min(now, from + MAX_SUMMARY_RANGE_MS);
          const ids: string[] = [];
          const pages = paginateGetTraceSummaries(
            { client: clients.xray },
            { StartTime: new Date(from), EndTime: new Date(to), FilterExpression: traceSummaryFilter(fn.name), TimeRangeType: "Event" },
          );
          for await (const page of pages) {
            counts.calls++;
            for (const s of page.TraceSummaries ?? []) if (s.Id) ids.push(s.Id);
          }
          for (const chunk of chunkTraceIds(ids)) {
            const traces: Trace[] = [];
            let next: string | undefined;
            do {
              const res = await clients.xray.send(new BatchGetTracesCommand({ TraceIds: chunk, NextToken: next }));
              counts.calls++;
              traces.push(...(res.Traces ?? []));
              next = res.NextToken;
            } while (next);
            const { spans, skipped } = tracesToSpans(traces);
            counts.traces += traces.length;
            counts.skippedSegments += skipped.length;
            counts.spans += await upsertSpans(db, spans, spanResourceIds(spans, functions, scope, fn.id));
          }
          await advanceCursor(db, key, to);
          from = to;
        }
      } catch (err) {
        problems.push(`${fn.name}: ${describeAwsError(err)}`);
        // One function's failure (a denied call, a filter the endpoint rejects) is its own warning.
        warnings.push(toIngestWarning("traces", fn.name, null, err));
      }
    }
  } finally {
    destroyAwsClients(clients);
  }
  await recordIngestWarnings(db, { accountId: account.id, region }, ["traces"], warnings);
  if (targets.length && problems.length === targets.length) throw new Error(`trace ingestion failed for every function: ${problems[0]}`);
  return { counts, problems };
}
