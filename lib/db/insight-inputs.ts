import type pg from "pg";
import type { ResourceKind } from "../resource-kinds";
import { histogramFromSparse } from "../analysis/histogram";
import { durationPercentile } from "../analysis/metrics";
import { unreadActions } from "../ingest/discovery/carry-forward";
import { coverageStartByResource, dataStartByResource } from "./queries/data-start";
import { loadTraceBreakdowns } from "./queries/trace-breakdown";
import type {
  ApiGatewayStats,
  DynamoTableStats,
  FunctionInsightInput,
  FunctionWindowStats,
  InsightContext,
  LambdaConfig,
  SqsQueueStats,
  ThresholdOverrides,
} from "../analysis/insights";
import { hourlyMetric, metricDataStart, metricSums, metricTotals } from "./metric-totals";
import { loadServiceStats } from "./service-insight-inputs";

const HOUR = 3_600_000;
// Rules look at a week: long enough for over-provisioning and medians, short enough to clear.
export const INSIGHT_WINDOW_MS = 7 * 24 * HOUR;

type Db = Pick<pg.Pool, "query">;

interface ResourceRow {
  id: number;
  kind: ResourceKind;
  arn: string;
  name: string;
  region: string;
  config: Record<string, unknown>;
  tags: Record<string, string>;
}

function toLambdaConfig(r: ResourceRow, awsAccountId: string): LambdaConfig {
  const c = r.config as Record<string, never>;
  return {
    functionName: r.name,
    arn: r.arn,
    region: r.region,
    accountId: awsAccountId,
    runtime: c.runtime ?? null,
    memorySizeMB: Number(c.memorySizeMB ?? 128),
    timeoutS: Number(c.timeoutS ?? 3),
    architecture: c.architecture === "arm64" ? "arm64" : "x86_64",
    packageType: c.packageType === "Image" ? "Image" : "Zip",
    codeSizeBytes: Number(c.codeSizeBytes ?? 0),
    handler: c.handler ?? null,
    role: c.role ?? "",
    tracingMode: c.tracingMode === "Active" ? "Active" : "PassThrough",
    logGroup: c.logGroup ?? `/aws/lambda/${r.name}`,
    logFormat: c.logFormat === "JSON" ? "JSON" : "Text",
    logRetentionDays: c.logRetentionDays ?? null,
    reservedConcurrency: c.reservedConcurrency ?? null,
    provisionedConcurrency: c.provisionedConcurrency ?? null,
    deadLetterTargetArn: c.deadLetterTargetArn ?? null,
    onFailureDestination: c.onFailureDestination ?? null,
    snapStart: Boolean(c.snapStart),
    lastModified: new Date(c.lastModified ?? 0),
    envVarCount: Number(c.envVarCount ?? 0),
    eventSourceMappings: ((c.eventSourceMappings ?? []) as LambdaConfig["eventSourceMappings"]).map((m) => ({
      eventSourceArn: m.eventSourceArn,
      kind: m.kind,
      batchSize: m.batchSize ?? null,
      batchingWindowS: m.batchingWindowS ?? null,
      parallelizationFactor: m.parallelizationFactor ?? null,
    })),
    invokedAsync: Boolean(c.invokedAsync),
    userFacing: Boolean(c.userFacing),
    tags: r.tags ?? {},
    layers: (c.layers ?? []) as string[],
    functionUrlAuthType: c.functionUrlAuthType === "NONE" || c.functionUrlAuthType === "AWS_IAM" ? c.functionUrlAuthType : null,
    functionUrlCorsAnyOrigin: Boolean(c.functionUrlCorsAnyOrigin),
    secretLikeEnvNames: (c.secretLikeEnvNames ?? []) as string[],
    applicationLogLevel: c.applicationLogLevel ?? null,
    roleWildcards: Array.isArray(c.roleWildcards) ? (c.roleWildcards as LambdaConfig["roleWildcards"]) : null,
    unreadActions: unreadActions(c),
  };
}

/** Which stages of an API lack throttling, access logs and tracing, from the stage settings discovery keeps. */
function stageFindings(settings: unknown): Pick<ApiGatewayStats, "stagesWithoutThrottling" | "stagesWithoutAccessLogs" | "stagesWithoutTracing"> {
  const stages = Array.isArray(settings) ? (settings as { name: string; throttled?: boolean; accessLogs?: boolean; tracing?: boolean | null }[]) : [];
  return {
    stagesWithoutThrottling: stages.filter((s) => s.throttled === false).map((s) => s.name),
    stagesWithoutAccessLogs: stages.filter((s) => s.accessLogs === false).map((s) => s.name),
    stagesWithoutTracing: stages.filter((s) => s.tracing === false).map((s) => s.name),
  };
}

