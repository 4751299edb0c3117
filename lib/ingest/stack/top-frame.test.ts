import { describe, expect, it } from "vitest";
import { loadEvents } from "../lambda-logs/__fixtures__/load";
import { parseLambdaLogEvents } from "../lambda-logs";
import { findTopFrame, topFrameOf } from "./top-frame";

/** The top frame of each error occurrence the log parser finds in a fixture, in order. */
function topFramesOf(fixture: string): (string | null)[] {
  return parseLambdaLogEvents(loadEvents(fixture)).errors.map((e) => topFrameOf(e.stack));
}

describe("top frame from the log fixtures (the parser's own stacks)", () => {
  it("Node: the handler frame, not the runtime's (/var/runtime, node:internal)", () => {
    expect(topFramesOf("node-invoke-error")[0]).toBe("Runtime.handler (/var/task/index.mjs:12:11)");
    expect(topFramesOf("node-uncaught")[0]).toBe("Timeout._onTimeout (/var/task/index.js:7:21)");
  });

  it("Python text traceback: the innermost user frame", () => {
    expect(topFramesOf("python-traceback")[0]).toBe("handler (/var/task/app.py:27)");
  });

  it("Java: the first frame of the user's package, module frames skipped", () => {
    expect(topFramesOf("java-error")[0]).toBe("com.example.orders.PaymentService.charge (PaymentService.java:88)");
  });

  it("Go: aws-lambda-go's frames skipped", () => {
    expect(topFramesOf("go-error")).toContain("handler (example.com/orders/main.go:61)");
  });

  it(".NET: the first frame with a source file of the user's namespace", () => {
    expect(topFramesOf("dotnet-error")[0]).toBe("Orders.OrderService.Cancel (/src/Orders/OrderService.cs:57)");
  });

  it("Ruby: the handler frame", () => {
    expect(topFramesOf("ruby-error")[0]).toBe("lambda_handler (/var/task/lambda_function.rb:8)");
  });
});

describe("top frame from the runtimes' documented stack formats", () => {
  it("Node: skips node_modules, node:internal and /var/runtime; keeps async and anonymous frames", () => {
    const stack = [
      "ValidationException: The provided key element does not match the schema",
      "    at throwDefaultError (/var/task/node_modules/@smithy/smithy-client/dist-cjs/index.js:867:20)",
      "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
      "    at async getOrder (/var/task/src/orders.js:41:18)",
      "    at async Runtime.handler (/var/task/index.js:9:10)",
    ];
    expect(topFrameOf(stack)).toBe("getOrder (/var/task/src/orders.js:41:18)");
    expect(topFrameOf(["Error: boom", "    at /var/task/index.js:3:9", "    at Runtime.handleOnce (file:///var/runtime/index.mjs:1:1)"])).toBe(
      "<anonymous> (/var/task/index.js:3:9)",
    );
  });

  it("Python: the LAST user frame of the traceback; /var/runtime, site-packages and the standard library skipped", () => {
    const stack = [
      '  File "/var/runtime/bootstrap.py", line 60, in handle_event_request',
      "    response = request_handler(event, lambda_context)",
      '  File "/var/task/app.py", line 12, in handler',
      "    return load(event['id'])",
      '  File "/var/task/orders/store.py", line 33, in load',
      "    return table.get_item(Key={'id': order_id})",
      '  File "/var/task/boto3/resources/factory.py", line 581, in do_action',
      '  File "/opt/python/lib/python3.12/site-packages/botocore/client.py", line 1023, in _make_api_call',
      "    raise error_class(parsed_response, operation_name)",
      '  File "/var/lang/lib/python3.12/json/__init__.py", line 346, in loads',
    ];
    // boto3 vendored into /var/task is the user's package as far as the path tells.
    expect(topFrameOf(stack)).toBe("do_action (/var/task/boto3/resources/factory.py:581)");
    expect(topFrameOf(stack.slice(0, 6))).toBe("load (/var/task/orders/store.py:33)");
  });

  it("Python JSON format: stackTrace items holding the frame and its source line", () => {
    expect(topFrameOf(['  File "/var/task/app.py", line 55, in handler\n    ratio = total / count\n'])).toBe("handler (/var/task/app.py:55)");
  });

  it("Java: skips java., jdk., sun., com.amazonaws. frames and module prefixes; Unknown Source has no line", () => {
    const stack = [
      "java.lang.IllegalStateException: no order",
      "\tat java.base/java.util.Optional.orElseThrow(Optional.java:403)",
      "\tat jdk.internal.reflect.GeneratedMethodAccessor1.invoke(Unknown Source)",
      "\tat com.amazonaws.services.lambda.runtime.api.client.EventHandlerLoader$PojoHandlerAsStreamHandler.handleRequest(EventHandlerLoader.java:205)",
      "\tat com.example.Handler$Inner.lambda$handle$0(Handler.java:31)",
    ];
    expect(topFrameOf(stack)).toBe("com.example.Handler$Inner.lambda$handle$0 (Handler.java:31)");
    expect(findTopFrame(["\tat sun.nio.ch.Net.connect(Native Method)"])).toBeNull();
  });

  it("Go: a panic dump (function line, then a tab and file:line +offset)", () => {
    const stack = [
      "panic: runtime error: index out of range [3] with length 3",
      "",
      "goroutine 1 [running]:",
      "panic({0x6b5a40?, 0xc000018150?})",
      "\t/usr/local/go/src/runtime/panic.go:770 +0x132",
      "main.lookup(...)",
      "\t/var/task/orders.go:27",
      "main.handler({0x7a1d58, 0xc0000a2000}, {0xc0000b6000, 0x10, 0x10})",
      "\t/var/task/main.go:14 +0x65",
    ];
    expect(topFrameOf(stack)).toBe("main.lookup (/var/task/orders.go:27)");
  });

  it(".NET: framework, Amazon.Lambda and generated frames skipped; a frame without symbols has no file", () => {
    const stack = [
      "   at System.Collections.Generic.Dictionary`2.get_Item(TKey key)",
      "   at Orders.Store.Find(String id) in /src/Orders/Store.cs:line 19",
      "   at lambda_method1(Closure, Stream, ILambdaContext, Stream)",
    ];
    expect(topFrameOf(stack)).toBe("Orders.Store.Find (/src/Orders/Store.cs:19)");
    expect(topFrameOf(["   at Orders.Function.Handler(Request input)"])).toBe("Orders.Function.Handler");
  });

  it("Ruby: 3.4 quotes and older backquotes; gems and /var/runtime skipped", () => {
    const stack = [
      "/var/task/vendor/bundle/ruby/3.3.0/gems/aws-sdk-core-3.190.0/lib/seahorse/client/plugins/raise_response_errors.rb:17:in `call'",
      "/var/task/lib/orders.rb:22:in 'Orders.find'",
      "/var/task/app.rb:5:in 'handler'",
      "/var/runtime/lib/lambda_handler.rb:28:in `call_handler'",
    ];
    expect(topFrameOf(stack)).toBe("Orders.find (/var/task/lib/orders.rb:22)");
  });

  it("no frame of the user's code: null", () => {
    expect(topFrameOf([])).toBeNull();
    expect(topFrameOf(["Error: x", "    at node:internal/main:1:1", "    at /var/runtime/index.mjs:2:2"])).toBeNull();
    expect(topFrameOf(["just a message"])).toBeNull();
  });
});
