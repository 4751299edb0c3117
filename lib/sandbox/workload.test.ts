import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, FilterLogEventsCommand, type FilteredLogEvent } from "@aws-sdk/client-cloudwatch-logs";
import { BatchGetTracesCommand, XRayClient } from "@aws-sdk/client-xray";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, Workload, type Invocation, type Sandbox } from "./index";
import { clientConfig, HOUR, MIN, NOW } from "./test-helpers";

let sb: Sandbox;
const REGION = "us-east-1";

beforeAll(async () => {
  sb = await startSandbox({ port: 0, now: () => NOW, backfillMs: 6 * HOUR });
});

afterAll(() => sb.close());

async function allEvents(logs: CloudWatchLogsClient, logGroupName: string, startTime: number, endTime: number, filterPattern?: string) {
  const out: FilteredLogEvent[] = [];
  let nextToken: string | undefined;
  do {
    const r = await logs.send(new FilterLogEventsCommand({ logGroupName, startTime, endTime, filterPattern, nextToken }));
    out.push(...r.events!);
    nextToken = r.nextToken;
  } while (nextToken);
  return out;
}

const all = (fn: string, from = NOW - 6 * HOUR, to = NOW) => sb.workload.invocations(fn, REGION, from, to);

describe("metrics agree with the logs", () => {
  it("Invocations per minute equals START lines per minute; Duration equals the REPORT durations", async () => {
    const logs = new CloudWatchLogsClient(clientConfig(sb));
    const cw = new CloudWatchClient(clientConfig(sb));
    const from = NOW - 90 * MIN;
    const to = NOW - 30 * MIN;
    for (const [fn, startPattern] of [["api-backend", "START RequestId"], ["orders-consumer", "platform.start"]] as const) {
      const events = await allEvents(logs, `/aws/lambda/${fn}`, from, to + 5 * MIN);
      const startMinute = new Map<string, number>();
      const perMinute = new Map<number, number>();
      for (const e of events) {
        const m = /START RequestId: (\S+)/.exec(e.message!) ?? /"type":"platform.start","record":\{"requestId":"([^"]+)"/.exec(e.message!);
        if (!m || e.timestamp! >= to) continue;
        if (!startPattern.startsWith("START") && !e.message!.includes(startPattern)) continue;
        const minute = Math.floor(e.timestamp! / MIN) * MIN;
        startMinute.set(m[1] + ":" + e.timestamp, minute);
        perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
      }
      const r = await cw.send(new GetMetricDataCommand({
        StartTime: new Date(from), EndTime: new Date(to), ScanBy: "TimestampAscending",
        MetricDataQueries: [{ Id: "inv", MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "Invocations", Dimensions: [{ Name: "FunctionName", Value: fn }] }, Period: 60, Stat: "Sum" } }],
      }));
      const metric = new Map(r.MetricDataResults![0].Timestamps!.map((t, i) => [t.getTime(), r.MetricDataResults![0].Values![i]]));
      expect(metric.size).toBe(60);
      expect(metric, fn).toEqual(perMinute);
    }

    const reports = await allEvents(logs, "/aws/lambda/api-backend", from, to + 2 * MIN, "REPORT");
    const durations = new Map(reports.map((e) => [/RequestId: (\S+)/.exec(e.message!)![1], Number(/Duration: ([\d.]+) ms/.exec(e.message!)![1])]));
    const invs = all("api-backend", from, to);
    const sum = invs.reduce((n, i) => n + durations.get(i.requestId)!, 0);
    const r = await cw.send(new GetMetricDataCommand({
      StartTime: new Date(from), EndTime: new Date(to),
      MetricDataQueries: [{ Id: "d", MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "Duration", Dimensions: [{ Name: "FunctionName", Value: "api-backend" }] }, Period: 3600, Stat: "Sum" } }],
    }));
    expect(r.MetricDataResults![0].Values!.reduce((a, b) => a + b, 0)).toBeCloseTo(sum, 1);
  });

  it("Errors counts error, timeout, out-of-memory and crash invocations; Throttles the throttled arrivals", async () => {
    const cw = new CloudWatchClient(clientConfig(sb));
    const thr = await cw.send(new GetMetricDataCommand({
      StartTime: new Date(NOW - 6 * HOUR), EndTime: new Date(NOW),
      MetricDataQueries: [{ Id: "t", MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "Throttles", Dimensions: [{ Name: "FunctionName", Value: "api-backend" }] }, Period: 21600, Stat: "Sum" } }],
    }));
    expect(thr.MetricDataResults![0].Values![0]).toBe(sb.workload.throttles("api-backend", REGION, NOW - 6 * HOUR, NOW).length);
    for (const fn of ["image-processor", "auth-authorizer", "report-generator"]) {
      const r = await cw.send(new GetMetricDataCommand({
        StartTime: new Date(NOW - 6 * HOUR), EndTime: new Date(NOW),
        MetricDataQueries: [{ Id: "e", MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "Errors", Dimensions: [{ Name: "FunctionName", Value: fn }] }, Period: 21600, Stat: "Sum" } }],
      }));
      const failed = all(fn).filter((i) => i.status !== "success").length;
      expect(failed, fn).toBeGreaterThan(0);
      expect(r.MetricDataResults![0].Values![0], fn).toBe(failed);
    }
  });
});

