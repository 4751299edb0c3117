import { describe, expect, it } from "vitest";
import { loadEvents, loadJson, shuffled } from "./__fixtures__/load";
import { fromSubscriptionPayload, parseLambdaLogEvents, type ParsedInvocation, type SubscriptionPayload } from "./index";

const A = "8f5b3e2a-1c4d-4e6f-9a0b-1c2d3e4f5a6b";
const B = "2d7c9e1f-3a5b-4c6d-8e0f-1a2b3c4d5e6f";
const RETRIED = "c0ffee00-1111-4222-8333-444455556666";
const D = "d15ea5e0-aaaa-4bbb-8ccc-dddddddddddd";

function parse(name: string) {
  return parseLambdaLogEvents(loadEvents(name));
}

function invocation(name: string, requestId: string): ParsedInvocation {
  const found = parse(name).invocations.filter((inv) => inv.requestId === requestId);
  expect(found).toHaveLength(1);
  return found[0];
}

describe("REPORT and cold starts", () => {
  it("reads every REPORT field, the XRAY trailer on the next line, and a cold start from Init Duration", () => {
    const inv = invocation("node-cold-start", A);
    expect(inv).toMatchObject({
      functionName: "orders-api",
      status: "success",
      durationMs: 3.1,
      billedDurationMs: 546,
      memorySizeMB: 2048,
      maxMemoryUsedMB: 95,
      initDurationMs: 542.01,
      coldStart: true,
      coldStartKind: "init",
      traceId: "1-6729ec20-3f1d2a4b5c6d7e8f9a0b1c2d",
      complete: true,
      errorType: null,
    });
    expect(inv.startedAt).toBe(1730800800545);
    expect(inv.endedAt).toBe(1730800800548);
  });

  it("reads very old REPORT lines with a space before tabs and the XRAY trailer on the same line", () => {
    expect(invocation("old-report-spaces", B)).toMatchObject({
      durationMs: 79.63,
      billedDurationMs: 100,
      memorySizeMB: 128,
      maxMemoryUsedMB: 64,
      coldStart: false,
      coldStartKind: null,
      traceId: "1-5c9a1b2c-0123456789abcdef01234567",
      status: "success",
    });
  });

  it("takes a cold start from INIT_START on the stream before START, and keeps extension lines as platform lines", () => {
    const result = parse("extensions");
    expect(result.invocations[0]).toMatchObject({ coldStart: true, coldStartKind: "init", initDurationMs: 300.92 });
    const kinds = result.logLines.map((line) => line.kind);
    expect(kinds.every((kind) => kind === "platform")).toBe(true);
  });

  it("treats a SnapStart restore as a cold start of its own kind, with restore durations", () => {
    const result = parse("snapstart");
    const [restored, warm] = result.invocations;
    expect(restored).toMatchObject({
      requestId: A,
      coldStart: true,
      coldStartKind: "snapstart",
      restoreDurationMs: 289.61,
      billedRestoreDurationMs: 128,
      initDurationMs: null,
    });
    expect(warm).toMatchObject({ requestId: B, coldStart: false, coldStartKind: null });
  });

  it("does not invent a cold start without evidence", () => {
    expect(invocation("timeout-old", A).coldStart).toBe(false);
    expect(invocation("node-invoke-error", B).coldStart).toBe(false);
  });
});

