// How much one Firehose delivery may cost the web server. Firehose buffers at most 64 MiB of records
// for an HTTP endpoint (HttpEndpointBufferingHints.SizeInMBs: 1..64, default 5) and sends them
// base64-encoded in a JSON envelope, so a documented delivery is at most 64 MiB * 4/3 plus the envelope.
// What a record decodes to is capped separately: gzip can expand about 1000-fold, so the body cap alone
// does not bound memory (80 records of a 6.5 MB request once took the heap).

const MiB = 1024 * 1024;

export interface FirehoseLimits {
  /** Bytes of request body read before answering 413. */
  maxBodyBytes: number;
  /** Bytes one record may decode to. CloudWatch Logs puts at most 1 MiB of events in one batch; JSON framing and escaping stay well under 8 MiB. */
  maxRecordBytes: number;
  /** Bytes all records of one delivery may decode to together. */
  maxDecodedBytes: number;
  /** Largest decoded/compressed ratio of one record (beyond the first MiB): text logs compress 5-30 fold; 1000-fold is a zip bomb. */
  maxExpansionRatio: number;
}

export const FIREHOSE_LIMITS: FirehoseLimits = {
  maxBodyBytes: Math.ceil((64 * MiB * 4) / 3) + MiB,
  maxRecordBytes: 8 * MiB,
  maxDecodedBytes: 128 * MiB,
  maxExpansionRatio: 100,
};

/** The output cap for inflating `compressedBytes` with `decodedSoFar` already spent: the smallest of the three limits. */
export function inflateBudget(limits: FirehoseLimits, compressedBytes: number, decodedSoFar: number): number {
  return Math.max(0, Math.min(limits.maxRecordBytes, limits.maxDecodedBytes - decodedSoFar, MiB + compressedBytes * limits.maxExpansionRatio));
}

/**
 * Event times a delivery may carry: what Postgres' timestamptz and JavaScript's Date can both hold and
 * print, years 1970..9999. A time outside is refused with 400: a database error would be a 500, and
 * Firehose retries a 500 for as long as it is configured to.
 */
export const MIN_EVENT_TIME_MS = 0;
export const MAX_EVENT_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
