// Discovery of Kinesis streams, Firehose delivery streams, Step Functions state machines, SNS topics and
// EventBridge rules (issue 16 item 3). Listing calls must succeed; each per-resource detail call is optional
// as in discovery.ts: when one fails the resource is kept as last seen and a warning names the action.
import { GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, ListTagsForResourceCommand, paginateListTopics } from "@aws-sdk/client-sns";
import { mapLimit } from "../util/map-limit";
import type { AwsClients } from "./clients";
import { detailOrNull, rethrow, type DiscoveredResource, type OptionalCallFailure } from "./discovery";
import { paginate } from "./json-protocol";

const DETAIL_CONCURRENCY = 4;
// Failed executions read per state machine and pass: the newest, enough for the page and the rule; only
// those not stored yet have their history read, so a steady state costs one ListExecutions per machine.
export const FAILED_EXECUTIONS_PER_PASS = 20;
// GetExecutionHistory in reverse order: the failure and the state it happened in are among the last events.
const HISTORY_EVENTS = 25;

type OnFailure = (f: OptionalCallFailure<string>) => void;

const tagList = (tags: { Key?: string; Value?: string; key?: string; value?: string }[] | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).map((t) => [t.Key ?? t.key ?? "", t.Value ?? t.value ?? ""]));

/** AWS's JSON protocols send timestamps as epoch seconds. */
const isoOf = (v: unknown): string | null => (typeof v === "number" ? new Date(v * 1000).toISOString() : typeof v === "string" ? v : null);

export async function discoverStreams(c: AwsClients, onFailure: OnFailure = rethrow): Promise<DiscoveredResource[]> {
  const names = await paginate<string>(c.kinesis, "ListStreams", {}, "StreamNames");
  const out = await mapLimit(names, DETAIL_CONCURRENCY, async (name) => {
    const d = await detailOrNull("discovery (kinesis)", name, "kinesis:DescribeStreamSummary", onFailure, () =>
      c.kinesis.send<{ StreamDescriptionSummary: Record<string, unknown> }>("DescribeStreamSummary", { StreamName: name }),
    );
    if (!d) return null;
    const s = d.StreamDescriptionSummary;
    const tags = await detailOrNull("tags (kinesis)", name, "kinesis:ListTagsForStream", onFailure, () =>
      c.kinesis.send<{ Tags?: { Key: string; Value: string }[] }>("ListTagsForStream", { StreamName: name }).then((r) => tagList(r.Tags)),
    );
    return {
      kind: "kinesis" as const,
      arn: String(s.StreamARN),
      name,
      tags: tags ?? {},
      config: {
        status: s.StreamStatus ?? null,
        mode: (s.StreamModeDetails as { StreamMode?: string } | undefined)?.StreamMode ?? "PROVISIONED",
        openShards: s.OpenShardCount ?? null,
        retentionHours: s.RetentionPeriodHours ?? 24,
        encryption: s.EncryptionType ?? "NONE",
        consumers: s.ConsumerCount ?? null,
        createdAt: isoOf(s.StreamCreationTimestamp),
      },
    };
  });
  return out.filter((r) => r !== null);
}

export async function discoverDeliveryStreams(c: AwsClients, onFailure: OnFailure = rethrow): Promise<DiscoveredResource[]> {
  // ListDeliveryStreams pages by the last name seen, not a token.
  const names: string[] = [];
  for (let more = true; more; ) {
    const page = await c.firehose.send<{ DeliveryStreamNames?: string[]; HasMoreDeliveryStreams?: boolean }>("ListDeliveryStreams", {
      Limit: 100,
      ...(names.length ? { ExclusiveStartDeliveryStreamName: names[names.length - 1] } : {}),
    });
    names.push(...(page.DeliveryStreamNames ?? []));
    more = Boolean(page.HasMoreDeliveryStreams) && (page.DeliveryStreamNames ?? []).length > 0;
  }
  const out = await mapLimit(names, DETAIL_CONCURRENCY, async (name) => {
    const d = await detailOrNull("discovery (firehose)", name, "firehose:DescribeDeliveryStream", onFailure, () =>
      c.firehose.send<{ DeliveryStreamDescription: Record<string, unknown> }>("DescribeDeliveryStream", { DeliveryStreamName: name }),
    );
    if (!d) return null;
    const s = d.DeliveryStreamDescription;
    const dest = ((s.Destinations as Record<string, Record<string, unknown>>[] | undefined) ?? [])[0] ?? {};
    const s3 = dest.ExtendedS3DestinationDescription ?? dest.S3DestinationDescription;
    return {
      kind: "firehose" as const,
      arn: String(s.DeliveryStreamARN),
      name,
      tags: {},
      config: {
        status: s.DeliveryStreamStatus ?? null,
        type: s.DeliveryStreamType ?? "DirectPut",
        sourceStreamArn: (s.Source as { KinesisStreamSourceDescription?: { KinesisStreamARN?: string } } | undefined)?.KinesisStreamSourceDescription?.KinesisStreamARN ?? null,
        destination: s3 ? "S3" : (Object.keys(dest).find((k) => k.endsWith("DestinationDescription"))?.replace(/DestinationDescription$/, "") ?? null),
        bucketArn: (s3?.BucketARN as string | undefined) ?? null,
        createdAt: isoOf(s.CreateTimestamp),
      },
    };
  });
  return out.filter((r) => r !== null);
}