describe("timeouts", () => {
  it("older shape: Task timed out after REPORT", () => {
    expect(invocation("timeout-old", A)).toMatchObject({
      status: "timeout",
      errorType: "Sandbox.Timedout",
      errorMessage: "Task timed out after 3.00 seconds",
      durationMs: 3003.47,
    });
  });

  it("newer shape: the line before END and REPORT with Status: timeout and no trailing tab", () => {
    const result = parse("timeout-new");
    expect(result.invocations.map((inv) => [inv.requestId, inv.status, inv.errorMessage])).toEqual([
      [A, "timeout", "Task timed out after 3.00 seconds"],
      [B, "timeout", "Task timed out after 3.00 seconds"],
    ]);
    expect(result.invocations[0].traceId).toBe("1-6729ec20-aaaabbbbccccddddeeeeffff");
  });

  it("JSON format: only platform.report says timeout", () => {
    expect(invocation("timeout-json", A)).toMatchObject({
      status: "timeout",
      durationMs: 3000,
      billedDurationMs: 3000,
      traceId: "1-6729ec20-0123456789abcdef01234567",
    });
  });

  it("JSON format: the trace id from platform.start's tracing.value as well as platform.report's", () => {
    const result = parse("json-start-tracing");
    expect(result.invocations.map((inv) => [inv.requestId, inv.traceId, inv.status])).toEqual([
      ["6d68ca91-49c9-448d-89b8-7ca3e6dc66aa", "1-62e900b2-710d76f009d6e7785905449a", "success"],
      ["7e79db02-5ad0-459e-9a0b-8db4f7ed77bb", "1-62e900b3-0a1b2c3d4e5f60718293a4b5", "success"],
    ]);
    // The start alone, before its report arrives, already names the trace.
    const startOnly = parseLambdaLogEvents(loadEvents("json-start-tracing").slice(0, 2));
    expect(startOnly.invocations[0]).toMatchObject({ requestId: "6d68ca91-49c9-448d-89b8-7ca3e6dc66aa", traceId: "1-62e900b2-710d76f009d6e7785905449a" });
  });

  it("an init timeout in the invoke phase times the invocation out", () => {
    const result = parse("init-timeout");
    expect(result.invocations[0]).toMatchObject({ status: "timeout", coldStart: true, initDurationMs: 3000 });
    expect(result.errors.map((e) => [e.requestId, e.errorType])).toEqual([
      [null, "Sandbox.Timedout"],
      [A, "Sandbox.Timedout"],
    ]);
  });
});

describe("out of memory and crashes", () => {
  it.each([
    ["oom-old", "Runtime.ExitError"],
    ["oom-new", "Runtime.OutOfMemory"],
    ["oom-node-heap", "Runtime.OutOfMemory"],
    ["oom-python", "MemoryError"],
    ["oom-java", "java.lang.OutOfMemoryError"],
  ])("%s is out_of_memory", (fixture, errorType) => {
    expect(invocation(fixture, A)).toMatchObject({ status: "out_of_memory", errorType });
  });

  it("a runtime exit without memory pressure is a crash", () => {
    expect(invocation("runtime-exit", A)).toMatchObject({
      status: "crash",
      errorType: "Runtime.ExitError",
      errorMessage: "Runtime exited with error: exit status 1",
    });
  });

  it("a crash after an uncaught exception shows the exception", () => {
    expect(invocation("node-uncaught", A)).toMatchObject({
      status: "crash",
      errorType: "TypeError",
      errorMessage: "Cannot read properties of undefined (reading 'id')",
    });
  });

  it("an init failure is a crash, with the request id 'undefined' lines attributed by time", () => {
    const result = parse("node-init-failure");
    expect(result.invocations).toHaveLength(1);
    expect(result.invocations[0]).toMatchObject({ status: "crash", errorType: "Runtime.ImportModuleError", coldStart: true });
    const uncaught = result.logLines.filter((line) => line.message.includes("Uncaught Exception"));
    expect(uncaught.map((line) => line.requestId)).toEqual([null, A]);
    expect(result.errors.map((e) => [e.requestId, e.errorType])).toEqual([
      [null, "Runtime.ImportModuleError"],
      [A, "Runtime.ImportModuleError"],
    ]);
  });

  it("Python init failure: empty request id, [ERROR] Runtime.ImportModuleError", () => {
    const result = parse("python-init-failure");
    expect(result.invocations[0]).toMatchObject({
      status: "crash",
      errorType: "Runtime.ImportModuleError",
      errorMessage: "Unable to import module 'app': No module named 'requests'",
    });
    const warnings = result.logLines.filter((line) => line.message.includes("LAMBDA_WARNING"));
    expect(warnings.map((line) => line.requestId)).toEqual([null, A]);
  });
});

