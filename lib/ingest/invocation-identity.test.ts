import { describe, expect, it } from "vitest";
import { emptyInvocation } from "./lambda-logs/draft";
import type { ParsedInvocation } from "./lambda-logs/types";
import { resolveInvocations, type StoredInvocation } from "./invocation-identity";

function inv(over: Partial<ParsedInvocation>): ParsedInvocation {
  return {
    ...emptyInvocation("r1", "s1", "fn"),
    ...over,
  };
}
const stored = (p: ParsedInvocation, id: number): StoredInvocation => ({ ...p, id, day: "2026-11-22" });

const startOnly = inv({ startedAt: 1000, startEventId: "e-start" });
const reportOnly = inv({ endedAt: 1400, durationMs: 380.5, billedDurationMs: 381, memorySizeMB: 128, maxMemoryUsedMB: 60, status: "success", reportEventId: "e-report", complete: true });

describe("resolveInvocations", () => {
  it("completes a stored START with the REPORT of a later batch instead of adding an attempt", () => {
    const r = resolveInvocations([stored(startOnly, 7)], [reportOnly]);
    expect(r.inserts).toEqual([]);
    expect(r.updates).toHaveLength(1);
    expect(r.updates[0]).toMatchObject({ id: 7, after: { attempt: 1, startedAt: 1000, endedAt: 1400, status: "success", complete: true } });
  });

  it("joins a START that arrives after its REPORT", () => {
    const r = resolveInvocations([stored(reportOnly, 9)], [startOnly]);
    expect(r.inserts).toEqual([]);
    expect(r.updates[0].after).toMatchObject({ startedAt: 1000, endedAt: 1400, startEventId: "e-start", reportEventId: "e-report" });
  });

  it("changes nothing when the same events are read again", () => {
    const whole = inv({ ...startOnly, ...reportOnly, startedAt: 1000, startEventId: "e-start" });
    const r = resolveInvocations([stored(whole, 3)], [whole]);
    expect(r).toEqual({ inserts: [], updates: [] });
  });

  it("numbers a retry of a stored request id as the next attempt", () => {
    const first = inv({ startedAt: 1000, endedAt: 2000, status: "error", startEventId: "a", reportEventId: "b", complete: true });
    const retry = inv({ startedAt: 61_000, endedAt: 62_000, status: "success", startEventId: "c", reportEventId: "d", complete: true, logStreamName: "s2" });
    const r = resolveInvocations([stored(first, 1)], [retry]);
    expect(r.inserts).toHaveLength(1);
    expect(r.inserts[0]).toMatchObject({ attempt: 2, startedAt: 61_000 });
  });

  it("numbers retries within one batch in start order, whatever order they come in", () => {
    const a = inv({ startedAt: 1000, startEventId: "a", logStreamName: "s1" });
    const b = inv({ startedAt: 70_000, startEventId: "b", logStreamName: "s1" });
    const c = inv({ startedAt: 190_000, startEventId: "c", logStreamName: "s2" });
    const r = resolveInvocations([], [c, a, b]);
    expect(r.inserts.map((i) => [i.startEventId, i.attempt])).toEqual([
      ["a", 1],
      ["b", 2],
      ["c", 3],
    ]);
  });

  it("attaches error lines with no START or REPORT to the newest attempt on their stream", () => {
    const r = resolveInvocations([stored(startOnly, 5)], [inv({ status: "error", errorType: "TypeError", errorMessage: "x is undefined" })]);
    expect(r.inserts).toEqual([]);
    expect(r.updates[0].after).toMatchObject({ status: "error", errorType: "TypeError", startedAt: 1000 });
  });
});