export interface FailedExecutionInput {
  executionArn: string;
  name: string;
  startedAt: Date;
  stoppedAt: Date;
  failedState: string | null;
  error: string | null;
  cause: string | null;
}

interface HistoryEvent {
  type: string;
  stateEnteredEventDetails?: { name?: string };
  executionFailedEventDetails?: { error?: string; cause?: string };
}

/** The error of a failed execution and the state it failed in: the last state entered before ExecutionFailed. */
export function failureOf(eventsNewestFirst: HistoryEvent[]): { failedState: string | null; error: string | null; cause: string | null } {
  const failed = eventsNewestFirst.find((e) => e.type === "ExecutionFailed")?.executionFailedEventDetails;
  const entered = eventsNewestFirst.find((e) => e.type.endsWith("StateEntered"))?.stateEnteredEventDetails;
  return { failedState: entered?.name ?? null, error: failed?.error ?? null, cause: failed?.cause?.slice(0, 2000) ?? null };
}

export interface StateMachineDiscovery {
  resources: DiscoveredResource[];
  /** per state machine ARN: its newest failed executions not stored yet */
  failedExecutions: Map<string, FailedExecutionInput[]>;
}

export async function discoverStateMachines(c: AwsClients, known: (executionArn: string) => boolean, onFailure: OnFailure = rethrow): Promise<StateMachineDiscovery> {
  const machines = await paginate<{ stateMachineArn: string; name: string; type?: string }>(c.sfn, "ListStateMachines", {}, "stateMachines", "nextToken");
  const failedExecutions = new Map<string, FailedExecutionInput[]>();
  const out = await mapLimit(machines, DETAIL_CONCURRENCY, async (m) => {
    const d = await detailOrNull("discovery (stepfunctions)", m.name, "states:DescribeStateMachine", onFailure, () =>
      c.sfn.send<Record<string, unknown>>("DescribeStateMachine", { stateMachineArn: m.stateMachineArn }),
    );
    if (!d) return null;
    const tags = await detailOrNull("tags (stepfunctions)", m.name, "states:ListTagsForResource", onFailure, () =>
      c.sfn.send<{ tags?: { key: string; value: string }[] }>("ListTagsForResource", { resourceArn: m.stateMachineArn }).then((r) => tagList(r.tags)),
    );
    const failed = await detailOrNull("failed executions", m.name, "states:ListExecutions", onFailure, () =>
      c.sfn
        .send<{ executions?: { executionArn: string; name: string; startDate: number; stopDate?: number }[] }>("ListExecutions", {
          stateMachineArn: m.stateMachineArn,
          statusFilter: "FAILED",
          maxResults: FAILED_EXECUTIONS_PER_PASS,
        })
        .then((r) => r.executions ?? []),
    );
    const fresh = (failed ?? []).filter((e) => !known(e.executionArn));
    const detailed = await mapLimit(fresh, 2, async (e) => {
      const h = await detailOrNull("failed executions", m.name, "states:GetExecutionHistory", onFailure, () =>
        c.sfn.send<{ events?: HistoryEvent[] }>("GetExecutionHistory", { executionArn: e.executionArn, reverseOrder: true, maxResults: HISTORY_EVENTS, includeExecutionData: false }),
      );
      // Without its history the execution is read again next pass.
      if (!h) return null;
      return { executionArn: e.executionArn, name: e.name, startedAt: new Date(e.startDate * 1000), stoppedAt: new Date((e.stopDate ?? e.startDate) * 1000), ...failureOf(h.events ?? []) };
    });
    failedExecutions.set(m.stateMachineArn, detailed.filter((x) => x !== null));
    const definition = typeof d.definition === "string" ? (JSON.parse(d.definition) as { States?: Record<string, unknown> }) : {};
    const logging = d.loggingConfiguration as { level?: string } | undefined;
    return {
      kind: "stepfunctions" as const,
      arn: m.stateMachineArn,
      name: m.name,
      tags: tags ?? {},
      config: {
        type: d.type ?? m.type ?? "STANDARD",
        status: d.status ?? null,
        roleArn: d.roleArn ?? null,
        states: Object.keys(definition.States ?? {}),
        loggingLevel: logging?.level ?? "OFF",
        tracing: Boolean((d.tracingConfiguration as { enabled?: boolean } | undefined)?.enabled),
        createdAt: isoOf(d.creationDate),
      },
    };
  });
  return { resources: out.filter((r) => r !== null), failedExecutions };
}

