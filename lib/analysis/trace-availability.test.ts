import { describe, expect, it } from "vitest";
import { traceAvailability, type TraceAvailabilityInput } from "./trace-availability";

const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const MIN = 60_000;
const DAY = 86_400_000;
const base: TraceAvailabilityInput = {
  hasSpans: false,
  traceId: "1-692ee0f0-0123456789abcdef01234567",
  tracingMode: "Active",
  at: NOW - 2 * 3_600_000,
  now: NOW,
  readFrom: NOW - DAY,
  backfillPending: false,
};
const status = (over: Partial<TraceAvailabilityInput>) => traceAvailability({ ...base, ...over }).status;

describe("why an invocation has no waterfall", () => {
  it("shows the waterfall when spans are stored", () => {
    expect(traceAvailability({ ...base, hasSpans: true })).toEqual({ status: "shown", message: null });
  });

  it("tracing off for the function", () => {
    expect(status({ traceId: null, tracingMode: "PassThrough" })).toBe("tracing-off");
    expect(status({ traceId: null, tracingMode: null })).toBe("tracing-off");
  });

  it("not sampled: active tracing, but the invocation has no trace id", () => {
    expect(status({ traceId: null })).toBe("not-sampled");
  });

  it("older than X-Ray's 30-day retention", () => {
    const r = traceAvailability({ ...base, at: NOW - 31 * DAY, readFrom: null });
    expect(r.status).toBe("expired");
    expect(r.message).toContain("31 days ago");
    expect(status({ at: NOW - 31 * DAY, traceId: null, tracingMode: "PassThrough" })).toBe("expired");
  });

  it("still arriving only while recent, never for ever", () => {
    expect(status({ at: NOW - 2 * MIN })).toBe("arriving");
    expect(status({ at: NOW - 3 * 3_600_000 })).toBe("missing");
  });

  it("older than what Osprey has read: backfill still under way, or before the first read's lookback", () => {
    expect(status({ at: NOW - 2 * DAY, readFrom: NOW - 3_600_000, backfillPending: true })).toBe("not-read-yet");
    const r = traceAvailability({ ...base, at: NOW - 2 * DAY });
    expect(r.status).toBe("not-read");
    expect(r.message).toContain("2026-12-01 12:00 UTC");
  });

  it("traced by its caller while this function's tracing is not active", () => {
    expect(status({ tracingMode: "PassThrough" })).toBe("caller-traced");
  });
});
