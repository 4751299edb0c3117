import type pg from "pg";
import type { EventRuleStats, KinesisStreamStats, SnsTopicStats, StateMachineStats } from "../analysis/insights";
import type { ResourceKind } from "../resource-kinds";
import { hourlyMetric, metricSums } from "./metric-totals";

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
  const sums = <M extends string>(kind: ResourceKind, metrics: readonly M[]) => metricSums(db, ids(kind), metrics, from, to);

  const k = await sums("kinesis", ["IncomingRecords", "WriteProvisionedThroughputExceeded", "ReadProvisionedThroughputExceeded"]);
  const ageOf = await hourlyMetric(db, ids("kinesis"), "GetRecords.IteratorAgeMilliseconds", "Maximum", "max", from, to);
  const streams: KinesisStreamStats[] = of("kinesis").map((s) => ({
    name: s.name,
    arn: s.arn,
    ...window,
    retentionHours: Number(s.config.retentionHours ?? 24),
    incomingRecords: k.IncomingRecords.get(s.id) ?? 0,
    writeThrottled: k.WriteProvisionedThroughputExceeded.get(s.id) ?? 0,
    readThrottled: k.ReadProvisionedThroughputExceeded.get(s.id) ?? 0,
    iteratorAgeMs: ageOf.get(s.id) ?? [],
  }));

  const sf = await sums("stepfunctions", ["ExecutionsStarted", "ExecutionsFailed", "ExecutionsTimedOut", "ExecutionThrottled"]);
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
    started: sf.ExecutionsStarted.get(m.id) ?? 0,
    failed: sf.ExecutionsFailed.get(m.id) ?? 0,
    timedOut: sf.ExecutionsTimedOut.get(m.id) ?? 0,
    throttled: sf.ExecutionThrottled.get(m.id) ?? 0,
    failedStates: states.filter((s) => s.resource_id === m.id).map((s) => ({ state: s.state, error: s.error, count: s.n })),
    loggingLevel: String(m.config.loggingLevel ?? "OFF"),
  }));

  const sns = await sums("sns", ["NumberOfMessagesPublished", "NumberOfNotificationsDelivered", "NumberOfNotificationsFailed"]);
  const topics: SnsTopicStats[] = of("sns").map((t) => ({
    name: t.name,
    arn: t.arn,
    ...window,
    published: sns.NumberOfMessagesPublished.get(t.id) ?? 0,
    delivered: sns.NumberOfNotificationsDelivered.get(t.id) ?? 0,
    failedNotifications: sns.NumberOfNotificationsFailed.get(t.id) ?? 0,
    // Subscriptions whose attributes could not be read are left out rather than taken for DLQ-less.
    subscriptions: ((t.config.subscriptions ?? []) as { protocol: string; endpoint: string | null; dlq: string | null; attributesRead?: boolean }[])
      .filter((s) => s.attributesRead !== false)
      .map((s) => ({ protocol: s.protocol, endpoint: s.endpoint, dlq: s.dlq })),
  }));

  const eb = await sums("eventbridge", ["TriggeredRules", "Invocations", "FailedInvocations", "ThrottledRules"]);
  const eventRules: EventRuleStats[] = of("eventbridge").map((r) => ({
    name: r.name,
    arn: r.arn,
    ...window,
    triggered: eb.TriggeredRules.get(r.id) ?? 0,
    invocations: eb.Invocations.get(r.id) ?? 0,
    failedInvocations: eb.FailedInvocations.get(r.id) ?? 0,
    throttled: eb.ThrottledRules.get(r.id) ?? 0,
    targets: r.config.targetsRead === false ? null : ((r.config.targets ?? []) as { id: string; arn: string; dlq: string | null }[]),
  }));

  return { streams, stateMachines, topics, eventRules };
}