// An email address or phone number is someone's: the config keeps that such a subscription exists, not where it goes.
const PERSONAL = new Set(["email", "email-json", "sms"]);

export async function discoverTopics(c: AwsClients, onFailure: OnFailure = rethrow): Promise<DiscoveredResource[]> {
  const arns: string[] = [];
  for await (const page of paginateListTopics({ client: c.sns }, {})) arns.push(...(page.Topics ?? []).map((t) => t.TopicArn!).filter(Boolean));
  const out = await mapLimit(arns, DETAIL_CONCURRENCY, async (arn) => {
    const name = arn.split(":").pop()!;
    const attrs = await detailOrNull("discovery (sns)", name, "sns:GetTopicAttributes", onFailure, () => c.sns.send(new GetTopicAttributesCommand({ TopicArn: arn })));
    if (!attrs) return null;
    const subs = await detailOrNull("subscriptions (sns)", name, "sns:ListSubscriptionsByTopic", onFailure, async () => {
      const all = [];
      let token: string | undefined;
      do {
        const page = await c.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn, NextToken: token }));
        all.push(...(page.Subscriptions ?? []));
        token = page.NextToken;
      } while (token);
      return all;
    });
    const subscriptions = await mapLimit(subs ?? [], 2, async (s) => {
      // Pending confirmations have no ARN to ask about.
      const a = s.SubscriptionArn?.startsWith("arn:")
        ? await detailOrNull("subscriptions (sns)", name, "sns:GetSubscriptionAttributes", onFailure, () => c.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: s.SubscriptionArn })))
        : null;
      const redrive = a?.Attributes?.RedrivePolicy ? (JSON.parse(a.Attributes.RedrivePolicy) as { deadLetterTargetArn?: string }) : null;
      const protocol = s.Protocol ?? "";
      return { protocol, endpoint: PERSONAL.has(protocol) ? null : (s.Endpoint ?? null), dlq: redrive?.deadLetterTargetArn ?? null, attributesRead: a !== null };
    });
    const tags = await detailOrNull("tags (sns)", name, "sns:ListTagsForResource", onFailure, () =>
      c.sns.send(new ListTagsForResourceCommand({ ResourceArn: arn })).then((r) => tagList(r.Tags)),
    );
    const a = attrs.Attributes ?? {};
    return {
      kind: "sns" as const,
      arn,
      name,
      tags: tags ?? {},
      config: { fifo: a.FifoTopic === "true", kmsKey: a.KmsMasterKeyId ?? null, subscriptionsConfirmed: Number(a.SubscriptionsConfirmed ?? 0), subscriptions },
    };
  });
  return out.filter((r) => r !== null);
}

export async function discoverRules(c: AwsClients, onFailure: OnFailure = rethrow): Promise<DiscoveredResource[]> {
  // The default bus only: custom buses (ListEventBuses) are a known gap.
  const rules = await paginate<Record<string, string | undefined>>(c.events, "ListRules", { Limit: 100 }, "Rules");
  const out = await mapLimit(rules, DETAIL_CONCURRENCY, async (r) => {
    const name = r.Name!;
    const targets = await detailOrNull("targets (eventbridge)", name, "events:ListTargetsByRule", onFailure, () =>
      paginate<{ Id: string; Arn: string; DeadLetterConfig?: { Arn?: string } }>(c.events, "ListTargetsByRule", { Rule: name, EventBusName: r.EventBusName }, "Targets"),
    );
    const tags = await detailOrNull("tags (eventbridge)", name, "events:ListTagsForResource", onFailure, () =>
      c.events.send<{ Tags?: { Key: string; Value: string }[] }>("ListTagsForResource", { ResourceARN: r.Arn }).then((x) => tagList(x.Tags)),
    );
    return {
      kind: "eventbridge" as const,
      arn: r.Arn!,
      name,
      tags: tags ?? {},
      config: {
        bus: r.EventBusName ?? "default",
        state: r.State ?? null,
        schedule: r.ScheduleExpression ?? null,
        eventPattern: r.EventPattern ?? null,
        managedBy: r.ManagedBy ?? null,
        targetsRead: targets !== null,
        targets: (targets ?? []).map((t) => ({ id: t.Id, arn: t.Arn, dlq: t.DeadLetterConfig?.Arn ?? null })),
      },
    };
  });
  return out;
}
