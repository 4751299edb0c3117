// A generated corpus of Lambda log events for the benchmarks (its own generator, not the sandbox's).
import type { LogEventInput } from "@/lib/ingest/lambda-logs";

const STREAMS = 200;

function hex(n: number, length: number): string {
  let out = "";
  let x = n >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out += (x >>> 16 & 15).toString(16);
  }
  return out;
}

function uuid(n: number): string {
  const h = hex(n * 7919 + 17, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A day of a busy Node.js/Python fleet: mostly warm successes, some cold starts, errors and timeouts. */
export function generateCorpus(target: number): LogEventInput[] {
  const all: LogEventInput[] = [];
  for (const chunk of corpusChunks(target, 10_000)) all.push(...chunk);
  return all;
}

/** The same corpus, a chunk at a time, so a consumer never holds all of it (as a worker never does). */
export function* corpusChunks(target: number, chunkSize: number): Generator<LogEventInput[]> {
  let events: LogEventInput[] = [];
  let produced = 0;
  const streamNames = Array.from({ length: STREAMS }, (_, i) => `2024/11/05/[$LATEST]${hex(i + 1, 32)}`);
  const clock = new Array<number>(STREAMS).fill(Date.UTC(2024, 10, 5));
  let eventNo = 0;
  const push = (stream: number, timestamp: number, message: string) => {
    produced++;
    events.push({
      eventId: String(38_000_000_000 + eventNo++).padStart(56, "3"),
      logGroupName: "/aws/lambda/orders-api",
      logStreamName: streamNames[stream],
      timestamp,
      ingestionTime: timestamp + 150,
      message,
    });
  };
  let invocation = 0;
  while (produced < target) {
    if (events.length >= chunkSize) {
      yield asDelivered(events);
      events = [];
    }
    const stream = invocation % STREAMS;
    const python = stream % 4 === 0;
    const requestId = uuid(invocation);
    let t = (clock[stream] += 50 + (invocation % 37));
    const cold = invocation < STREAMS || invocation % 500 === 0;
    if (cold) push(stream, t++, "INIT_START Runtime Version: nodejs:20.v30\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:da57c20c4b965d5b7\n");
    push(stream, t, `START RequestId: ${requestId} Version: $LATEST\n`);
    const lines = 2 + (invocation % 4);
    for (let i = 0; i < lines; i++) {
      t += 3;
      const iso = new Date(t).toISOString();
      push(
        stream,
        t,
        python
          ? `[INFO]\t${iso}\t${requestId}\tprocessed item ${i} of order ${invocation}\n`
          : `${iso}\t${requestId}\tINFO\tprocessed item ${i} of order ${invocation} for customer ${invocation % 977}\n`,
      );
    }
    if (invocation % 50 === 7) {
      push(stream, t, `${new Date(t).toISOString()}\t${requestId}\tERROR\tInvoke Error \t{"errorType":"OrderNotFound","errorMessage":"Order ${invocation} not found","stack":["OrderNotFound: Order ${invocation} not found","    at Runtime.handler (file:///var/task/index.mjs:12:11)"]}\n`);
    }
    const duration = (t - clock[stream] + 0.37).toFixed(2);
    const timeout = invocation % 400 === 3;
    push(stream, ++t, `END RequestId: ${requestId}\n`);
    push(
      stream,
      t,
      `REPORT RequestId: ${requestId}\tDuration: ${duration} ms\tBilled Duration: ${Math.ceil(Number(duration))} ms\tMemory Size: 1024 MB\tMax Memory Used: ${80 + (invocation % 40)} MB\t` +
        (cold ? "Init Duration: 212.40 ms\t" : "") +
        (timeout ? "Status: timeout" : "") +
        "\n",
    );
    clock[stream] = t;
    invocation++;
  }
  if (events.length) yield asDelivered(events);
}

/**
 * The events as the SDK hands them over: decoded from a JSON response page. Built here with padStart
 * and template literals, their strings are ropes that V8 flattens on first use; JSON.parse gives flat
 * ones, and one string per field per event, as a FilterLogEvents page (up to 10,000 events) does.
 */
function asDelivered(events: LogEventInput[]): LogEventInput[] {
  return JSON.parse(JSON.stringify(events)) as LogEventInput[];
}
