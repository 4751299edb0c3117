import { gunzipSync } from "node:zlib";
import { z } from "zod";
import { SubscriptionPayloadSchema, type SubscriptionPayload } from "../lambda-logs/subscription";

// Kinesis Data Firehose HTTP endpoint delivery (AWS docs: "Appendix - HTTP Endpoint Delivery
// Request and Response Specifications"): a JSON body of base64 records; for a CloudWatch Logs
// subscription each record is a gzip'd subscription payload.
export const FirehoseRequest = z.object({
  requestId: z.string().min(1),
  timestamp: z.number().int().nonnegative(),
  records: z.array(z.object({ data: z.string() })).max(100_000),
});
export type FirehoseRequest = z.infer<typeof FirehoseRequest>;

export class FirehoseDecodeError extends Error {}

/** Decodes every record, or throws naming the first bad one: a delivery is taken whole or not at all. */
export function decodeFirehoseRecords(req: FirehoseRequest): SubscriptionPayload[] {
  return req.records.map((r, i) => {
    let raw: Buffer;
    try {
      raw = Buffer.from(r.data, "base64");
      // Subscription data is gzip'd; a record that is not is taken as plain JSON.
      if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw, { maxOutputLength: 64 * 1024 * 1024 });
    } catch {
      throw new FirehoseDecodeError(`record ${i}: not base64 of gzip'd data`);
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString("utf8"));
    } catch {
      throw new FirehoseDecodeError(`record ${i}: not a CloudWatch Logs subscription payload (invalid JSON)`);
    }
    const parsed = SubscriptionPayloadSchema.safeParse(json);
    if (!parsed.success) throw new FirehoseDecodeError(`record ${i}: not a CloudWatch Logs subscription payload (${parsed.error.issues[0].path.join(".")})`);
    return parsed.data;
  });
}
