import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { loadEvents } from "../ingest/lambda-logs/__fixtures__/load";
import { parseLambdaLogEvents, type LogEventInput } from "../ingest/lambda-logs";
import { ErrorDetailQuery } from "../api/schemas/errors";
import { writeLambdaBatch, type LambdaWriteTarget } from "./lambda-writer";
import { getErrorGroup } from "./queries/errors";

const STREAM = "2024/11/05/[$LATEST]0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const T = Date.UTC(2024, 10, 5, 11, 0, 0);
const DAY = { from: Date.UTC(2024, 10, 5), to: Date.UTC(2024, 10, 6), prevFrom: Date.UTC(2024, 10, 4), prevTo: Date.UTC(2024, 10, 5) };

let tdb: TestDatabase;
let db: pg.Pool;
let target: LambdaWriteTarget;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 2 });
  const { rows: accounts } = await db.query("INSERT INTO accounts (name, regions, updated_at) VALUES ('prod', '{us-east-1}', now()) RETURNING id");
  const { rows } = await db.query(
    `INSERT INTO resources (account_id, region, kind, arn, name, config) VALUES ($1, 'us-east-1', 'lambda',
      'arn:aws:lambda:us-east-1:123456789012:function:orders-api', 'orders-api', '{"logGroup": "/aws/lambda/orders-api"}') RETURNING id`,
    [accounts[0].id],
  );
  target = { resourceId: rows[0].id, region: "us-east-1", architecture: "x86_64" };
});

afterAll(async () => {
  await db?.end();
  await tdb?.drop();
});

async function write(events: LogEventInput[]) {
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    await writeLambdaBatch(client, target, parseLambdaLogEvents(events, { functionName: "orders-api" }));
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK");
    throw err;
  } finally {
    client.release();
  }
}

async function group(errorType: string) {
  const { rows } = await db.query<{ top_frame: string | null; sample_stack: string | null; count: number }>(
    "SELECT top_frame, sample_stack, count FROM error_groups WHERE error_type = $1",
    [errorType],
  );
  expect(rows).toHaveLength(1);
  return rows[0];
}

let seq = 0;
/** A Python unhandled error of one request, as awslambdaric logs it: lines joined by `\r`, frames indented with U+00A0. */
function pythonError(requestId: string, at: number, frames: [file: string, line: number, fn: string][]): LogEventInput[] {
  const ev = (timestamp: number, message: string): LogEventInput => ({
    eventId: `3888888888888888888888888888888888${String(timestamp).padStart(13, "0")}0420${String(++seq).padStart(5, "0")}`,
    logGroupName: "/aws/lambda/orders-api",
    logStreamName: STREAM,
    timestamp,
    message,
  });
  const traceback = frames.map(([file, line, fn]) => `\u00a0\u00a0File "${file}", line ${line}, in ${fn}\r\u00a0\u00a0\u00a0\u00a0pass`);
  return [
    ev(at, `START RequestId: ${requestId} Version: $LATEST\n`),
    ev(at + 5, ["[ERROR] StockError: sku 12 is out of stock", "Traceback (most recent call last):", ...traceback].join("\r") + "\n"),
    ev(at + 6, `END RequestId: ${requestId}\n`),
    ev(at + 6, `REPORT RequestId: ${requestId}\tDuration: 5.00 ms\tBilled Duration: 6 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t\n`),
  ];
}