describe("function errors per runtime", () => {
  it("Node.js Invoke Error is an error; a handled ERROR line is not", () => {
    const result = parse("node-invoke-error");
    expect(result.invocations.map((inv) => [inv.requestId, inv.status, inv.errorType, inv.errorMessage])).toEqual([
      [A, "error", "OrderNotFound", "Order 1234 not found for customer 98765"],
      [B, "success", null, null],
    ]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].stack[1]).toContain("/var/task/index.mjs");
  });

  it("Node.js Unhandled Promise Rejection", () => {
    expect(invocation("node-uncaught", B)).toMatchObject({ errorType: "Runtime.UnhandledPromiseRejection", errorMessage: "Error: socket hang up" });
  });

  it("Node.js JSON format: the runtime's error record", () => {
    const result = parse("node-json");
    expect(result.invocations.map((inv) => [inv.requestId, inv.status, inv.errorType, inv.coldStart])).toEqual([
      [A, "error", "ValidationError", true],
      [B, "success", null, false],
    ]);
    expect(result.invocations[0].initDurationMs).toBe(149.2);
    expect(result.logLines.find((line) => line.message.includes("logsDropped"))?.kind).toBe("platform");
  });

  it("Node.js JSON format: a handled console.error(err) is not a failure; runtimeDone says which record is", () => {
    const result = parse("node-json-handled");
    expect(result.invocations.map((inv) => [inv.requestId, inv.status, inv.errorType, inv.errorMessage])).toEqual([
      [A, "success", null, null],
      [B, "error", "ValidationError", 'field "sku" is required'],
      [D, "success", null, null],
    ]);
    expect(result.errors.map((e) => [e.requestId, e.errorType])).toEqual([[B, "ValidationError"]]);
    expect(result.errors[0].stack).toContain("    at validate (file:///var/task/validate.mjs:9:11)");
    // The line stays an ERROR log line either way.
    expect(result.logLines.filter((line) => line.level === "ERROR")).toHaveLength(4);
  });

  it("Python traceback indented with no-break spaces; a handled [ERROR] log line is not a failure", () => {
    const result = parse("python-traceback");
    expect(result.invocations.map((inv) => [inv.status, inv.errorType, inv.errorMessage])).toEqual([
      ["error", "KeyError", "'customer_id'"],
      ["success", null, null],
    ]);
    expect(result.errors[0].stack[0]).toBe('  File "/var/task/app.py", line 27, in handler');
  });

  it("Python JSON format: the runtime record counts, logger.exception() does not", () => {
    const result = parse("python-json");
    expect(result.invocations[0]).toMatchObject({ status: "error", errorType: "ZeroDivisionError", errorMessage: "division by zero", coldStart: true, initDurationMs: 398.7 });
    expect(result.errors.map((e) => e.errorType)).toEqual(["ZeroDivisionError"]);
  });

  it("Java, text and JSON (AWSRequestId), with Caused by", () => {
    const result = parse("java-error");
    expect(result.invocations.map((inv) => [inv.requestId, inv.status, inv.errorType, inv.errorMessage])).toEqual([
      [A, "error", "com.example.orders.PaymentException", "Could not charge card 4242"],
      [B, "error", "com.example.orders.PaymentException", "Could not charge card 5555"],
    ]);
    expect(result.errors[0].stack.some((line) => line.startsWith("Caused by: java.net.SocketTimeoutException"))).toBe(true);
    expect(result.logLines.find((line) => line.message.includes("Charging order 992"))?.requestId).toBe(B);
  });

  it("Go: the error aws-lambda-go logs, and a panic with its stack", () => {
    const result = parse("go-error");
    expect(result.invocations.map((inv) => [inv.status, inv.errorType])).toEqual([
      ["error", "wrapError"],
      ["crash", "runtimeError"],
    ]);
    expect(result.errors[1].stack).toContain("handler (example.com/orders/main.go:61)");
  });

  it(".NET: exception.ToString() at level fail", () => {
    const result = parse("dotnet-error");
    expect(result.invocations.map((inv) => [inv.status, inv.errorType, inv.errorMessage])).toEqual([
      ["error", "System.InvalidOperationException", "Order 42 is already shipped"],
      ["success", null, null],
    ]);
  });

  it("Ruby: the marker line and the error JSON", () => {
    expect(invocation("ruby-error", A)).toMatchObject({
      status: "error",
      errorType: "Function<NoMethodError>",
      errorMessage: "undefined method `fetch' for nil:NilClass",
    });
  });
});

