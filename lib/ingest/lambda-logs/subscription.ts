import type { LogEventInput } from "./types";

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