describe("retries", () => {
  it("of an asynchronous invocation keep the request id and arrive about 1 and 2 minutes after the failure", async () => {
    const invs = ["image-processor", "notification-sender", "report-generator"].flatMap((fn) => all(fn));
    const chains = new Map<string, Invocation[]>();
    for (const i of invs) chains.set(i.requestId, [...(chains.get(i.requestId) ?? []), i]);
    const retried = [...chains.values()].filter((c) => c.length > 1 && c[0].attempt === 1);
    expect(retried.length).toBeGreaterThan(5);
    for (const c of retried) {
      c.sort((a, b) => a.attempt - b.attempt);
      expect(c.map((i) => i.attempt)).toEqual(c.map((_, k) => k + 1));
      for (let k = 1; k < c.length; k++) {
        expect(c[k - 1].status).not.toBe("success");
        const gap = c[k].start - c[k - 1].end;
        const expected = k === 1 ? 60_000 : 120_000;
        expect(gap).toBeGreaterThanOrEqual(expected - 1);
        expect(gap).toBeLessThan(expected + 9_000);
      }
    }
    const c = retried.find((x) => x[0].functionName === "image-processor" && x[x.length - 1].end < NOW - 30 * MIN)!;
    const logs = new CloudWatchLogsClient(clientConfig(sb));
    const events = await allEvents(logs, "/aws/lambda/image-processor", c[0].start - MIN, c[c.length - 1].end + MIN, `"START RequestId: ${c[0].requestId}"`);
    expect(events).toHaveLength(c.length);
  });

  it("of an SQS message is a new invocation with a new request id once the visibility timeout ends, the receive count one higher", async () => {
    const invs = all("orders-consumer");
    expect(invs.every((i) => i.sqsMessage)).toBe(true);
    // A request id is never reused by an SQS-triggered function.
    expect(new Set(invs.map((i) => i.requestId)).size).toBe(invs.length);
    const byMessage = new Map<string, Invocation[]>();
    for (const i of invs) byMessage.set(i.sqsMessage!.messageId, [...(byMessage.get(i.sqsMessage!.messageId) ?? []), i]);
    const redelivered = [...byMessage.values()].filter((c) => c.length > 1 && c[0].sqsMessage!.receiveCount === 1);
    expect(redelivered.length).toBeGreaterThan(20);
    let thirds = 0;
    for (const c of redelivered) {
      c.sort((a, b) => a.start - b.start);
      expect(c.map((i) => i.sqsMessage!.receiveCount)).toEqual(c.map((_, k) => k + 1));
      for (let k = 1; k < c.length; k++) {
        expect(c[k - 1].status).not.toBe("success");
        expect(c[k].requestId).not.toBe(c[k - 1].requestId);
        expect(c[k].attempt).toBe(1);
        // orders-queue's visibility timeout is 60 s, counted from the receive.
        expect(c[k].start - c[k - 1].start).toBeGreaterThanOrEqual(60_000);
        expect(c[k].start - c[k - 1].start).toBeLessThan(62_000 + c[k - 1].durationMs);
      }
      if (c.length === 3) thirds++;
    }
    expect(thirds).toBeGreaterThan(0);
    const c = redelivered.find((x) => x[x.length - 1].end < NOW - 30 * MIN)!;
    const logs = new CloudWatchLogsClient(clientConfig(sb));
    const events = await allEvents(logs, "/aws/lambda/orders-consumer", c[0].start - MIN, c[c.length - 1].end + MIN, `"${c[0].sqsMessage!.messageId}"`);
    expect(events.map((e) => [JSON.parse(e.message!).requestId, /ApproximateReceiveCount (\d+)/.exec(e.message!)?.[1]])).toEqual(
      c.map((i) => [i.requestId, String(i.sqsMessage!.receiveCount)]),
    );
  });
});

