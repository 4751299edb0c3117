import { createHash, randomUUID } from "node:crypto";
import { awsQuery } from "../protocols/query";
import { AwsError, type SandboxRequest } from "../protocols/types";
import { ACCOUNT_ID } from "../workload/catalog";
import { listTopics as demoTopicsIn, topicArn, type TopicSpec } from "../workload/coverage";
import { decodeToken, encodeToken, page, type Route, type Service } from "./service";

// SNS speaks awsQuery (client-sns 3.1169: form-encoded Action=..., XML answers), as STS does.
const protocol = awsQuery("http://sns.amazonaws.com/doc/2010-03-31/");

const MAX_KEPT = 1000;
const DEDUP_WINDOW_MS = 5 * 60_000;
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;

export interface SnsTopic {
  arn: string;
  region: string;
  name: string;
  fifo: boolean;
  contentBasedDeduplication: boolean;
}

export interface SnsPublished {
  messageId: string;
  topicArn: string;
  subject: string | null;
  message: string;
  messageStructure: string | null;
  attributes: Record<string, string>;
  groupId: string | null;
  deduplicationId: string | null;
  /** a FIFO publish whose deduplication id was seen in the last five minutes: accepted, not delivered */
  duplicate: boolean;
  at: number;
}

/** The sandbox's topics and every message published to them (the newest thousand), for tests and demos to read back. */
export class SnsStore {
  private readonly topics = new Map<string, SnsTopic>();
  private readonly published: SnsPublished[] = [];

  constructor(private readonly now: () => number) {}

  createTopic(region: string, name: string, attrs: Record<string, string>): SnsTopic {
    const fifo = attrs.FifoTopic === "true";
    if (!TOPIC_NAME.test(name.replace(/\.fifo$/, "")) || (fifo !== name.endsWith(".fifo"))) {
      throw new AwsError("InvalidParameter", "Invalid parameter: Topic Name", 400);
    }
    const arn = `arn:aws:sns:${region}:${ACCOUNT_ID}:${name}`;
    const existing = this.topics.get(arn);
    if (existing) return existing;
    const topic = { arn, region, name, fifo, contentBasedDeduplication: attrs.ContentBasedDeduplication === "true" };
    this.topics.set(arn, topic);
    return topic;
  }

  listTopics(region: string): SnsTopic[] {
    return [...this.topics.values()].filter((t) => t.region === region).sort((a, b) => a.arn.localeCompare(b.arn));
  }

  publish(region: string, p: URLSearchParams): { messageId: string; sequenceNumber?: string } {
    const arn = p.get("TopicArn") ?? p.get("TargetArn") ?? "";
    const topic = this.topics.get(arn);
    if (!topic || topic.region !== region) throw new AwsError("NotFound", "Topic does not exist", 404);
    const message = p.get("Message");
    if (message === null || message === "") throw new AwsError("ValidationError", "1 validation error detected: Value null at 'message' failed to satisfy constraint: Member must not be null");
    if (Buffer.byteLength(message) > 262_144) throw new AwsError("InvalidParameter", "Invalid parameter: Message too long", 400);
    const subject = p.get("Subject");
    if (subject !== null && (subject.length >= 100 || /[\r\n\x00-\x1f]/.test(subject) || /^\s/.test(subject))) throw new AwsError("InvalidParameter", "Invalid parameter: Subject", 400);
    const structure = p.get("MessageStructure");
    if (structure !== null) {
      if (structure !== "json") throw new AwsError("InvalidParameter", "Invalid parameter: MessageStructure", 400);
      let parsed: unknown;
      try {
        parsed = JSON.parse(message);
      } catch {
        throw new AwsError("InvalidParameter", "Invalid parameter: Message Structure - JSON message body failed to parse", 400);
      }
      if (typeof (parsed as Record<string, unknown>)?.default !== "string") throw new AwsError("InvalidParameter", "Invalid parameter: Message Structure - No default entry in JSON message body", 400);
    }
    const groupId = p.get("MessageGroupId");
    let dedupId = p.get("MessageDeduplicationId");
    if (topic.fifo) {
      if (!groupId) throw new AwsError("InvalidParameter", "Invalid parameter: The MessageGroupId parameter is required for FIFO topics", 400);
      if (!dedupId && !topic.contentBasedDeduplication) {
        throw new AwsError("InvalidParameter", "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly", 400);
      }
      dedupId ??= createHash("sha256").update(message).digest("hex");
    } else if (dedupId) {
      throw new AwsError("InvalidParameter", "Invalid parameter: The request includes MessageDeduplicationId parameter that is not valid for this topic type", 400);
    }
    const attributes: Record<string, string> = {};
    for (let i = 1; p.has(`MessageAttributes.entry.${i}.Name`); i++) {
      attributes[p.get(`MessageAttributes.entry.${i}.Name`) ?? ""] = p.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? "";
    }
    const at = this.now();
    const earlier = topic.fifo ? this.published.find((m) => m.topicArn === arn && m.deduplicationId === dedupId && !m.duplicate && at - m.at < DEDUP_WINDOW_MS) : undefined;
    const messageId = earlier?.messageId ?? randomUUID();
    this.published.push({ messageId, topicArn: arn, subject, message, messageStructure: structure, attributes, groupId, deduplicationId: dedupId, duplicate: earlier !== undefined, at });
    if (this.published.length > MAX_KEPT) this.published.splice(0, this.published.length - MAX_KEPT);
    return { messageId, ...(topic.fifo ? { sequenceNumber: String(this.published.length).padStart(20, "0") } : {}) };
  }

