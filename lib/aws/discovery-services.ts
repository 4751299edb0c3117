// Discovery of Kinesis streams, Firehose delivery streams, Step Functions state machines, SNS topics and
// EventBridge rules (issue 16 item 3). Listing calls must succeed; each per-resource detail call is optional
// as in discovery.ts: when one fails the resource is kept as last seen and a warning names the action.
import { ListRulesCommand, ListTagsForResourceCommand as ListRuleTagsCommand, ListTargetsByRuleCommand } from "@aws-sdk/client-eventbridge";
import { DescribeDeliveryStreamCommand, ListDeliveryStreamsCommand } from "@aws-sdk/client-firehose";
import { DescribeStreamSummaryCommand, ListTagsForStreamCommand, paginateListStreams } from "@aws-sdk/client-kinesis";
import {
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListTagsForResourceCommand as ListStateMachineTagsCommand,
  paginateListStateMachines,
  type HistoryEvent,
  type StateMachineListItem,
} from "@aws-sdk/client-sfn";
import { GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, ListTagsForResourceCommand, paginateListTopics } from "@aws-sdk/client-sns";
import { mapLimit } from "../util/map-limit";
import type { AwsClients } from "./clients";
import { detailOrNull, rethrow, type DiscoveredResource, type OptionalCallFailure } from "./discovery";

const DETAIL_CONCURRENCY = 4;
// Failed executions read per state machine and pass: the newest, enough for the page and the rule; only
// those not stored yet have their history read, so a steady state costs one ListExecutions per machine.
export const FAILED_EXECUTIONS_PER_PASS = 20;
// GetExecutionHistory in reverse order: the failure and the state it happened in are among the last events.
const HISTORY_EVENTS = 25;

type OnFailure = (f: OptionalCallFailure<string>) => void;

const tagList = (tags: { Key?: string; Value?: string; key?: string; value?: string }[] | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).map((t) => [t.Key ?? t.key ?? "", t.Value ?? t.value ?? ""]));

const isoOf = (d: Date | undefined): string | null => d?.toISOString() ?? null;

/** Every item of a NextToken-paged call the SDK has no paginator for. */
async function everyPage<T>(read: (token: string | undefined) => Promise<{ items?: T[]; next?: string }>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const page = await read(token);
    all.push(...(page.items ?? []));
    token = page.next;
  } while (token);
  return all;
}

