import { gunzipSync } from "node:zlib";
import { z } from "zod";
import { SubscriptionPayloadSchema, type SubscriptionPayload } from "../lambda-logs/subscription";
import { FIREHOSE_LIMITS, inflateBudget, MAX_EVENT_TIME_MS, MIN_EVENT_TIME_MS, type FirehoseLimits } from "./limits";

// Kinesis Data Firehose HTTP endpoint delivery (AWS docs: "Appendix - HTTP Endpoint Delivery
// Request and Response Specifications"): a JSON body of base64 records; for a CloudWatch Logs
// subscription each record is a gzip'd subscription payload.
export const FirehoseRequest = z.object({
  requestId: z.string().min(1),
  timestamp: z.number().int().nonnegative(),
  records: z.array(z.object({ data: z.string() })).max(100_000),
});
export type FirehoseRequest = z.infer<typeof FirehoseRequest>;

/** A record that is not what Firehose sends for a subscription: 400. */
export class FirehoseDecodeError extends Error {}
/** A delivery that decodes to more than the limits allow: 413, refused before the memory is spent. */
export class FirehoseTooLargeError extends Error {}

function isBufferTooLarge(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === "ERR_BUFFER_TOO_LARGE" || err instanceof RangeError;
}

/** Inflates gzip data, refusing (FirehoseTooLargeError) as soon as the output passes `maxBytes`. */
export function gunzipCapped(data: Buffer, maxBytes: number, what: string): Buffer {
  try {
    return gunzipSync(data, { maxOutputLength: Math.max(1, maxBytes) });
  } catch (err) {
    if (isBufferTooLarge(err)) throw new FirehoseTooLargeError(`${what} decompresses to more than ${maxBytes} bytes`);
    throw new FirehoseDecodeError(`${what} is not valid gzip data`);
  }
}

/** Decodes every record, or throws naming the first bad one: a delivery is taken whole or not at all. */
export function decodeFirehoseRecords(req: FirehoseRequest, limits: FirehoseLimits = FIREHOSE_LIMITS): SubscriptionPayload[] {
  let decoded = 0;
  return req.records.map((r, i) => {
    let raw: Buffer = Buffer.from(r.data, "base64");
    // Subscription data is gzip'd; a record that is not is taken as plain JSON.
    if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipCapped(raw, inflateBudget(limits, raw.length, decoded), `record ${i}`);
    decoded += raw.length;
    if (raw.length > limits.maxRecordBytes || decoded > limits.maxDecodedBytes) throw new FirehoseTooLargeError(`record ${i}: the delivery decodes to more than the limits allow`);
    let json: unknown;
    try {
      json = JSON.parse(raw.toString("utf8"));
    } catch {
      throw new FirehoseDecodeError(`record ${i}: not a CloudWatch Logs subscription payload (invalid JSON)`);
    }
    const parsed = SubscriptionPayloadSchema.safeParse(json);
    if (!parsed.success) throw new FirehoseDecodeError(`record ${i}: not a CloudWatch Logs subscription payload (${parsed.error.issues[0].path.join(".")})`);
    const bad = parsed.data.logEvents.find((e) => !Number.isInteger(e.timestamp) || e.timestamp < MIN_EVENT_TIME_MS || e.timestamp > MAX_EVENT_TIME_MS);
    if (bad) throw new FirehoseDecodeError(`record ${i}: event ${bad.id} has a timestamp (${bad.timestamp}) outside years 1970-9999`);
    return parsed.data;
  });
}
