import { describe, expect, it } from "vitest";
import { emptyInvocation } from "./lambda-logs/draft";
import { resolveOccurrences, type StoredOccurrence } from "./invocation-identity-errors";
import type { ErrorOccurrence, ParsedInvocation } from "./lambda-logs/types";

const REQ = "c0ffee00-1111-4222-8333-444455556666";
const STREAM = "2024/11/05/[$LATEST]0a1b2c3d4e5f60718293a4b5c6d7e8f9";

function attempt(over: Partial<ParsedInvocation>): ParsedInvocation {
  return {
    ...emptyInvocation(REQ, STREAM, "orders-api"),
    status: "timeout",
    errorType: "Sandbox.Timedout",
    complete: true,
    ...over,
  };
}

function occurrence(eventId: string, timestamp: number, errorType = "Sandbox.Timedout"): ErrorOccurrence {
  return { requestId: REQ, logStreamName: STREAM, timestamp, eventId, errorType, errorMessage: "Task timed out after 3.00 seconds", stack: [], fingerprint: "f" };
}

const stored = (o: ErrorOccurrence): StoredOccurrence => ({ eventId: o.eventId, requestId: o.requestId, logStreamName: o.logStreamName, timestamp: o.timestamp });

// Attempt 1 runs 1000..4001 and times out; the timeout line at 4000, its REPORT at 4001.
const first = attempt({ startedAt: 1000, endedAt: 4001, durationMs: 3000, startEventId: "start-1", reportEventId: "report-1" });
const timeoutLine = occurrence("line-1", 4000);
const onReport = occurrence("report-1", 4001);

describe("resolveOccurrences", () => {
  it("drops the REPORT's occurrence when the attempt's error line was stored by an earlier batch", () => {
    expect(resolveOccurrences([first], [stored(timeoutLine)], [onReport])).toEqual({ add: [], remove: [] });
  });

  it("takes the REPORT's occurrence back when the error line comes after it", () => {
    expect(resolveOccurrences([first], [stored(onReport)], [timeoutLine])).toEqual({ add: [timeoutLine], remove: ["report-1"] });
  });

  it("keeps the REPORT's occurrence of an attempt with no error line, and reading it again adds nothing new", () => {
    expect(resolveOccurrences([first], [], [onReport])).toEqual({ add: [onReport], remove: [] });
    expect(resolveOccurrences([first], [stored(onReport)], [onReport])).toEqual({ add: [onReport], remove: [] });
  });

  it("an error line of one attempt does not explain its retry's failure", () => {
    const retry = attempt({ attempt: 2, startedAt: 61_000, endedAt: 64_001, durationMs: 3000, startEventId: "start-2", reportEventId: "report-2" });
    const retryReport = occurrence("report-2", 64_001);
    expect(resolveOccurrences([first, retry], [stored(timeoutLine)], [retryReport])).toEqual({ add: [retryReport], remove: [] });
  });

  it("places a line by when the attempt began, also for an attempt known only by its REPORT", () => {
    const reportOnly = attempt({ endedAt: 4001, durationMs: 3000, reportEventId: "report-1" });
    expect(resolveOccurrences([reportOnly], [stored(onReport)], [timeoutLine])).toEqual({ add: [timeoutLine], remove: ["report-1"] });
  });
});