export async function discoverStreams(c: AwsClients, onFailure: OnFailure = rethrow): Promise<DiscoveredResource[]> {
  const names: string[] = [];
  for await (const page of paginateListStreams({ client: c.kinesis }, {})) names.push(...(page.StreamNames ?? []));
  const out = await mapLimit(names, DETAIL_CONCURRENCY, async (name) => {
    const d = await detailOrNull("discovery (kinesis)", name, "kinesis:DescribeStreamSummary", onFailure, () =>
      c.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name })),
    );
    const s = d?.StreamDescriptionSummary;
    if (!s) return null;
    const tags = await detailOrNull("tags (kinesis)", name, "kinesis:ListTagsForStream", onFailure, () =>
      c.kinesis.send(new ListTagsForStreamCommand({ StreamName: name })).then((r) => tagList(r.Tags)),
    );
    return {
      kind: "kinesis" as const,
      arn: String(s.StreamARN),
      name,
      tags: tags ?? {},
      config: {
        status: s.StreamStatus ?? null,
        mode: s.StreamModeDetails?.StreamMode ?? "PROVISIONED",
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
  // ListDeliveryStreams pages by the last name seen, not a token (the SDK has no paginator for it).
  const names: string[] = [];
  for (let more = true; more; ) {
    const page = await c.firehose.send(new ListDeliveryStreamsCommand({ Limit: 100, ExclusiveStartDeliveryStreamName: names.at(-1) }));
    names.push(...(page.DeliveryStreamNames ?? []));
    more = Boolean(page.HasMoreDeliveryStreams) && (page.DeliveryStreamNames ?? []).length > 0;
  }
  const out = await mapLimit(names, DETAIL_CONCURRENCY, async (name) => {
    const d = await detailOrNull("discovery (firehose)", name, "firehose:DescribeDeliveryStream", onFailure, () =>
      c.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name })),
    );
    const s = d?.DeliveryStreamDescription;
    if (!s) return null;
    const dest = s.Destinations?.[0];
    const s3 = dest?.ExtendedS3DestinationDescription ?? dest?.S3DestinationDescription;
    return {
      kind: "firehose" as const,
      arn: String(s.DeliveryStreamARN),
      name,
      tags: {},
      config: {
        status: s.DeliveryStreamStatus ?? null,
        type: s.DeliveryStreamType ?? "DirectPut",
        sourceStreamArn: s.Source?.KinesisStreamSourceDescription?.KinesisStreamARN ?? null,
        destination: s3 ? "S3" : (Object.keys(dest ?? {}).find((k) => k.endsWith("DestinationDescription"))?.replace(/DestinationDescription$/, "") ?? null),
        bucketArn: s3?.BucketARN ?? null,
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

/** The error of a failed execution and the state it failed in: the last state entered before ExecutionFailed. */
export function failureOf(eventsNewestFirst: Pick<HistoryEvent, "type" | "stateEnteredEventDetails" | "executionFailedEventDetails">[]): { failedState: string | null; error: string | null; cause: string | null } {
  const failed = eventsNewestFirst.find((e) => e.type === "ExecutionFailed")?.executionFailedEventDetails;
  const entered = eventsNewestFirst.find((e) => e.type?.endsWith("StateEntered"))?.stateEnteredEventDetails;
  return { failedState: entered?.name ?? null, error: failed?.error ?? null, cause: failed?.cause?.slice(0, 2000) ?? null };
}

export interface StateMachineDiscovery {
  resources: DiscoveredResource[];
  /** per state machine ARN: its newest failed executions not stored yet */
  failedExecutions: Map<string, FailedExecutionInput[]>;
}

export async function discoverStateMachines(c: AwsClients, known: (executionArn: string) => boolean, onFailure: OnFailure = rethrow): Promise<StateMachineDiscovery> {
  const machines: StateMachineListItem[] = [];
  for await (const page of paginateListStateMachines({ client: c.sfn }, {})) machines.push(...(page.stateMachines ?? []));
  const failedExecutions = new Map<string, FailedExecutionInput[]>();
  const out = await mapLimit(machines, DETAIL_CONCURRENCY, async (m) => {
    const arn = m.stateMachineArn!;
    const name = m.name!;
    const d = await detailOrNull("discovery (stepfunctions)", name, "states:DescribeStateMachine", onFailure, () => c.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn })));
    if (!d) return null;
    const tags = await detailOrNull("tags (stepfunctions)", name, "states:ListTagsForResource", onFailure, () =>
      c.sfn.send(new ListStateMachineTagsCommand({ resourceArn: arn })).then((r) => tagList(r.tags)),
    );
    const failed = await detailOrNull("failed executions", name, "states:ListExecutions", onFailure, () =>
      c.sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: "FAILED", maxResults: FAILED_EXECUTIONS_PER_PASS })).then((r) => r.executions ?? []),
    );
    const fresh = (failed ?? []).filter((e) => !known(e.executionArn!));
    const detailed = await mapLimit(fresh, 2, async (e) => {
      const h = await detailOrNull("failed executions", name, "states:GetExecutionHistory", onFailure, () =>
        c.sfn.send(new GetExecutionHistoryCommand({ executionArn: e.executionArn, reverseOrder: true, maxResults: HISTORY_EVENTS, includeExecutionData: false })),
      );
      // Without its history the execution is read again next pass.
      if (!h) return null;
      return { executionArn: e.executionArn!, name: e.name!, startedAt: e.startDate!, stoppedAt: e.stopDate ?? e.startDate!, ...failureOf(h.events ?? []) };
    });
    failedExecutions.set(arn, detailed.filter((x) => x !== null));
    const definition = d.definition ? (JSON.parse(d.definition) as { States?: Record<string, unknown> }) : {};
    return {
      kind: "stepfunctions" as const,
      arn,
      name,
      tags: tags ?? {},
      config: {
        type: d.type ?? m.type ?? "STANDARD",
        status: d.status ?? null,
        roleArn: d.roleArn ?? null,
        states: Object.keys(definition.States ?? {}),
        loggingLevel: d.loggingConfiguration?.level ?? "OFF",
        tracing: Boolean(d.tracingConfiguration?.enabled),
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
    const subs = await detailOrNull("subscriptions (sns)", name, "sns:ListSubscriptionsByTopic", onFailure, () =>
      everyPage((NextToken) => c.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn, NextToken })).then((p) => ({ items: p.Subscriptions, next: p.NextToken }))),
    );
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
  // The default bus only: custom buses (ListEventBuses) are a known gap. client-eventbridge has no paginators.
  const rules = await everyPage((NextToken) => c.events.send(new ListRulesCommand({ Limit: 100, NextToken })).then((p) => ({ items: p.Rules, next: p.NextToken })));
  const out = await mapLimit(rules, DETAIL_CONCURRENCY, async (r) => {
    const name = r.Name!;
    const targets = await detailOrNull("targets (eventbridge)", name, "events:ListTargetsByRule", onFailure, () =>
      everyPage((NextToken) => c.events.send(new ListTargetsByRuleCommand({ Rule: name, EventBusName: r.EventBusName, NextToken })).then((p) => ({ items: p.Targets, next: p.NextToken }))),
    );
    const tags = await detailOrNull("tags (eventbridge)", name, "events:ListTagsForResource", onFailure, () =>
      c.events.send(new ListRuleTagsCommand({ ResourceARN: r.Arn })).then((x) => tagList(x.Tags)),
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
        targets: (targets ?? []).map((t) => ({ id: t.Id!, arn: t.Arn!, dlq: t.DeadLetterConfig?.Arn ?? null })),
      },
    };
  });
  return out;
}
