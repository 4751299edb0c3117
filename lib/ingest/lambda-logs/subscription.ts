import { z } from "zod";
import type { LogEventInput } from "./types";

/** The shape of a subscription payload, to check one read from outside (a Firehose record, a file). */
export const SubscriptionPayloadSchema = z.object({
  messageType: z.enum(["DATA_MESSAGE", "CONTROL_MESSAGE"]),
  owner: z.string().optional(),
  logGroup: z.string(),
  logStream: z.string(),
  subscriptionFilters: z.array(z.string()).optional(),
  logEvents: z.array(z.object({ id: z.string().min(1), timestamp: z.number(), message: z.string() })),
});

/** A CloudWatch Logs subscription-filter payload, as Firehose or Lambda receive it (after gunzip). */
export interface SubscriptionPayload {
  messageType: string;
  owner?: string;
  logGroup: string;
  logStream: string;
  subscriptionFilters?: string[];
  logEvents: { id: string; timestamp: number; message: string }[];
}

/** The payload's events in FilterLogEvents shape; CONTROL_MESSAGE payloads (delivery checks) carry none. */
export function fromSubscriptionPayload(payload: SubscriptionPayload): LogEventInput[] {
  if (payload.messageType !== "DATA_MESSAGE" || !Array.isArray(payload.logEvents)) return [];
  return payload.logEvents.map((event) => ({
    eventId: event.id,
    logGroupName: payload.logGroup,
    logStreamName: payload.logStream,
    timestamp: event.timestamp,
    message: event.message,
  }));
}