describe("application lines", () => {
  it("of one invocation come in order and are not repeated", () => {
    const events = sb.workload.logEvents("/aws/lambda/overprovisioned-worker", REGION, NOW - 6 * HOUR, NOW);
    const byRequest = new Map<string, string[]>();
    for (const e of events) {
      const [, id, level, msg] = e.message.split("\t");
      if (level !== "INFO") continue;
      byRequest.set(id, [...(byRequest.get(id) ?? []), msg.trim()]);
    }
    const ok = all("overprovisioned-worker").filter((i) => i.status === "success");
    expect(ok.length).toBeGreaterThan(50);
    for (const i of ok) expect(byRequest.get(i.requestId), i.requestId).toEqual(["handling event", "done"]);
    for (const lines of byRequest.values()) expect(["handling event", "done"].slice(0, lines.length)).toEqual(lines);
  });
});

describe("traces", () => {
  it("match the invocations: request id, timing and downstream calls", async () => {
    const xray = new XRayClient(clientConfig(sb));
    const invs = all("orders-consumer", NOW - 2 * HOUR, NOW - HOUR).filter((i) => i.traceId).slice(0, 10);
    expect(invs.length).toBe(10);
    const kinds = new Set<string>();
    for (let k = 0; k < invs.length; k += 5) {
      const batch = invs.slice(k, k + 5);
      const r = await xray.send(new BatchGetTracesCommand({ TraceIds: batch.map((i) => i.traceId!) }));
      expect(r.UnprocessedTraceIds).toEqual([]);
      for (const inv of batch) {
        const t = r.Traces!.find((x) => x.Id === inv.traceId)!;
        const docs = t.Segments!.map((s) => JSON.parse(s.Document!));
        const svc = docs.find((d) => d.origin === "AWS::Lambda");
        const fn = docs.find((d) => d.origin === "AWS::Lambda::Function");
        expect(svc.aws.request_id).toBe(inv.requestId);
        expect(fn.parent_id).toBe(svc.id);
        expect(fn.id).toBe(inv.segmentId);
        const invocation = fn.subsegments.find((s: { name: string }) => s.name === "Invocation");
        expect(invocation.start_time * 1000).toBeCloseTo(inv.start, 0);
        expect(invocation.end_time * 1000).toBeCloseTo(inv.end, 0);
        expect(fn.subsegments.some((s: { name: string }) => s.name === "Initialization")).toBe(inv.coldStart);
        for (const s of invocation.subsegments) {
          kinds.add(s.namespace === "remote" ? "http" : s.name);
          expect(s.start_time).toBeGreaterThanOrEqual(invocation.start_time);
          expect(s.end_time).toBeLessThanOrEqual(invocation.end_time + 1e-6);
        }
        const dynamo = invocation.subsegments.find((s: { name: string }) => s.name === "DynamoDB");
        expect(dynamo.aws).toMatchObject({ operation: "PutItem", table_name: "orders" });
        expect(!!fn.fault).toBe(inv.status !== "success");
      }
    }
    expect([...kinds].sort()).toEqual(["DynamoDB", "S3", "SQS"]);
    const api = all("api-backend", NOW - 2 * HOUR, NOW - HOUR).find((i) => i.traceId)!;
    const r = await xray.send(new BatchGetTracesCommand({ TraceIds: [api.traceId!] }));
    const fn = r.Traces![0].Segments!.map((s) => JSON.parse(s.Document!)).find((d) => d.origin === "AWS::Lambda::Function");
    const http = fn.subsegments.find((s: { name: string }) => s.name === "Invocation").subsegments.find((s: { namespace: string }) => s.namespace === "remote");
    expect(http.http.request).toEqual({ method: "POST", url: "https://api.stripe.com/v1/charges" });
  });
});