async function functionStats(db: Db, fns: ResourceRow[], now: number): Promise<Map<number, FunctionWindowStats>> {
  const ids = fns.map((f) => f.id);
  const out = new Map<number, FunctionWindowStats>();
  if (!ids.length) return out;
  const from = new Date(now - INSIGHT_WINDOW_MS);
  const to = new Date(now);
  const { rows: totals } = await db.query(
    `SELECT resource_id, sum(invocations)::int AS invocations, sum(errors)::int AS errors, sum(timeouts)::int AS timeouts,
            sum(out_of_memory)::int AS oom, sum(crashes)::int AS crashes, sum(cold_starts)::int AS cold, sum(retries)::int AS retries,
            sum(billed_ms)::float8 AS billed, sum(gb_seconds)::float8 AS gbs, sum(cost_usd)::float8 AS cost,
            max(max_memory_used_mb) AS max_mem, max(max_memory_used_mb::float8 / nullif(memory_size_mb, 0)) AS max_ratio
       FROM rollup_hour WHERE resource_id = ANY($1::int[]) AND bucket_start >= $2 AND bucket_start < $3 GROUP BY resource_id`,
    [ids, from, to],
  );
  const hist = async (table: string, since: Date) => {
    const { rows } = await db.query<{ resource_id: number; b: number[]; c: number[] }>(
      `SELECT resource_id, array_agg(b ORDER BY b) AS b, array_agg(c ORDER BY b) AS c FROM (
         SELECT resource_id, u.b, sum(u.c)::int AS c FROM ${table}, unnest(hist_buckets, hist_counts) AS u(b, c)
          WHERE resource_id = ANY($1::int[]) AND bucket_start >= $2 AND bucket_start < $3 GROUP BY resource_id, u.b) x GROUP BY resource_id`,
      [ids, since, to],
    );
    return new Map(rows.map((r) => [r.resource_id, r]));
  };
  const week = await hist("rollup_hour", from);
  const recent = await hist("rollup_minute", new Date(now - HOUR));
  const { rows: busiest } = await db.query<{ resource_id: number; busiest: number; last5: number }>(
    `SELECT resource_id,
            coalesce(max(n) FILTER (WHERE bin < $3), 0)::int AS busiest,
            coalesce(sum(n) FILTER (WHERE bin >= $3), 0)::int AS last5
       FROM (SELECT resource_id, date_bin('5 minutes', bucket_start, 'epoch') AS bin, sum(invocations) AS n
               FROM rollup_minute WHERE resource_id = ANY($1::int[]) AND bucket_start >= $2 GROUP BY 1, 2) w
      GROUP BY resource_id`,
    [ids, new Date(now - 48 * HOUR), new Date(Math.floor(now / 300_000) * 300_000 - 300_000)],
  );
  const busy = new Map(busiest.map((b) => [b.resource_id, b]));
  const { rows: logs } = await db.query<{ resource_id: number; bytes: number }>(
    "SELECT resource_id, sum(octet_length(message))::float8 AS bytes FROM log_events WHERE resource_id = ANY($1::int[]) AND ts >= $2 AND ts < $3 GROUP BY resource_id",
    [ids, from, to],
  );
  const logBytes = new Map(logs.map((l) => [l.resource_id, l.bytes]));
  const { rows: downstream } = await db.query<{ resource_id: number; n: number }>(
    "SELECT resource_id, count(*)::int AS n FROM spans WHERE resource_id = ANY($1::int[]) AND start_time >= $2 AND namespace IN ('aws', 'remote') GROUP BY resource_id",
    [ids, new Date(now - 24 * HOUR)],
  );
  const calls = new Map(downstream.map((d) => [d.resource_id, d.n]));
  const { rows: errorTypes } = await db.query<{ rid: number; type: string; first: Date }>(
    "SELECT rid, error_type AS type, min(first_seen_at) AS first FROM error_groups, unnest(resource_ids) AS rid WHERE rid = ANY($1::int[]) GROUP BY rid, error_type",
    [ids],
  );
  // Whatever the window: the function's first data, and where Osprey's view of it begins (as the cost page reads it).
  const dataSince = await dataStartByResource(db, ids);
  const coveredSince = await coverageStartByResource(db, ids, dataSince);
  const iterator = await metricTotals(db, ids, "IteratorAge", "Maximum", "max", from, to);
  const sums = await metricSums(
    db,
    ids,
    ["Throttles", "AsyncEventsDropped", "DeadLetterErrors", "DestinationDeliveryFailures", "ProvisionedConcurrencyInvocations", "ProvisionedConcurrencySpilloverInvocations"],
    from,
    to,
  );
  const { rows: remote } = await db.query<{ resource_id: number; n: number }>(
    "SELECT resource_id, count(*)::int AS n FROM spans WHERE resource_id = ANY($1::int[]) AND start_time >= $2 AND namespace = 'remote' GROUP BY resource_id",
    [ids, new Date(now - 24 * HOUR)],
  );
  const remoteCalls = new Map(remote.map((d) => [d.resource_id, d.n]));

  for (const t of totals) {
    const w = week.get(t.resource_id);
    const r = recent.get(t.resource_id);
    const p = (q: number) => (w ? durationPercentile(histogramFromSparse(w.b, w.c), q) : null);
    out.set(t.resource_id, {
      windowStart: from,
      windowEnd: to,
      invocations: t.invocations,
      errors: t.errors,
      timeouts: t.timeouts,
      outOfMemory: t.oom,
      crashes: t.crashes,
      coldStarts: t.cold,
      retries: t.retries,
      throttles: sums.Throttles.get(t.resource_id) ?? 0,
      p50Ms: p(50),
      p95Ms: p(95),
      p99Ms: p(99),
      maxMemoryUsedMB: t.max_mem,
      maxMemoryRatio: t.max_ratio,
      billedMs: t.billed,
      gbSeconds: t.gbs,
      costUsd: t.cost,
      logBytes: logBytes.get(t.resource_id) ?? 0,
      downstreamCalls: calls.get(t.resource_id) ?? 0,
      dataSince: dateOrNull(dataSince.get(t.resource_id)),
      coveredSince: dateOrNull(coveredSince.get(t.resource_id)),
      errorTypes: errorTypes.filter((e) => e.rid === t.resource_id).map((e) => ({ type: e.type, firstSeen: e.first })),
      busiest5MinInvocations48h: busy.get(t.resource_id)?.busiest ?? 0,
      last5MinInvocations: busy.get(t.resource_id)?.last5 ?? 0,
      medianDuration7dMs: p(50),
      medianDurationRecentMs: r ? durationPercentile(histogramFromSparse(r.b, r.c), 50) : null,
      maxIteratorAgeMs: iterator.get(t.resource_id) ?? null,
      asyncEventsDropped: sums.AsyncEventsDropped.get(t.resource_id) ?? 0,
      deadLetterErrors: sums.DeadLetterErrors.get(t.resource_id) ?? 0,
      destinationDeliveryFailures: sums.DestinationDeliveryFailures.get(t.resource_id) ?? 0,
      provisionedConcurrencyInvocations: sums.ProvisionedConcurrencyInvocations.get(t.resource_id) ?? 0,
      provisionedConcurrencySpilloverInvocations: sums.ProvisionedConcurrencySpilloverInvocations.get(t.resource_id) ?? 0,
      remoteCalls: remoteCalls.get(t.resource_id) ?? 0,
    });
  }
  return out;
}

