// POST /api/v1/ingest/firehose – Kinesis Data Firehose HTTP endpoint for CloudWatch Logs subscription data.
import { NextResponse } from "next/server";
import { PayloadTooLargeError, readBodyCapped } from "@/lib/api/body";
import { isDataException } from "@/lib/api/errors";
import { accountOfFirehoseKey } from "@/lib/db/accounts";
import { pool } from "@/lib/db/prisma";
import { pushWriter } from "@/lib/db/push-ingest";
import { env } from "@/lib/env";
import { accessKeyMatches } from "@/lib/ingest/firehose/access-key";
import { decodeFirehoseRecords, FirehoseDecodeError, FirehoseRequest, FirehoseTooLargeError, gunzipCapped } from "@/lib/ingest/firehose/decode";
import { FIREHOSE_LIMITS } from "@/lib/ingest/firehose/limits";
import { childLog } from "@/lib/log";

export const dynamic = "force-dynamic";

const log = childLog("firehose");

function answer(requestId: string, status: number, errorMessage?: string) {
  // Refusals are logged (without the body): an operator sees why Firehose backs deliveries up.
  if (status === 400 || status === 413) log.warn({ requestId, status, reason: errorMessage }, "firehose delivery refused");
  // Firehose reads requestId and timestamp back, and errorMessage on failures.
  return NextResponse.json({ requestId, timestamp: Date.now(), ...(errorMessage ? { errorMessage } : {}) }, { status });
}

export async function POST(req: Request) {
  const headerId = req.headers.get("x-amz-firehose-request-id") ?? "";
  const presented = req.headers.get("x-amz-firehose-access-key");
  // Each account's own key (Settings → Rotate Firehose key); OSPREY_FIREHOSE_ACCESS_KEY, deprecated, still opens for every account.
  const account = await accountOfFirehoseKey(presented);
  const legacy = env().OSPREY_FIREHOSE_ACCESS_KEY;
  if (!account && !(legacy && accessKeyMatches(presented, legacy))) {
    return answer(headerId, 401, "Invalid access key: use the Firehose key of the AWS account the stream belongs to (Settings → Accounts)");
  }
  log.debug({ requestId: headerId, accountId: account?.id ?? null, key: account ? "account" : "OSPREY_FIREHOSE_ACCESS_KEY (deprecated)" }, "firehose delivery authenticated");

  const limits = FIREHOSE_LIMITS;
  let raw: Buffer;
  try {
    // Counted while it streams in: a larger (or endless chunked) body is refused at the cap, not buffered first.
    raw = await readBodyCapped(req, limits.maxBodyBytes);
  } catch (err) {
    if (err instanceof PayloadTooLargeError) return answer(headerId, 413, `Body larger than ${limits.maxBodyBytes} bytes`);
    throw err;
  }
  let body: FirehoseRequest;
  try {
    if (req.headers.get("content-encoding") === "gzip") raw = gunzipCapped(raw, limits.maxBodyBytes, "body");
    body = FirehoseRequest.parse(JSON.parse(raw.toString("utf8")));
  } catch (err) {
    if (err instanceof FirehoseTooLargeError) return answer(headerId, 413, err.message);
    if (err instanceof FirehoseDecodeError) return answer(headerId, 400, `Content-Encoding is gzip but the ${err.message}`);
    return answer(headerId, 400, "Body is not a Firehose delivery: expected {requestId, timestamp, records: [{data}]}");
  }
  raw = Buffer.alloc(0);
  const requestId = body.requestId;
  try {
    let payloads = decodeFirehoseRecords(body, limits);
    body.records = [];
    // An account's key carries only that AWS account's log data.
    if (account?.awsAccountId) {
      const all = payloads.length;
      payloads = payloads.filter((p) => p.owner === undefined || p.owner === account.awsAccountId);
      if (payloads.length < all) log.warn({ accountId: account.id, dropped: all - payloads.length }, "delivery held log data of another AWS account than its key's: that data was dropped");
    }
    // Written with the deliveries arriving meanwhile, answered once committed; the writer then requests an
    // alert evaluation (a push alerts within seconds) and writes payloads kept for functions found since.
    const result = await pushWriter(pool()).ingest(payloads);
    if (result.unknownLogGroups.length) log.info({ logGroups: result.unknownLogGroups }, "delivery for log groups of no known function yet: kept until discovery finds it");
  } catch (err) {
    if (err instanceof FirehoseTooLargeError) return answer(requestId, 413, err.message);
    if (err instanceof FirehoseDecodeError) return answer(requestId, 400, err.message);
    // A value Postgres refuses (out of range, bad encoding) will be refused again: a 500 would make Firehose retry it for ever.
    if (isDataException(err)) {
      log.warn({ code: (err as { code?: string }).code }, "firehose delivery refused by the database");
      return answer(requestId, 400, "A record holds a value that cannot be stored (out of range or invalid)");
    }
    log.error({ err }, "firehose delivery failed");
    return answer(requestId, 500, "Internal error; the delivery was not stored and can be retried");
  }
  return answer(requestId, 200);
}
