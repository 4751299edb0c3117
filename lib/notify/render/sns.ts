import { createHash } from "node:crypto";
import { isDigest, severityOf, type OutboxPayload } from "../payload";
import { renderEmail } from "./email";
import { plainText } from "./common";

// Publish: Subject under 100 characters, no line breaks or control characters (ASCII kept for every
// subscriber kind); Message at most 256 KB; MessageDeduplicationId up to 128 characters, FIFO topics only.
const SUBJECT_MAX = 99;
const MESSAGE_MAX_BYTES = 262_144;

export interface SnsMessage {
  Subject: string;
  Message: string;
  MessageStructure: "json";
  MessageAttributes: Record<string, { DataType: "String"; StringValue: string }>;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
}

export const isFifoTopic = (topicArn: string) => topicArn.endsWith(".fifo");

function asciiSubject(s: string): string {
  const clean = s.replace(/[\r\n\t]+/g, " ").replace(/[^\x20-\x7e]/g, "?").trim();
  return clean.length <= SUBJECT_MAX ? clean : `${clean.slice(0, SUBJECT_MAX - 3)}...`;
}

/**
 * A message per subscriber kind (MessageStructure json): text for e-mail and SMS-like subscribers,
 * the notice as JSON for queues, functions and HTTP endpoints. Attributes event and severity let a
 * subscription filter. On a FIFO topic the deduplication id is the notification's idempotency key.
 */
export function renderSns(p: OutboxPayload, opts: { topicArn: string; idempotencyKey: string }): SnsMessage {
  const subject = asciiSubject(renderEmail(p).subject);
  const text = isDigest(p) ? renderEmail(p).text : plainText(p);
  let json = JSON.stringify({ idempotencyKey: opts.idempotencyKey, ...(isDigest(p) ? { type: "digest", digest: p } : { type: `incident.${p.event}`, notice: p }) });
  const structured = () => JSON.stringify({ default: text, email: text, sqs: json, lambda: json, http: json, https: json });
  let message = structured();
  if (Buffer.byteLength(message) > MESSAGE_MAX_BYTES) {
    json = JSON.stringify({ idempotencyKey: opts.idempotencyKey, type: isDigest(p) ? "digest" : `incident.${p.event}`, truncated: true });
    message = structured();
  }
  const fifo = isFifoTopic(opts.topicArn);
  return {
    Subject: subject,
    Message: message,
    MessageStructure: "json",
    MessageAttributes: {
      "osprey.event": { DataType: "String", StringValue: p.event },
      "osprey.severity": { DataType: "String", StringValue: severityOf(p) },
    },
    ...(fifo
      ? {
          MessageGroupId: isDigest(p) || p.incidentId === null ? "osprey" : `incident-${p.incidentId}`,
          MessageDeduplicationId: createHash("sha256").update(opts.idempotencyKey).digest("hex"),
        }
      : {}),
  };
}
