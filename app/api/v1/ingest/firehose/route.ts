// POST /api/v1/ingest/firehose – Kinesis Data Firehose HTTP endpoint for CloudWatch Logs subscription data.
import { NextResponse } from "next/server";
import { gunzipSync } from "node:zlib";
import { pool } from "@/lib/db/prisma";
import { ingestSubscriptionPayloads } from "@/lib/db/push-ingest";
import { env } from "@/lib/env";
import { accessKeyMatches } from "@/lib/ingest/firehose/access-key";
import { decodeFirehoseRecords, FirehoseDecodeError, FirehoseRequest } from "@/lib/ingest/firehose/decode";
import { childLog } from "@/lib/log";

export const dynamic = "force-dynamic";

// Firehose sends at most 64 MiB per request (its largest HTTP-endpoint buffer is 64 MiB).
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const log = childLog("firehose");

function answer(requestId: string, status: number, errorMessage?: string) {
  // Firehose reads requestId and timestamp back, and errorMessage on failures.
  return NextResponse.json({ requestId, timestamp: Date.now(), ...(errorMessage ? { errorMessage } : {}) }, { status });
}

export async function POST(req: Request) {
  const headerId = req.headers.get("x-amz-firehose-request-id") ?? "";
  const expected = env().OSPREY_FIREHOSE_ACCESS_KEY;
  if (!expected) return answer(headerId, 403, "Push ingestion is not enabled: set OSPREY_FIREHOSE_ACCESS_KEY");
  if (!accessKeyMatches(req.headers.get("x-amz-firehose-access-key"), expected)) return answer(headerId, 401, "Invalid access key");

  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) return answer(headerId, 413, `Body larger than ${MAX_BODY_BYTES} bytes`);
  let raw = Buffer.from(await req.arrayBuffer());
  if (raw.length > MAX_BODY_BYTES) return answer(headerId, 413, `Body larger than ${MAX_BODY_BYTES} bytes`);
  if (req.headers.get("content-encoding") === "gzip") {
    try {
      raw = gunzipSync(raw, { maxOutputLength: 4 * MAX_BODY_BYTES });
    } catch {
      return answer(headerId, 400, "Content-Encoding is gzip but the body is not gzip data");
    }
  }
  let body: FirehoseRequest;
  try {
    body = FirehoseRequest.parse(JSON.parse(raw.toString("utf8")));
  } catch {
    return answer(headerId, 400, "Body is not a Firehose delivery: expected {requestId, timestamp, records: [{data}]}");
  }
  const requestId = body.requestId;
  try {
    const payloads = decodeFirehoseRecords(body);
    const result = await ingestSubscriptionPayloads(pool(), payloads);
    if (result.unknownLogGroups.length) log.warn({ logGroups: result.unknownLogGroups }, "delivery for log groups of no known function");
    return answer(requestId, 200);
  } catch (err) {
    if (err instanceof FirehoseDecodeError) return answer(requestId, 400, err.message);
    log.error({ err }, "firehose delivery failed");
    return answer(requestId, 500, "Internal error; the delivery was not stored and can be retried");
  }
}