  /** What subscribers received: duplicates left out unless asked for. */
  messages(opts: { topicArn?: string; includeDuplicates?: boolean } = {}): SnsPublished[] {
    return this.published.filter((m) => (!opts.topicArn || m.topicArn === opts.topicArn) && (opts.includeDuplicates || !m.duplicate));
  }
}

function entries(p: URLSearchParams, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 1; p.has(`${prefix}.entry.${i}.key`); i++) out[p.get(`${prefix}.entry.${i}.key`) ?? ""] = p.get(`${prefix}.entry.${i}.value`) ?? "";
  return out;
}

const demoTopic = (region: string, arn: string | null): TopicSpec | undefined => demoTopicsIn(region).find((t) => topicArn(t) === arn);

function subscriptionsOf(region: string, arn: string) {
  return (demoTopic(region, arn)?.subscriptions ?? []).map((s, i) => ({ ...s, arn: `${arn}:${createHash("md5").update(`${arn}/${i}`).digest("hex").replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5")}` }));
}

function topicAttributes(store: SnsStore, region: string, arn: string | null): Map<string, string> {
  const topic = store.listTopics(region).find((t) => t.arn === arn);
  if (!topic) throw new AwsError("NotFound", "Topic does not exist", 404);
  const spec = demoTopic(region, arn);
  const subs = subscriptionsOf(region, topic.arn);
  const a = new Map<string, string>([
    ["TopicArn", topic.arn],
    ["Owner", ACCOUNT_ID],
    ["DisplayName", ""],
    ["SubscriptionsConfirmed", String(subs.length)],
    ["SubscriptionsPending", "0"],
    ["SubscriptionsDeleted", "0"],
    ["EffectiveDeliveryPolicy", JSON.stringify({ http: { defaultHealthyRetryPolicy: { numRetries: 3, minDelayTarget: 20, maxDelayTarget: 20 } } })],
  ]);
  if (spec?.kmsKey) a.set("KmsMasterKeyId", spec.kmsKey);
  if (topic.fifo) a.set("FifoTopic", "true");
  return a;
}

export const snsService: Service = {
  signingName: "sns",
  protocol,
  throttleError: () => new AwsError("Throttling", "Rate exceeded", 400),
  internalError: () => new AwsError("InternalError", "Internal Error", 500, "Receiver"),
  recognises: (req: SandboxRequest) => req.method === "POST" && /(^|&)Action=(Publish|CreateTopic|ListTopics)(&|$)/.test(req.body.toString("utf8")),
  route(req, ctx): Route | undefined {
    const p = protocol.params(req);
    const action = p.get("Action");
    const store = ctx.sns;
    if (action === "CreateTopic") {
      return { operation: action, run: () => ({ TopicArn: store.createTopic(req.region, p.get("Name") ?? "", entries(p, "Attributes")).arn }) };
    }
    if (action === "ListTopics") {
      return {
        operation: action,
        run: () => {
          const token = p.get("NextToken");
          const offset = token ? decodeToken<{ o: number }>(token, () => new AwsError("InvalidParameter", "Invalid parameter: NextToken", 400)).o : 0;
          const r = page(store.listTopics(req.region), offset, 100);
          return { Topics: r.items.map((t) => ({ TopicArn: t.arn })), NextToken: r.next !== undefined ? encodeToken({ o: r.next }) : undefined };
        },
      };
    }
    if (action === "GetTopicAttributes") return { operation: action, run: () => ({ Attributes: topicAttributes(store, req.region, p.get("TopicArn")) }) };
    if (action === "ListSubscriptionsByTopic") {
      return {
        operation: action,
        run: () => {
          const arn = p.get("TopicArn") ?? "";
          topicAttributes(store, req.region, arn);
          return { Subscriptions: subscriptionsOf(req.region, arn).map((s) => ({ SubscriptionArn: s.arn, Owner: ACCOUNT_ID, Protocol: s.protocol, Endpoint: s.endpoint, TopicArn: arn })) };
        },
      };
    }
    if (action === "GetSubscriptionAttributes") {
      return {
        operation: action,
        run: () => {
          const arn = p.get("SubscriptionArn") ?? "";
          const sub = subscriptionsOf(req.region, arn.slice(0, arn.lastIndexOf(":"))).find((s) => s.arn === arn);
          if (!sub) throw new AwsError("NotFound", "Subscription does not exist", 404);
          const a = new Map<string, string>([
            ["SubscriptionArn", sub.arn],
            ["TopicArn", arn.slice(0, arn.lastIndexOf(":"))],
            ["Protocol", sub.protocol],
            ["Endpoint", sub.endpoint],
            ["Owner", ACCOUNT_ID],
            ["ConfirmationWasAuthenticated", "true"],
            ["PendingConfirmation", "false"],
            ["RawMessageDelivery", "false"],
          ]);
          if (sub.dlq) a.set("RedrivePolicy", JSON.stringify({ deadLetterTargetArn: sub.dlq }));
          return { Attributes: a };
        },
      };
    }
    if (action === "ListTagsForResource") {
      return {
        operation: action,
        run: () => {
          const spec = demoTopic(req.region, p.get("ResourceArn"));
          if (!store.listTopics(req.region).some((t) => t.arn === p.get("ResourceArn"))) throw new AwsError("ResourceNotFound", "Resource does not exist", 404);
          return { Tags: Object.entries(spec?.tags ?? {}).map(([Key, Value]) => ({ Key, Value })) };
        },
      };
    }
    if (action === "Publish") {
      return {
        operation: action,
        run: () => {
          const out = store.publish(req.region, p);
          return { MessageId: out.messageId, SequenceNumber: out.sequenceNumber };
        },
      };
    }
    return undefined;
  },
};
