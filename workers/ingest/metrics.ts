import { GetMetricDataCommand, type CloudWatchClient, type MetricDataResult } from "@aws-sdk/client-cloudwatch";
import type pg from "pg";
import { createAwsClients, destroyAwsClients } from "../../lib/aws/clients";
import { classifyCallFailure, toIngestWarning } from "../../lib/aws/call-failure";
import { describeAwsError } from "../../lib/aws/errors";
import type { AccountRow } from "../../lib/db/account-access";
import { advanceCursor, getCursor } from "../../lib/db/cursors";
import { recordIngestWarnings } from "../../lib/db/ingest-warnings";
import { upsertMetricPoints } from "../../lib/db/metric-points";
import { acquireCall, type QuotaKey } from "../../lib/db/api-quota";
import {
  MAX_QUERIES_PER_CALL,
  buildMetricQueries,
  resourcesWithData,
  type MetricPointsResult,
  type MetricQueryPlan,
  metricResourceOf,
  metricResultsToPoints,
  planMetricWindows,
  type MetricWindow,
  type MetricResource,
  type StoredResource,
} from "../../lib/ingest/metrics";
import { FIRST_READ_LOOKBACK_MS, GET_METRIC_DATA_PER_SECOND } from "./logs";

// CloudWatch revises the newest minutes as late data arrives: each pass re-reads this much.
export const METRIC_REVISION_WINDOW_MS = 15 * 60_000;
// A first pass reads as far back as the first log read, so every chart of a new account has its day.
export const METRICS_FIRST_LOOKBACK_MS = FIRST_READ_LOOKBACK_MS;

export interface MetricsPassOptions {
  now?: number;
  lookbackMs?: number;
}

/**
 * One pass of CloudWatch metrics for every live resource of an account and region, in as few
 * GetMetricData calls as the limits allow. A query AWS rejects is recorded; the rest lands.
 */
export async function pullMetrics(db: pg.Pool, account: AccountRow, region: string, opts: MetricsPassOptions = {}) {
  const now = opts.now ?? Date.now();
  const { rows } = await db.query<StoredResource>(
    `SELECT id, kind, name, arn, config->>'protocol' AS protocol, config->>'apiId' AS "apiId"
       FROM resources WHERE account_id = $1 AND region = $2 AND deleted_at IS NULL ORDER BY id`,
    [account.id, region],
  );
  const counts = { resources: rows.length, calls: 0, queries: 0, points: 0, rejected: 0 };
  const problems: string[] = [];
  if (!rows.length) return { counts, problems };
  const key = { job: "metrics", accountId: account.id, region, key: "all" };
  const cursor = await getCursor(db, key);
  const from = cursor === null ? now - (opts.lookbackMs ?? METRICS_FIRST_LOOKBACK_MS) : cursor - METRIC_REVISION_WINDOW_MS;
  const resources = rows.map(metricResourceOf).filter((r): r is MetricResource => r !== null);
  const scope = { accountId: account.id, region };
  const clients = createAwsClients(account, region);
  try {
    const pass: PassScope = { db, cloudwatch: clients.cloudwatch, quota: { ...scope, api: "GetMetricData" }, counts, problems };
    for (const window of planMetricWindows(from, now)) await pullWindow(pass, resources, window);
  } catch (err) {
    const kind = classifyCallFailure(err);
    // Throttling, 5xx and unusable credentials fail the job (retried with backoff); a call this
    // account may not make, or this endpoint does not serve, only costs the metrics. The cursor
    // stays, so the window is read again once the call succeeds.
    if (kind === "transient" || kind === "credentials") throw new Error(`GetMetricData failed: ${describeAwsError(err)}`);
    await recordIngestWarnings(db, scope, ["metrics"], [toIngestWarning("metrics", "", "cloudwatch:GetMetricData", err)]);
    return { counts, problems: [...problems, `GetMetricData: ${describeAwsError(err)}`] };
  } finally {
    destroyAwsClients(clients);
  }
  await advanceCursor(db, key, now);
  await recordIngestWarnings(db, scope, ["metrics"], []);
  return { counts, problems };
}

interface MetricsPassCounts {
  calls: number;
  /** metrics asked for: what GetMetricData bills */
  queries: number;
  points: number;
  rejected: number;
}

interface PassScope {
  db: pg.Pool;
  cloudwatch: CloudWatchClient;
  quota: QuotaKey;
  counts: MetricsPassCounts;
  problems: string[];
}

/**
 * Every resource's metrics over one window at its period. First the presence metrics of every resource
 * (a Lambda function's Invocations and Throttles) and all metrics of the kinds without any, then the other
 * metrics only of the resources that showed data: an idle function costs 2 metrics a pass instead of 18.
 */
async function pullWindow(pass: PassScope, resources: MetricResource[], window: MetricWindow): Promise<void> {
  const presence = await pullPlan(pass, buildMetricQueries(resources, window.periodS, MAX_QUERIES_PER_CALL, "presence"), window);
  const withData = resourcesWithData(presence.points, presence.rejected);
  const busy = resources.filter((r) => withData.has(r.resourceId));
  if (busy.length) await pullPlan(pass, buildMetricQueries(busy, window.periodS, MAX_QUERIES_PER_CALL, "rest"), window);
}

/** One plan's batches of up to 500 queries, each paged to its end, through the account and region's shared GetMetricData quota. */
async function pullPlan(pass: PassScope, plan: MetricQueryPlan, { fromMs, toMs, periodS }: MetricWindow): Promise<MetricPointsResult> {
  const all: MetricPointsResult = { points: [], rejected: [] };
  for (const batch of plan.batches) {
    const results: MetricDataResult[] = [];
    let nextToken: string | undefined;
    do {
      await acquireCall(pass.db, pass.quota, { perSecond: GET_METRIC_DATA_PER_SECOND }, batch.length);
      const page = await pass.cloudwatch.send(
        new GetMetricDataCommand({ MetricDataQueries: batch, StartTime: new Date(fromMs), EndTime: new Date(toMs), NextToken: nextToken, ScanBy: "TimestampAscending" }),
      );
      pass.counts.calls++;
      pass.counts.queries += batch.length;
      results.push(...(page.MetricDataResults ?? []));
      for (const m of page.Messages ?? []) pass.problems.push(`GetMetricData: ${m.Code}: ${m.Value}`);
      nextToken = page.NextToken;
    } while (nextToken);
    const { points, rejected } = metricResultsToPoints(results, plan.lookup, periodS);
    pass.counts.points += await upsertMetricPoints(pass.db, points);
    pass.counts.rejected += rejected.length;
    for (const r of rejected.slice(0, 20)) pass.problems.push(`${r.metric ?? r.id} ${r.stat ?? ""}: ${r.code} ${r.message}`.trim());
    all.points.push(...points);
    all.rejected.push(...rejected);
  }
  return all;
}
