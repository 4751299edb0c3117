import type pg from "pg";
import type { EventRuleStats, KinesisStreamStats, SnsTopicStats, StateMachineStats } from "../analysis/insights";
import type { ResourceKind } from "../resource-kinds";
import { metricTotals } from "./metric-totals";

type Db = Pick<pg.Pool, "query">;

export interface ServiceResourceRow {
  id: number;
  kind: ResourceKind;
  arn: string;
  name: string;
  config: Record<string, unknown>;
}

/** The rule inputs of Kinesis streams, state machines, SNS topics and EventBridge rules (lib/analysis/insights/service-stats.ts). */
export async function loadServiceStats(db: Db, resources: ServiceResourceRow[], region: string, accountId: string, from: Date, to: Date) {
  const of = (kind: ResourceKind) => resources.filter((r) => r.kind === kind);
  const ids = (kind: ResourceKind) => of(kind).map((r) => r.id);
  const window = { region, accountId, windowStart: from, windowEnd: to };
  const sum = (kind: ResourceKind, metric: string) => metricTotals(db, ids(kind), metric, "Sum", "sum", from, to);

  const [incoming, writeThrottled, readThrottled] = await Promise.all([
    sum("kinesis", "IncomingRecords"),
    sum("kinesis", "WriteProvisionedThroughputExceeded"),
    sum("kinesis", "ReadProvisionedThroughputExceeded"),
  ]);
  const { rows: ages } = await db.query<{ resource_id: number; v: number[] }>(
    `SELECT resource_id, array_agg(v ORDER BY h) AS v FROM (
       SELECT resource_id, date_trunc('hour', ts) AS h, max(value)::float8 AS v FROM metric_points
        WHERE resource_id = ANY($1::int[]) AND metric = 'GetRecords.IteratorAgeMilliseconds' AND stat = 'Maximum' AND ts >= $2 AND ts < $3 GROUP BY 1, 2) x
     GROUP BY resource_id`,
    [ids("kinesis"), from, to],
  );
  const ageOf = new Map(ages.map((a) => [a.resource_id, a.v]));
  const streams: KinesisStreamStats[] = of("kinesis").map((s) => ({
    name: s.name,
    arn: s.arn,
    ...window,
    retentionHours: Number(s.config.retentionHours ?? 24),
    incomingRecords: incoming.get(s.id) ?? 0,
    writeThrottled: writeThrottled.get(s.id) ?? 0,
    readThrottled: readThrottled.get(s.id) ?? 0,
    iteratorAgeMs: ageOf.get(s.id) ?? [],
  }));

  const [started, failed, timedOut, throttled] = await Promise.all([
    sum("stepfunctions", "ExecutionsStarted"),
    sum("stepfunctions", "ExecutionsFailed"),
    sum("stepfunctions", "ExecutionsTimedOut"),
    sum("stepfunctions", "ExecutionThrottled"),
  ]);
  const { rows: states } = await db.query<{ resource_id: number; state: string; error: string | null; n: number }>(
    `SELECT resource_id, coalesce(failed_state, '(unknown)') AS state, mode() WITHIN GROUP (ORDER BY error) AS error, count(*)::int AS n
       FROM failed_executions WHERE resource_id = ANY($1::int[]) AND stopped_at >= $2 AND stopped_at < $3
      GROUP BY 1, 2 ORDER BY n DESC, state`,
    [ids("stepfunctions"), from, to],
  );
  const stateMachines: StateMachineStats[] = of("stepfunctions").map((m) => ({
    name: m.name,
    arn: m.arn,
    ...window,
    started: started.get(m.id) ?? 0,
    failed: failed.get(m.id) ?? 0,
    timedOut: timedOut.get(m.id) ?? 0,
    throttled: throttled.get(m.id) ?? 0,
    failedStates: states.filter((s) => s.resource_id === m.id).map((s) => ({ state: s.state, error: s.error, count: s.n })),
    loggingLevel: String(m.config.loggingLevel ?? "OFF"),
  }));

  const [published, delivered, failedNotifications] = await Promise.all([
    sum("sns", "NumberOfMessagesPublished"),
    sum("sns", "NumberOfNotificationsDelivered"),
    sum("sns", "NumberOfNotificationsFailed"),
  ]);
  const topics: SnsTopicStats[] = of("sns").map((t) => ({
    name: t.name,
    arn: t.arn,
    ...window,
    published: published.get(t.id) ?? 0,
    delivered: delivered.get(t.id) ?? 0,
    failedNotifications: failedNotifications.get(t.id) ?? 0,
    // Subscriptions whose attributes could not be read are left out rather than taken for DLQ-less.
    subscriptions: ((t.config.subscriptions ?? []) as { protocol: string; endpoint: string | null; dlq: string | null; attributesRead?: boolean }[])
      .filter((s) => s.attributesRead !== false)
      .map((s) => ({ protocol: s.protocol, endpoint: s.endpoint, dlq: s.dlq })),
  }));

  const [triggered, invocations, failedInvocations, ruleThrottles] = await Promise.all([
    sum("eventbridge", "TriggeredRules"),
    sum("eventbridge", "Invocations"),
    sum("eventbridge", "FailedInvocations"),
    sum("eventbridge", "ThrottledRules"),
  ]);
  const eventRules: EventRuleStats[] = of("eventbridge").map((r) => ({
    name: r.name,
    arn: r.arn,
    ...window,
    triggered: triggered.get(r.id) ?? 0,
    invocations: invocations.get(r.id) ?? 0,
    failedInvocations: failedInvocations.get(r.id) ?? 0,
    throttled: ruleThrottles.get(r.id) ?? 0,
    targets: r.config.targetsRead === false ? null : ((r.config.targets ?? []) as { id: string; arn: string; dlq: string | null }[]),
  }));

  return { streams, stateMachines, topics, eventRules };
}