describe("error groups get a top frame and a sample stack", () => {
  it("for every runtime fixture, from the first occurrence with a stack", async () => {
    for (const fixture of ["node-invoke-error", "python-traceback", "java-error", "dotnet-error", "ruby-error", "go-error"]) {
      await write(loadEvents(fixture));
    }
    expect((await group("OrderNotFound")).top_frame).toBe("Runtime.handler (/var/task/index.mjs:12:11)");
    expect((await group("KeyError")).top_frame).toBe("handler (/var/task/app.py:27)");
    expect((await group("com.example.orders.PaymentException")).top_frame).toBe(
      "com.example.orders.PaymentService.charge (PaymentService.java:88)",
    );
    expect((await group("System.InvalidOperationException")).top_frame).toBe("Orders.OrderService.Cancel (/src/Orders/OrderService.cs:57)");
    expect((await group("runtimeError")).top_frame).toBe("handler (example.com/orders/main.go:61)");
    const ruby = await group("Function<NoMethodError>");
    expect(ruby.top_frame).toBe("lambda_handler (/var/task/lambda_function.rb:8)");
    expect(ruby.sample_stack).toBe("/var/task/lambda_function.rb:8:in `lambda_handler'");
    const java = await group("com.example.orders.PaymentException");
    expect(java.sample_stack).toContain("\tat com.example.orders.Handler.handleRequest(Handler.java:42)");
    expect(java.sample_stack).toContain("Caused by: java.net.SocketTimeoutException: Read timed out");
  });

  it("keeps the first occurrence's frame, fills a group stored without one, and re-reading changes nothing", async () => {
    // Same type, message and outermost frame: one group, whose occurrences fail in different places.
    const first = pythonError("aaaaaaaa-0000-4000-8000-000000000001", T, [
      ["/var/runtime/bootstrap.py", 60, "handle_event_request"],
      ["/var/task/app.py", 12, "handler"],
      ["/var/task/stock.py", 30, "reserve"],
    ]);
    const second = pythonError("aaaaaaaa-0000-4000-8000-000000000002", T + 60_000, [
      ["/var/task/app.py", 14, "handler"],
      ["/var/task/stock.py", 70, "release"],
    ]);
    await write([...second, ...first]);
    const firstStack = '  File "/var/runtime/bootstrap.py", line 60, in handle_event_request\n    pass\n  File "/var/task/app.py", line 12, in handler';
    let g = await group("StockError");
    expect(g).toMatchObject({ top_frame: "reserve (/var/task/stock.py:30)", count: 2 });
    expect(g.sample_stack).toContain(firstStack);

    await write(pythonError("aaaaaaaa-0000-4000-8000-000000000003", T + 120_000, [["/var/task/app.py", 15, "handler"]]));
    await write([...first, ...second]);
    g = await group("StockError");
    expect(g).toMatchObject({ top_frame: "reserve (/var/task/stock.py:30)", count: 3 });
    expect(g.sample_stack).toContain(firstStack);

    // A group stored before top frames were kept gets one from its next occurrence.
    await db.query("UPDATE error_groups SET top_frame = NULL, sample_stack = NULL WHERE error_type = 'StockError'");
    await write(pythonError("aaaaaaaa-0000-4000-8000-000000000004", T + 180_000, [["/var/task/app.py", 16, "handler"], ["/var/task/price.py", 9, "quote"]]));
    expect(await group("StockError")).toMatchObject({ top_frame: "quote (/var/task/price.py:9)", count: 4 });
  });

  it("the error group's page data carries the top frame and the whole stack", async () => {
    const { rows } = await db.query<{ id: number }>("SELECT id FROM error_groups WHERE error_type = 'com.example.orders.PaymentException'");
    const q = ErrorDetailQuery.parse({});
    const detail = await getErrorGroup(db, rows[0].id, q, DAY);
    expect(detail?.data.topFrame).toBe("com.example.orders.PaymentService.charge (PaymentService.java:88)");
    expect(detail?.data.sampleStack?.split("\n")).toEqual([
      "com.example.orders.PaymentException: Could not charge card 4242",
      "\tat com.example.orders.PaymentService.charge(PaymentService.java:88)",
      "\tat com.example.orders.Handler.handleRequest(Handler.java:42)",
      "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(Unknown Source)",
      "Caused by: java.net.SocketTimeoutException: Read timed out",
      "\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(Unknown Source)",
      "\tat com.example.orders.PaymentService.charge(PaymentService.java:80)",
      "\t... 2 more",
    ]);
  });
});