describe("cold starts", () => {
  it("come after idle and when concurrency rises, rarely otherwise", () => {
    let afterIdle = 0;
    let afterIdleCold = 0;
    let busy = 0;
    let busyCold = 0;
    for (const f of sb.workload.listFunctions(REGION)) {
      const invs = all(f.spec.name).sort((a, b) => a.start - b.start);
      let lastEnd = -Infinity;
      for (const i of invs) {
        const idle = i.start - lastEnd;
        if (idle > 15 * MIN) {
          afterIdle++;
          if (i.coldStart) afterIdleCold++;
        } else if (idle < 10_000 && idle > 0) {
          busy++;
          if (i.coldStart) busyCold++;
        }
        lastEnd = Math.max(lastEnd, i.end);
      }
    }
    expect(afterIdle).toBeGreaterThan(10);
    expect(afterIdleCold / afterIdle).toBe(1);
    expect(busyCold / busy).toBeLessThan(0.05);
    const burst = all("api-backend");
    expect(burst.filter((i) => i.coldStart).length).toBeGreaterThan(5);
    // arrivals beyond the reserved concurrency are throttled: no logs, counted in Throttles
    expect(sb.workload.throttles("api-backend", REGION, NOW - 6 * HOUR, NOW).length).toBeGreaterThan(0);
  });

  it("one stream per environment, cold start first on each stream", () => {
    const byStream = new Map<string, Invocation[]>();
    for (const i of all("api-backend")) byStream.set(i.logStreamName, [...(byStream.get(i.logStreamName) ?? []), i]);
    for (const [name, invs] of byStream) {
      expect(name).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
      invs.sort((a, b) => a.start - b.start);
      expect(invs[0].coldStart).toBe(true);
      expect(invs.slice(1).every((i) => !i.coldStart)).toBe(true);
      for (let k = 1; k < invs.length; k++) expect(invs[k].start).toBeGreaterThanOrEqual(invs[k - 1].end);
    }
  });
});