describe("request ids and attribution", () => {
  it("lines with fake or no request id belong to the invocation running on their stream, or to none", () => {
    const result = parse("node-fake-request-ids");
    const byText = (text: string) => result.logLines.find((line) => line.message.includes(text))?.requestId;
    expect(byText("warming caches")).toBeNull();
    expect(byText("lost its context")).toBe(A);
    expect(byText("plain write to stdout")).toBe(A);
    expect(byText("after the invocation ended")).toBeNull();
  });

  it("interleaved streams attribute id-less lines to their own stream's invocation", () => {
    const result = parse("interleaved");
    const byText = (text: string) => result.logLines.find((line) => line.message.includes(text))?.requestId;
    expect(byText("connecting to db")).toBe(A);
    expect(byText("query done")).toBe(A);
    expect(byText("print from b")).toBe(B);
    expect(byText("extension flush after b ended")).toBeNull();
    expect(byText("print from d")).toBe(D);
    expect(result.invocations.map((inv) => inv.requestId)).toEqual([A, B, D]);
  });

  it("the same request id again is a retry: attempts 1, 2, 3 ordered by start", () => {
    const result = parseLambdaLogEvents(shuffled(loadEvents("retries"), 7));
    expect(result.invocations.map((inv) => [inv.requestId, inv.attempt, inv.errorMessage])).toEqual([
      [RETRIED, 1, "attempt 1 failed: downstream 500"],
      [RETRIED, 2, "attempt 2 failed: downstream 500"],
      [RETRIED, 3, "attempt 3 failed: downstream 500"],
    ]);
    expect(result.errors.map((error) => error.fingerprint)).toEqual(Array(3).fill(result.errors[0].fingerprint));
  });

  it("an SQS message received again is a new request id: a first attempt of its own, not a retry", () => {
    // Lambda's event source mapping invokes the function again for a message whose batch failed, after
    // the queue's visibility timeout, under a new request id (only asynchronous invocations retry under the same one).
    const stream = "2024/11/05/[$LATEST]5a6b7c8d9e0f11223344556677889900";
    const T = Date.UTC(2024, 10, 5, 11, 0, 0);
    const messageId = "059f36b4-87a3-44ab-83d2-661975830a7d";
    const lines = (id: string, t: number, receiveCount: number) => [
      [t, `START RequestId: ${id} Version: $LATEST\n`],
      [t + 2, `${new Date(t + 2).toISOString()}\t${id}\tINFO\treceived message ${messageId} (ApproximateReceiveCount ${receiveCount})\n`],
      [t + 9, `${new Date(t + 9).toISOString()}\t${id}\tERROR\tInvoke Error \t{"errorType":"Error","errorMessage":"downstream 500","stack":["Error: downstream 500","    at Runtime.handler (file:///var/task/index.mjs:42:17)"]}\n`],
      [t + 10, `END RequestId: ${id}\n`],
      [t + 10, `REPORT RequestId: ${id}\tDuration: 9.50 ms\tBilled Duration: 10 ms\tMemory Size: 256 MB\tMax Memory Used: 70 MB\t\n`],
    ] as const;
    const events = [...lines(A, T, 1), ...lines(B, T + 60_000, 2)].map(([timestamp, message], i) => ({
      eventId: `3666666666666666666666666666666666${String(timestamp).padStart(13, "0")}0421${String(i).padStart(5, "0")}`,
      logGroupName: "/aws/lambda/orders-consumer",
      logStreamName: stream,
      timestamp,
      message,
    }));
    const result = parseLambdaLogEvents(events);
    expect(result.invocations.map((inv) => [inv.requestId, inv.attempt, inv.status])).toEqual([
      [A, 1, "error"],
      [B, 1, "error"],
    ]);
  });
});

describe("batch boundaries", () => {
  const STREAM = "2024/11/05/[$LATEST]0a1b2c3d4e5f60718293a4b5c6d7e8f9";
  const T = Date.UTC(2024, 10, 5, 10, 0, 0);
  const event = (i: number, timestamp: number, message: string) => ({
    eventId: `3666666666666666666666666666666666${String(timestamp).padStart(13, "0")}0420${String(i).padStart(5, "0")}`,
    logGroupName: "/aws/lambda/orders-api",
    logStreamName: STREAM,
    timestamp,
    message,
  });
  const report = (duration: string, billed: number) =>
    `REPORT RequestId: ${RETRIED}\tDuration: ${duration} ms\tBilled Duration: ${billed} ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t\n`;

  it("a retry whose first START came in an earlier batch: END and REPORT close the attempt begun before them", () => {
    // Attempt 1 began at T (previous batch) and ends at T+6; its retry runs a minute later on the same stream.
    const events = [
      event(1, T + 6, `END RequestId: ${RETRIED}\n`),
      event(2, T + 6, report("5.00", 5)),
      event(3, T + 60_000, `START RequestId: ${RETRIED} Version: $LATEST\n`),
      event(4, T + 60_100, `END RequestId: ${RETRIED}\n`),
      event(5, T + 60_100, report("99.00", 99)),
    ];
    for (const seed of [0, 1, 2, 3]) {
      const result = parseLambdaLogEvents(seed === 0 ? events : shuffled(events, seed));
      expect(result.invocations.map((inv) => [inv.attempt, inv.startedAt, inv.endedAt, inv.durationMs, inv.reportEventId])).toEqual([
        [1, null, T + 6, 5, events[1].eventId],
        [2, T + 60_000, T + 60_100, 99, events[4].eventId],
      ]);
    }
  });
});