const dateOrNull = (ms: number | undefined): Date | null => (ms === undefined ? null : new Date(ms));

/** Everything the insight rules read about one account and region, from rollups, metrics and configuration. */
export async function loadInsightContext(db: Db, accountId: number, region: string, now = Date.now()): Promise<{ context: InsightContext; arnToId: Map<string, number> }> {
  const { rows: acct } = await db.query<{ aws_account_id: string | null }>("SELECT aws_account_id FROM accounts WHERE id = $1", [accountId]);
  const awsAccountId = acct[0]?.aws_account_id ?? "";
  const { rows: resources } = await db.query<ResourceRow>(
    "SELECT id, kind, arn, name, region, config, tags FROM resources WHERE account_id = $1 AND region = $2 AND deleted_at IS NULL ORDER BY id",
    [accountId, region],
  );
  const fns = resources.filter((r) => r.kind === "lambda");
  const stats = await functionStats(db, fns, now);
  // The advisor reads the last day of traces, as the downstream-call count above does.
  const traces = await loadTraceBreakdowns(db, fns.map((f) => f.id), new Date(now - 24 * HOUR), new Date(now));
  const functions: FunctionInsightInput[] = fns.map((f) => ({ config: toLambdaConfig(f, awsAccountId), stats: stats.get(f.id) ?? null, traces: traces.get(f.id) ?? null }));
  const from = new Date(now - INSIGHT_WINDOW_MS);
  const to = new Date(now);
  const other = (kind: ResourceRow["kind"]) => resources.filter((r) => r.kind === kind);
  const ids = (kind: ResourceRow["kind"]) => other(kind).map((r) => r.id);

  const queues = other("sqs");
  const dlqArns = new Set(queues.map((q) => (q.config.redrivePolicy as { deadLetterTargetArn?: string } | null)?.deadLetterTargetArn).filter(Boolean));
  const age = await metricTotals(db, ids("sqs"), "ApproximateAgeOfOldestMessage", "Maximum", "max", from, to);
  const messages = await metricSums(db, ids("sqs"), ["NumberOfMessagesSent", "NumberOfMessagesReceived", "NumberOfMessagesDeleted"], from, to);
  const visibleOf = await hourlyMetric(db, ids("sqs"), "ApproximateNumberOfMessagesVisible", null, "max", from, to);
  const sqs: SqsQueueStats[] = queues.map((q) => ({
    name: q.name,
    arn: q.arn,
    region,
    accountId: awsAccountId,
    retentionS: Number(q.config.retentionS ?? 345_600),
    isDlq: dlqArns.has(q.arn),
    windowStart: from,
    windowEnd: to,
    maxAgeOfOldestMessageS: age.get(q.id) ?? 0,
    visibleMessages: visibleOf.get(q.id) ?? [],
    sent: messages.NumberOfMessagesSent.get(q.id) ?? 0,
    received: messages.NumberOfMessagesReceived.get(q.id) ?? 0,
    deleted: messages.NumberOfMessagesDeleted.get(q.id) ?? 0,
    visibilityTimeoutS: Number(q.config.visibilityTimeoutS ?? 30),
    hasRedrivePolicy: Boolean((q.config.redrivePolicy as { deadLetterTargetArn?: string } | null)?.deadLetterTargetArn),
    // Queues discovered before Osprey read these attributes count as encrypted and private until rediscovered.
    encrypted: q.config.encrypted !== false,
    publicPolicy: q.config.publicPolicy === true,
    receiveWaitTimeS: Number(q.config.receiveWaitTimeS ?? 20),
  }));

  const api = await metricSums(db, ids("apigateway"), ["Count", "5XXError"], from, to);
  const p99 = await metricTotals(db, ids("apigateway"), "Latency", "p99", "max", from, to);
  const apis: ApiGatewayStats[] = other("apigateway").map((a) => ({
    name: a.name,
    arn: a.arn,
    region,
    accountId: awsAccountId,
    windowStart: from,
    windowEnd: to,
    count: api.Count.get(a.id) ?? 0,
    errors5xx: api["5XXError"].get(a.id) ?? 0,
    p99LatencyMs: p99.get(a.id) ?? null,
    protocol: a.config.protocol === "WEBSOCKET" ? "WEBSOCKET" : a.config.protocol === "REST" ? "REST" : "HTTP",
    ...stageFindings(a.config.stageSettings),
    tags: a.tags ?? {},
    routes: Array.isArray(a.config.routes) ? (a.config.routes as ApiGatewayStats["routes"]) : null,
  }));

  const dynamo = await metricSums(db, ids("dynamodb"), ["ThrottledRequests", "SystemErrors"], from, to);
  const consumedRead = await hourlyMetric(db, ids("dynamodb"), "ConsumedReadCapacityUnits", "Sum", "sum", from, to);
  const consumedWrite = await hourlyMetric(db, ids("dynamodb"), "ConsumedWriteCapacityUnits", "Sum", "sum", from, to);
  // A table has no rollups: its first metric point stands for its first data.
  const tableCoverage = await coverageStartByResource(db, ids("dynamodb"), await metricDataStart(db, ids("dynamodb")));
  const tables: DynamoTableStats[] = other("dynamodb").map((t) => ({
    name: t.name,
    arn: t.arn,
    region,
    accountId: awsAccountId,
    windowStart: from,
    windowEnd: to,
    throttledRequests: dynamo.ThrottledRequests.get(t.id) ?? 0,
    systemErrors: dynamo.SystemErrors.get(t.id) ?? 0,
    pointInTimeRecovery: typeof t.config.pointInTimeRecovery === "boolean" ? t.config.pointInTimeRecovery : null,
    // DescribeTable leaves BillingModeSummary out for tables that were always provisioned.
    billingMode: t.config.billingMode === "PAY_PER_REQUEST" ? "PAY_PER_REQUEST" : "PROVISIONED",
    readCapacityUnits: (t.config.readCapacityUnits as number | null) ?? null,
    writeCapacityUnits: (t.config.writeCapacityUnits as number | null) ?? null,
    consumedReadPerHour: consumedRead.get(t.id) ?? [],
    consumedWritePerHour: consumedWrite.get(t.id) ?? [],
    coveredSince: dateOrNull(tableCoverage.get(t.id)),
  }));

  const { rows: th } = await db.query<{ rule_id: string; name: string; value: number }>("SELECT rule_id, name, value FROM insight_thresholds");
  const thresholds: ThresholdOverrides = {};
  for (const t of th) (thresholds[t.rule_id] ??= {})[t.name] = t.value;

  return {
    context: { now: new Date(now), functions, queues: sqs, apis, tables, ...(await loadServiceStats(db, resources, region, awsAccountId, from, to)), thresholds },
    arnToId: new Map(resources.map((r) => [r.arn, r.id])),
  };
}
