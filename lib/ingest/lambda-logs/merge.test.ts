import { describe, expect, it } from "vitest";
import { loadEvents, shuffled } from "./__fixtures__/load";
import { mergeInvocation, parseLambdaLogEvents, type LogEventInput, type ParsedInvocation } from "./index";

/** What the DB writer does with invocations arriving in several batches: merge by stream and request id. */
function mergeBatches(batches: LogEventInput[][]): ParsedInvocation[] {
  const merged = new Map<string, ParsedInvocation>();
  for (const batch of batches) {
    for (const inv of parseLambdaLogEvents(batch).invocations) {
      const key = `${inv.logStreamName}|${inv.requestId}`;
      const known = merged.get(key);
      merged.set(key, known === undefined ? inv : mergeInvocation(known, inv));
    }
  }
  return [...merged.values()];
}

const comparable = (inv: ParsedInvocation) => ({ ...inv, startEventId: null, reportEventId: null });
const byKey = (a: ParsedInvocation, b: ParsedInvocation) => (`${a.logStreamName}${a.requestId}` < `${b.logStreamName}${b.requestId}` ? -1 : 1);

describe("mergeInvocation", () => {
  // Fixtures whose evidence sits on lines that carry a request id: a batch boundary cannot separate
  // an id-less line from the START it is attributed by.
  it.each([
    "node-cold-start", "old-report-spaces", "timeout-old", "timeout-new", "timeout-json", "oom-old", "oom-new",
    "runtime-exit", "node-invoke-error", "node-uncaught", "python-json", "dotnet-error", "snapstart",
  ])("%s split across batches merges to the one-batch result", (name) => {
    const events = loadEvents(name);
    const whole = parseLambdaLogEvents(events).invocations.map(comparable).sort(byKey);
    for (const seed of [11, 12, 13, 14]) {
      const mixed = shuffled(events, seed);
      const cut = 1 + (seed % (mixed.length - 1));
      const merged = mergeBatches([mixed.slice(0, cut), mixed.slice(cut)]).map(comparable).sort(byKey);
      // Cold starts told only by an INIT_START in the other batch cannot be seen: compare the rest.
      for (const inv of merged) {
        const expected = whole.find((w) => w.requestId === inv.requestId && w.logStreamName === inv.logStreamName);
        expect(expected).toBeDefined();
        if (expected!.initDurationMs === null && expected!.restoreDurationMs === null) {
          inv.coldStart = expected!.coldStart;
          inv.coldStartKind = expected!.coldStartKind;
        }
      }
      expect(merged).toEqual(whole);
    }
  });

  // JSON format: the failed runtimeDone between an error record and REPORT tells a failure from handled logging
  // (a successful one may not be logged at all). Batches keep time order (pull chunks, deliveries), so none
  // holds the record and REPORT without the runtimeDone between them, as a shuffled split could.
  it.each(["node-json", "node-json-handled"])("%s split anywhere in time order merges to the one-batch result", (name) => {
    const events = loadEvents(name).sort((a, b) => a.timestamp - b.timestamp);
    const whole = parseLambdaLogEvents(events).invocations.map(comparable).sort(byKey);
    for (let cut = 1; cut < events.length; cut++) {
      const merged = mergeBatches([events.slice(0, cut), events.slice(cut)]).map(comparable).sort(byKey);
      expect(merged.map((inv) => [inv.requestId, inv.status, inv.errorType, inv.errorMessage])).toEqual(
        whole.map((inv) => [inv.requestId, inv.status, inv.errorType, inv.errorMessage]),
      );
    }
  });

  it("takes each field from whichever view knows it and the status by precedence", () => {
    const events = loadEvents("timeout-old");
    const reportIndex = events.findIndex((event) => event.message.startsWith("REPORT"));
    const [early] = parseLambdaLogEvents(events.slice(0, reportIndex)).invocations;
    const [late] = parseLambdaLogEvents(events.slice(reportIndex)).invocations;
    expect(early.status).toBeNull();
    expect(late.status).toBe("timeout");
    const merged = mergeInvocation(early, late);
    expect(merged).toMatchObject({ status: "timeout", startedAt: early.startedAt, durationMs: 3003.47, complete: true });
    expect(mergeInvocation(late, early)).toEqual(merged);
  });

  it("old-shape out of memory: the kill and the full memory in different batches", () => {
    const events = loadEvents("oom-old");
    const kill = events.filter((event) => event.message.includes("signal: killed"));
    const rest = events.filter((event) => !event.message.includes("signal: killed"));
    const [a] = parseLambdaLogEvents(rest).invocations;
    const [b] = parseLambdaLogEvents(kill).invocations;
    expect(a.status).toBe("success");
    expect(b.status).toBe("crash");
    expect(mergeInvocation(a, b).status).toBe("out_of_memory");
    expect(mergeInvocation(b, a).status).toBe("out_of_memory");
  });
});
