import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodeFirehoseRecords, FirehoseDecodeError, FirehoseTooLargeError, type FirehoseRequest } from "./decode";
import { FIREHOSE_LIMITS, inflateBudget, type FirehoseLimits } from "./limits";

// The subscription payload shape from AWS's "Using CloudWatch Logs subscription filters" documentation.
const payload = (message: string, timestamp = Date.UTC(2026, 10, 20, 10)) => ({
  messageType: "DATA_MESSAGE",
  owner: "123456789012",
  logGroup: "/aws/lambda/checkout",
  logStream: "2026/11/20/[$LATEST]0123456789abcdef0123456789abcdef",
  subscriptionFilters: ["osprey"],
  logEvents: [{ id: "37940000000000000000000000000000000000000000000000000001", timestamp, message }],
});
const record = (p: unknown) => ({ data: gzipSync(JSON.stringify(p)).toString("base64") });
const delivery = (records: { data: string }[]): FirehoseRequest => ({ requestId: "r", timestamp: 0, records });

const KiB = 1024;
const SMALL: FirehoseLimits = { maxBodyBytes: 1024 * KiB, maxRecordBytes: 64 * KiB, maxDecodedBytes: 160 * KiB, maxExpansionRatio: 100 };

describe("decodeFirehoseRecords", () => {
  it("decodes records within the limits", () => {
    const out = decodeFirehoseRecords(delivery([record(payload("START RequestId: x Version: $LATEST\n"))]), SMALL);
    expect(out[0].logEvents[0].message).toContain("START");
  });

  it("refuses a record that inflates past its ratio (a zip bomb) without inflating it", () => {
    // 8 MiB of one character gzips to about 8 KiB: ~1000-fold.
    const bomb = record(payload(" ".repeat(8 * 1024 * KiB)));
    const limits = { ...FIREHOSE_LIMITS, maxExpansionRatio: 100 };
    expect(Buffer.from(bomb.data, "base64").length).toBeLessThan(64 * KiB);
    expect(() => decodeFirehoseRecords(delivery([bomb]), limits)).toThrow(FirehoseTooLargeError);
  });

  it("refuses a record larger than the per-record cap, even when it compresses poorly", () => {
    const big = record(payload(randomBytes(60 * KiB).toString("base64")));
    expect(() => decodeFirehoseRecords(delivery([big]), SMALL)).toThrow(FirehoseTooLargeError);
  });

  it("refuses a delivery whose records together pass the total cap", () => {
    const one = record(payload(randomBytes(30 * KiB).toString("hex")));
    expect(decodeFirehoseRecords(delivery([one, one]), SMALL)).toHaveLength(2);
    expect(() => decodeFirehoseRecords(delivery([one, one, one]), SMALL)).toThrow(FirehoseTooLargeError);
  });

  it("refuses event times Postgres or JavaScript cannot hold, naming the record", () => {
    for (const ts of [1e16, -62_198_755_200_000, 8.64e15 + 1, 253_402_300_800_000, 1.5]) {
      expect(() => decodeFirehoseRecords(delivery([record(payload("x")), record(payload("y", ts))]), SMALL), String(ts)).toThrow(/record 1: .*timestamp/);
    }
    expect(() => decodeFirehoseRecords(delivery([record(payload("y", 1e16))]), SMALL)).toThrow(FirehoseDecodeError);
    expect(decodeFirehoseRecords(delivery([record(payload("y", Date.UTC(9999, 0, 1)))]), SMALL)).toHaveLength(1);
  });

  it("names a record that is not gzip or JSON", () => {
    expect(() => decodeFirehoseRecords(delivery([{ data: Buffer.from([0x1f, 0x8b, 1, 2, 3]).toString("base64") }]), SMALL)).toThrow(/record 0 is not valid gzip/);
  });
});

describe("inflateBudget", () => {
  it("is the smallest of the per-record cap, what is left of the total, and the ratio allowance", () => {
    expect(inflateBudget(SMALL, 100, 0)).toBe(Math.min(64 * KiB, 1024 * KiB + 100 * 100));
    expect(inflateBudget(SMALL, 100, 150 * KiB)).toBe(10 * KiB);
    expect(inflateBudget(SMALL, 100, 200 * KiB)).toBe(0);
    expect(inflateBudget(FIREHOSE_LIMITS, 10 * KiB, 0)).toBe(1024 * KiB + 1000 * KiB);
  });
});
