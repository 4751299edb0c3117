import { describe, expect, it } from "vitest";
import { loadEvents } from "./__fixtures__/load";
import { parseLambdaLogEvents, toParseLogsDocument } from "./index";

describe("toParseLogsDocument", () => {
  it("prints each invocation in the parse-logs shape with its cost, and the error groups", () => {
    const document = toParseLogsDocument(parseLambdaLogEvents([...loadEvents("node-cold-start"), ...loadEvents("retries")]), { region: "us-east-1" });
    expect(Object.keys(document)).toEqual(["invocations", "errorGroups"]);
    expect(Object.keys(document.invocations[0])).toEqual([
      "requestId", "functionName", "logStreamName", "attempt", "startedAt", "endedAt", "durationMs", "billedDurationMs",
      "memorySizeMB", "maxMemoryUsedMB", "initDurationMs", "restoreDurationMs", "billedRestoreDurationMs", "coldStart",
      "status", "errorType", "errorMessage", "traceId", "costUsd",
    ]);
    const cold = document.invocations.find((inv) => inv.billedDurationMs === 546);
    expect(cold?.costUsd).toBeCloseTo(0.0000002 + 0.546 * 2 * 0.0000166667, 15);
    expect(document.errorGroups).toHaveLength(1);
    expect(document.errorGroups[0]).toMatchObject({ errorType: "Error", count: 3, functions: ["orders-api"], message: "attempt <n> failed: downstream <n>" });
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });

  it("gives each error group the first frame of the user's code", () => {
    const document = toParseLogsDocument(parseLambdaLogEvents([...loadEvents("java-error"), ...loadEvents("python-traceback")]), { region: "us-east-1" });
    const frames = Object.fromEntries(document.errorGroups.map((g) => [g.errorType, g.topFrame]));
    expect(frames).toMatchObject({
      "com.example.orders.PaymentException": "com.example.orders.PaymentService.charge (PaymentService.java:88)",
      KeyError: "handler (/var/task/app.py:27)",
    });
  });
});