describe("robustness", () => {
  const all = [
    "node-cold-start", "old-report-spaces", "timeout-old", "timeout-new", "timeout-json", "oom-old", "oom-new",
    "oom-node-heap", "oom-python", "oom-java", "runtime-exit", "node-invoke-error", "node-uncaught",
    "node-init-failure", "node-fake-request-ids", "python-traceback", "python-json", "python-init-failure",
    "java-error", "go-error", "dotnet-error", "ruby-error", "snapstart", "extensions", "init-timeout",
    "retries", "interleaved", "malformed", "node-json", "node-json-handled", "json-start-tracing",
  ];

  it("keeps malformed and unknown lines as log lines and never throws", () => {
    const result = parse("malformed");
    expect(result.logLines).toHaveLength(loadEvents("malformed").length);
    const unknown = result.logLines.filter((line) => line.kind === "unknown");
    expect(unknown.length).toBeGreaterThanOrEqual(7);
    expect(unknown.every((line) => line.requestId === A)).toBe(true);
    expect(result.invocations).toHaveLength(1);
    expect(result.invocations[0]).toMatchObject({ status: "success", coldStart: false });
  });

  it("never throws on hostile input", () => {
    const hostile = ["", "{", "[", "REPORT ", "START RequestId: ", "2024-", "2024/01/02 03:04:05 {", "RequestId: x", "\t\t\t", "INIT_REPORT Phase: invoke\tStatus: error"];
    const events = hostile.map((message, i) => ({ eventId: `e${i}`, logStreamName: "s", timestamp: i, message }));
    expect(() => parseLambdaLogEvents(events)).not.toThrow();
    expect(parseLambdaLogEvents(events).logLines).toHaveLength(hostile.length);
  });

  it("the same event twice (same eventId) counts once", () => {
    const events = loadEvents("node-invoke-error");
    const once = parseLambdaLogEvents(events);
    const twice = parseLambdaLogEvents([...events, ...events.slice(2), ...events]);
    expect(twice).toEqual(once);
  });

  it.each(all)("%s gives the same result in any order", (name) => {
    const events = loadEvents(name);
    const expected = parseLambdaLogEvents(events);
    for (const seed of [1, 2, 3]) {
      const result = parseLambdaLogEvents(shuffled(events, seed));
      expect(result.invocations).toEqual(expected.invocations);
      expect(result.errors).toEqual(expected.errors);
      const byEvent = (lines: typeof result.logLines) => [...lines].sort((x, y) => (x.eventId < y.eventId ? -1 : 1));
      expect(byEvent(result.logLines)).toEqual(byEvent(expected.logLines));
    }
  });

  it("takes the function name from the context, else from the log group", () => {
    const events = loadEvents("node-cold-start");
    expect(parseLambdaLogEvents(events).invocations[0].functionName).toBe("orders-api");
    expect(parseLambdaLogEvents(events, { functionName: "other" }).invocations[0].functionName).toBe("other");
    const noGroup = events.map(({ logGroupName: _, ...rest }) => rest);
    expect(parseLambdaLogEvents(noGroup).invocations[0].functionName).toBeNull();
  });

  it("an invocation not finished in this batch has status null", () => {
    const events = loadEvents("node-cold-start").filter((event) => !event.message.startsWith("END") && !event.message.startsWith("REPORT"));
    expect(parseLambdaLogEvents(events).invocations[0]).toMatchObject({ status: null, complete: false, endedAt: null });
  });
});

describe("subscription-filter payloads", () => {
  it("converts DATA_MESSAGE events to the common shape", () => {
    const events = fromSubscriptionPayload(loadJson<SubscriptionPayload>("subscription-data"));
    expect(events).toHaveLength(4);
    expect(events[0]).toMatchObject({ logGroupName: "/aws/lambda/orders-api", eventId: "38536543234345679012345678901234567890123456789012340001" });
    const result = parseLambdaLogEvents(events);
    expect(result.invocations[0]).toMatchObject({ functionName: "orders-api", status: "success", billedDurationMs: 4 });
  });

  it("skips CONTROL_MESSAGE", () => {
    expect(fromSubscriptionPayload(loadJson<SubscriptionPayload>("subscription-control"))).toEqual([]);
  });
});