describe("log lines", () => {
  const events = (fn: string) => sb.workload.logEvents(`/aws/lambda/${fn}`, REGION, NOW - 6 * HOUR, NOW).map((e) => e.message);

  it("text REPORT lines carry every field and bill INIT", () => {
    const invs = all("api-backend");
    const cold = invs.find((i) => i.coldStart && i.status === "success")!;
    const report = sb.workload.logEvents("/aws/lambda/api-backend", REGION, cold.end - 1, cold.end + 1).find((e) => e.message.startsWith(`REPORT RequestId: ${cold.requestId}`))!.message;
    expect(report).toMatch(/^REPORT RequestId: \S+\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 512 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms\t\nXRAY TraceId: 1-[0-9a-f]{8}-[0-9a-f]{24}\tSegmentId: [0-9a-f]{16}\tSampled: true\t\n$/);
    expect(cold.billedMs).toBe(Math.ceil(cold.durationMs + cold.initDurationMs!));
    expect(events("api-backend").some((m) => /^INIT_START Runtime Version: nodejs:20\.v\d+\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}\n$/.test(m))).toBe(true);
  });

  it("SnapStart restores, timeouts, out of memory, crashes, extensions and Python tracebacks", () => {
    const snap = all("payments-snapstart").find((i) => i.coldStart)!;
    expect(snap.initDurationMs).toBeUndefined();
    expect(snap.billedMs).toBe(Math.ceil(snap.durationMs) + snap.billedRestoreDurationMs!);
    expect(events("payments-snapstart").some((m) => /\tRestore Duration: \d+\.\d\d ms\tBilled Restore Duration: \d+ ms\t\n$/.test(m))).toBe(true);
    expect(events("payments-snapstart").some((m) => m.startsWith("RESTORE_START Runtime Version: java:21"))).toBe(true);
    expect(events("payments-snapstart").some((m) => m.includes("\n\tat com.example.Handler.handleRequest(Handler.java:42)\n"))).toBe(true);

    const rg = events("report-generator");
    const to = rg.findIndex((m) => / Task timed out after \d+\.\d\d seconds\n$/.test(m));
    expect(to).toBeGreaterThanOrEqual(0);
    expect(rg.slice(to, to + 3).some((m) => /\tStatus: timeout\n$/.test(m))).toBe(true);

    expect(events("image-processor").some((m) => /Max Memory Used: 1024 MB\t(Init Duration: [\d.]+ ms\t)?Status: error\tError Type: Runtime.OutOfMemory/.test(m))).toBe(true);
    expect(events("auth-authorizer").some((m) => /\tStatus: error\tError Type: Runtime.ExitError\n$/.test(m))).toBe(true);
    expect(events("overprovisioned-worker").some((m) => m === "EXTENSION\tName: AWSParametersAndSecretsLambdaExtension\tState: Ready\tEvents: [INVOKE, SHUTDOWN]\n")).toBe(true);

    const tb = events("image-processor").concat(events("legacy-etl")).find((m) => m.startsWith("[ERROR] ") && m.includes("\nTraceback (most recent call last):\n"))!;
    expect(tb).toContain('\n\u00a0\u00a0File "/var/task/app.py"');
    expect(events("legacy-etl").some((m) => /^INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError\n$/.test(m))).toBe(true);
  });

  it("JSON format writes platform records", () => {
    const recs = events("orders-consumer").map((m) => JSON.parse(m));
    const types = new Set(recs.map((r) => r.type).filter(Boolean));
    for (const t of ["platform.initStart", "platform.start", "platform.runtimeDone", "platform.report"]) expect(types).toContain(t);
    const report = recs.find((r) => r.type === "platform.report" && r.record.metrics.initDurationMs);
    expect(Object.keys(report.record.metrics).sort()).toEqual(["billedDurationMs", "durationMs", "initDurationMs", "maxMemoryUsedMB", "memorySizeMB"]);
    expect(report.record.tracing.type).toBe("X-Amzn-Trace-Id");
  });

  it("events become visible 1-20 s after their timestamp, a few much later", () => {
    const evs = sb.workload.logEvents("/aws/lambda/api-backend", REGION, NOW - 2 * HOUR, NOW - HOUR);
    const delays = evs.map((e) => e.ingestionTime - e.timestamp);
    const normal = delays.filter((d) => d >= 1000 && d <= 20_100).length;
    expect(normal / delays.length).toBeGreaterThan(0.95);
    expect(delays.some((d) => d > 60_000)).toBe(true);
  });
});

describe("determinism and memory", () => {
  it("the same seed gives the same history, another seed another", () => {
    const mk = (seed: number) => new Workload({ seed, now: () => NOW, historyStart: NOW - 2 * HOUR });
    const a = mk(7).invocations("orders-consumer", REGION, NOW - 2 * HOUR, NOW);
    const b = mk(7).invocations("orders-consumer", REGION, NOW - 2 * HOUR, NOW);
    const c = mk(8).invocations("orders-consumer", REGION, NOW - 2 * HOUR, NOW);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a[0].requestId).not.toBe(c[0].requestId);
    const logsA = mk(7).logEvents("/aws/lambda/orders-consumer", REGION, NOW - HOUR, NOW);
    const logsB = mk(7).logEvents("/aws/lambda/orders-consumer", REGION, NOW - HOUR, NOW);
    expect(logsA).toEqual(logsB);
  });

  it("nothing exists after now or before the backfill", () => {
    const invs = all("api-backend", 0, NOW + HOUR);
    expect(Math.max(...invs.map((i) => i.start))).toBeLessThanOrEqual(NOW);
    expect(Math.min(...invs.map((i) => i.start))).toBeGreaterThanOrEqual(NOW - 6 * HOUR);
  });

  it("generating two days keeps a bounded cache and heap", () => {
    const wl = new Workload({ seed: 3, now: () => NOW, historyStart: NOW - 2 * 24 * HOUR });
    const before = process.memoryUsage().heapUsed;
    let n = 0;
    for (let t = NOW - 2 * 24 * HOUR; t < NOW; t += HOUR) n += wl.invocations("api-backend", REGION, t, t + HOUR).length;
    expect(n).toBeGreaterThan(30_000);
    expect(wl.cachedWindows).toBeLessThanOrEqual(96);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(300 * 1024 * 1024);
  }, 30_000);
});
