import { z } from "zod";
import { QueryInt } from "./common";
import { CHANNEL_KINDS, EmailConfig, PagerDutyConfig, SlackConfig, SnsConfig, WebhookConfig } from "@/lib/notify/channel-kinds";

const head = { name: z.string().trim().min(1).max(100), enabled: z.boolean().default(true) };

/** A new channel: its kind's fields, secrets included (they are stored apart and never shown again in full). */
export const ChannelInput = z.discriminatedUnion("kind", [
  SlackConfig.extend({ ...head, kind: z.literal("slack") }),
  EmailConfig.extend({ ...head, kind: z.literal("email") }),
  WebhookConfig.extend({ ...head, kind: z.literal("webhook") }),
  PagerDutyConfig.extend({ ...head, kind: z.literal("pagerduty") }),
  SnsConfig.extend({ ...head, kind: z.literal("sns") }),
]);
export type ChannelInput = z.infer<typeof ChannelInput>;

/**
 * A change: any of the kind's fields (checked against the kind once merged with what is stored).
 * A secret left out, or given empty, keeps the stored one; `password: null` removes an SMTP password.
 */
export const ChannelPatch = z
  .object({ name: head.name.optional(), enabled: z.boolean().optional(), kind: z.enum(CHANNEL_KINDS).optional() })
  .catchall(z.unknown())
  .meta({ description: "Fields to change; the kind cannot change" });
export type ChannelPatch = z.infer<typeof ChannelPatch>;

export const DeliveryStatus = z.enum(["pending", "sending", "sent", "failed", "folded"]);

export const ChannelDeliverySummary = z.object({
  lastAt: z.string().nullable().meta({ description: "When a notification was last handed to the receiver" }),
  lastStatus: DeliveryStatus.nullable(),
  lastError: z.string().nullable(),
  pending: z.number().meta({ description: "Notifications waiting or being retried" }),
  failed: z.number().meta({ description: "Notifications given up on (permanent error or 24 h of retries)" }),
  sent24h: z.number(),
});

export const ChannelView = z.object({
  id: z.number(),
  name: z.string(),
  kind: z.enum(CHANNEL_KINDS),
  enabled: z.boolean(),
  target: z.string().meta({ description: "Where it sends, secrets masked" }),
  config: z.record(z.string(), z.unknown()).meta({ description: "The kind's fields other than secrets" }),
  secrets: z.record(z.string(), z.string().nullable()).meta({ description: "Each secret's last four characters (…abcd), null when unset" }),
  delivery: ChannelDeliverySummary,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ChannelView = z.infer<typeof ChannelView>;

export const NotificationView = z.object({
  id: z.number(),
  incidentId: z.number().nullable(),
  event: z.string(),
  title: z.string().nullable(),
  status: DeliveryStatus,
  attempts: z.number(),
  lastError: z.string().nullable(),
  deliveryInfo: z.string().nullable(),
  createdAt: z.string(),
  lastAttemptAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  foldedInto: z.number().nullable(),
});
export type NotificationView = z.infer<typeof NotificationView>;

export const NotificationsQuery = z.object({
  status: DeliveryStatus.optional(),
  limit: QueryInt(1, 200).default(50),
});

export const TestResult = z.object({
  ok: z.boolean(),
  status: DeliveryStatus,
  info: z.string().nullable().meta({ description: "What the receiver answered" }),
  error: z.string().nullable(),
  ms: z.number(),
});
export type TestResult = z.infer<typeof TestResult>;
