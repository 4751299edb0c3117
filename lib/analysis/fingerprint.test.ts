import { describe, expect, it } from "vitest";
import { fingerprintError, groupErrors, normalizeErrorMessage, topApplicationFrame } from "./fingerprint";

const nodeStack = (file: string, fn = "Runtime.handler") => [
  "Error: boom",
  "    at validate (/var/task/node_modules/zod/lib/index.js:10:5)",
  `    at ${fn} (file:///var/task/${file}:12:11)`,
  "    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)",
];

describe("normalizeErrorMessage", () => {
  it("masks numbers, ids, UUIDs, hex, quoted values, URLs, emails and timestamps", () => {
    expect(
      normalizeErrorMessage(
        "Order 1234 for user@example.com failed at 2024-11-05T10:00:00.123Z: item 'sku-9' id 8f5b3e2a-1c4d-4e6f-9a0b-1c2d3e4f5a6b hash 0xdeadbeef 3f9a8c7d6e5f4a3b see https://api.example.com/v1/orders/1234?x=1",
      ),
    ).toBe("Order <n> for <email> failed at <ts>: item <str> id <uuid> hash <hex> <hex> see <url>");
  });

  it("collapses whitespace", () => {
    expect(normalizeErrorMessage("  a \n\t b  ")).toBe("a b");
  });
});

describe("fingerprintError", () => {
  it("the same error with different ids has the same fingerprint", () => {
    const a = fingerprintError({ errorType: "OrderNotFound", errorMessage: "Order 1234 not found (request 8f5b3e2a-1c4d-4e6f-9a0b-1c2d3e4f5a6b)", stack: nodeStack("index.mjs") });
    const b = fingerprintError({ errorType: "OrderNotFound", errorMessage: "Order 98 not found (request 2d7c9e1f-3a5b-4c6d-8e0f-1a2b3c4d5e6f)", stack: nodeStack("index.mjs") });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
  });

  it("a different top application frame gives a different fingerprint", () => {
    const a = fingerprintError({ errorType: "Error", errorMessage: "boom", stack: nodeStack("index.mjs") });
    const b = fingerprintError({ errorType: "Error", errorMessage: "boom", stack: nodeStack("orders.mjs") });
    expect(a).not.toBe(b);
  });

  it("ignores line and column moves of the same frame", () => {
    const moved = nodeStack("index.mjs").map((line) => line.replace(":12:11", ":40:3"));
    expect(fingerprintError({ errorType: "Error", errorMessage: "boom", stack: moved })).toBe(
      fingerprintError({ errorType: "Error", errorMessage: "boom", stack: nodeStack("index.mjs") }),
    );
  });

  it("a message ending in parentheses is the stack's header, not a frame: ids in it do not split the group", () => {
    const node = (order: number, customer: number) => ({
      errorType: "OrderNotFound",
      errorMessage: `Order ${order} not found (customer ${customer})`,
      stack: [`OrderNotFound: Order ${order} not found (customer ${customer})`, "    at findOrder (file:///var/task/orders.mjs:31:11)", "    at Runtime.handler (file:///var/task/index.mjs:12:20)"],
    });
    expect(fingerprintError(node(1234, 98765))).toBe(fingerprintError(node(55, 12)));
    expect(topApplicationFrame(node(1234, 98765).stack)).toBe("findOrder @ /var/task/orders.mjs");

    const java = (line: number) => ({
      errorType: "com.example.orders.InvalidOrderException",
      errorMessage: `Malformed order at line ${line} (path $.items)`,
      stack: [
        `com.example.orders.InvalidOrderException: Malformed order at line ${line} (path $.items)`,
        "\tat com.example.orders.OrderParser.parse(OrderParser.java:51)",
        "\tat com.example.orders.Handler.handleRequest(Handler.java:42)",
      ],
    });
    expect(fingerprintError(java(17))).toBe(fingerprintError(java(3)));
    expect(topApplicationFrame(java(17).stack)).toBe("com.example.orders.OrderParser.parse @ OrderParser.java");
  });

  it("a different error type gives a different fingerprint", () => {
    expect(fingerprintError({ errorType: "TypeError", errorMessage: "boom", stack: [] })).not.toBe(
      fingerprintError({ errorType: "RangeError", errorMessage: "boom", stack: [] }),
    );
  });
});

describe("topApplicationFrame", () => {
  it.each([
    [nodeStack("index.mjs"), "Runtime.handler @ /var/task/index.mjs"],
    [['  File "/var/runtime/bootstrap.py", line 60, in run', '  File "/var/task/app.py", line 27, in handler', '    customer = event["customer_id"]'], "handler @ /var/task/app.py"],
    [["com.example.PaymentException: x", "\tat java.base/java.net.Socket.read(Socket.java:1)", "\tat com.example.orders.Handler.handleRequest(Handler.java:42)"], "com.example.orders.Handler.handleRequest @ Handler.java"],
    [["   at System.Linq.Enumerable.First()", "   at Orders.Function.FunctionHandler(CancelRequest input) in /src/Orders/Function.cs:line 23"], "Orders.Function.FunctionHandler(CancelRequest input) @ /src/Orders/Function.cs"],
    [["/var/task/vendor/bundle/ruby/3.3.0/gems/aws-sdk-core/lib/seahorse.rb:10:in `call'", "/var/task/lambda_function.rb:8:in `lambda_handler'"], "lambda_handler @ /var/task/lambda_function.rb"],
    [["lambdaPanicResponse (github.com/aws/aws-lambda-go@v1.47.0/lambda/errors.go:39)", "handler (example.com/orders/main.go:61)"], "handler @ example.com/orders/main.go"],
  ])("finds the application frame in %j", (stack, expected) => {
    expect(topApplicationFrame(stack)).toBe(expected);
  });

  it("returns null when every frame is the runtime's", () => {
    expect(topApplicationFrame(["    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)"])).toBeNull();
  });
});

describe("groupErrors", () => {
  it("counts, first and last seen, affected functions", () => {
    const occurrence = (timestamp: number, message: string, functionName?: string) => ({
      timestamp,
      errorType: "OrderNotFound",
      errorMessage: message,
      stack: nodeStack("index.mjs"),
      functionName,
    });
    const groups = groupErrors(
      [
        occurrence(300, "Order 3 not found", "billing"),
        occurrence(100, "Order 1 not found"),
        occurrence(200, "Order 2 not found"),
        { timestamp: 150, errorType: "TypeError", errorMessage: "x is undefined", stack: [] },
      ],
      "orders-api",
    );
    expect(groups).toHaveLength(2);
    expect(groups[0]).toMatchObject({
      errorType: "OrderNotFound",
      message: "Order <n> not found",
      sampleMessage: "Order 3 not found",
      count: 3,
      firstSeen: 100,
      lastSeen: 300,
      functions: ["billing", "orders-api"],
    });
    expect(groups[1]).toMatchObject({ errorType: "TypeError", count: 1, functions: ["orders-api"] });
  });
});
