import type { MetricDataResult } from "@aws-sdk/client-cloudwatch";
import { describe, expect, it } from "vitest";
import {
  MAX_QUERIES_PER_CALL,
  METRIC_CATALOG,
  alignToPeriod,
  buildMetricQueries,
  choosePeriod,
  datapointsPerQuery,
  metricResourceOf,
  metricResultsToPoints,
  planMetricWindows,
  resourceQueryCount,
  resourcesWithData,
  type MetricResource,
} from "./index";

const ID = /^[a-z][a-zA-Z0-9_]*$/;
const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

const fleet: MetricResource[] = [
  { resourceId: 1, kind: "lambda", name: "orders-api" },
  { resourceId: 2, kind: "sqs", name: "orders-queue" },
  { resourceId: 3, kind: "apigateway", name: "orders-rest" },
  { resourceId: 4, kind: "dynamodb", name: "orders" },
];

function manyFunctions(n: number): MetricResource[] {
  return Array.from({ length: n }, (_, i) => ({ resourceId: 100 + i, kind: "lambda" as const, name: `fn-${i}` }));
}

function idOf(plan: ReturnType<typeof buildMetricQueries>, resourceId: number, metric: string, stat: string, part?: string) {
  for (const [id, t] of plan.lookup) {
    if (t.resourceId === resourceId && t.metric === metric && t.stat === stat && t.part === part) return id;
  }
  throw new Error(`no query for ${resourceId} ${metric} ${stat} ${part ?? ""}`);
}

describe("metric catalog", () => {
  it("lists the metrics and statistics of AWS-FACTS per service", () => {
    const lambda = Object.fromEntries(METRIC_CATALOG.lambda.metrics.map((m) => [m.metric, m.stats]));
    expect(METRIC_CATALOG.lambda).toMatchObject({ namespace: "AWS/Lambda", dimension: "FunctionName" });
    expect(lambda.Duration).toEqual(["Average", "p50", "p95", "p99", "Maximum"]);
    expect(lambda.ConcurrentExecutions).toEqual(["Maximum"]);
    expect(Object.keys(lambda)).toHaveLength(14);
    expect(METRIC_CATALOG.sqs).toMatchObject({ namespace: "AWS/SQS", dimension: "QueueName" });
    expect(METRIC_CATALOG.apigateway).toMatchObject({ namespace: "AWS/ApiGateway", dimension: "ApiName" });
    expect(METRIC_CATALOG.dynamodb).toMatchObject({ namespace: "AWS/DynamoDB", dimension: "TableName" });
    expect(resourceQueryCount("lambda")).toBe(18);
    expect(resourceQueryCount("sqs")).toBe(6);
    expect(resourceQueryCount("apigateway")).toBe(6);
    expect(resourceQueryCount("dynamodb")).toBe(4 + 2 * 14);
  });

  it("only splits Sum statistics by an extra dimension, since only sums add up", () => {
    for (const service of Object.values(METRIC_CATALOG)) {
      for (const spec of service.metrics) if (spec.perDimension) expect(spec.stats).toEqual(["Sum"]);
    }
  });
});

describe("metrics by presence", () => {
  const fleet2 = [
    { resourceId: 1, kind: "lambda" as const, name: "orders-api" },
    { resourceId: 2, kind: "sqs" as const, name: "orders-queue" },
  ];
  const names = (plan: ReturnType<typeof buildMetricQueries>) =>
    [...plan.lookup.values()].map((t) => `${t.resourceId} ${t.metric} ${t.stat}`).sort();

  it("asks a function for Invocations and Throttles first, and kinds without presence metrics for everything", () => {
    expect(names(buildMetricQueries(fleet2, 60, 500, "presence"))).toEqual([
      "1 Invocations Sum", "1 Throttles Sum",
      ...METRIC_CATALOG.sqs.metrics.flatMap((m) => m.stats.map((s) => `2 ${m.metric} ${s}`)),
    ].sort());
  });

  it("asks the rest of a function's metrics afterwards and nothing more of the other kinds; together they are all", () => {
    const rest = buildMetricQueries(fleet2, 60, 500, "rest");
    expect([...rest.lookup.values()].every((t) => t.resourceId === 1)).toBe(true);
    expect(resourceQueryCount("lambda", "rest")).toBe(16);
    expect(resourceQueryCount("sqs", "rest")).toBe(0);
    const both = [...names(buildMetricQueries(fleet2, 60, 500, "presence")), ...names(rest)].sort();
    expect(both).toEqual(names(buildMetricQueries(fleet2, 60)));
  });

  it("covers the resources with a presence point above zero and those whose presence was not readable", () => {
    const points = [
      { resourceId: 1, value: 0 },
      { resourceId: 2, value: 3 },
      { resourceId: 3, value: 0 },
      { resourceId: 3, value: 1 },
    ];
    expect([...resourcesWithData(points, [{ resourceId: 4 }, { resourceId: null }])].sort()).toEqual([2, 3, 4]);
    expect(resourcesWithData([], []).size).toBe(0);
  });
});

describe("buildMetricQueries", () => {
  it("builds one MetricStat query per metric and statistic with valid unique ids", () => {
    const plan = buildMetricQueries(fleet, 60);
    const queries = plan.batches.flat();
    expect(queries).toHaveLength(18 + 6 + 6 + 32);
    expect(new Set(queries.map((q) => q.Id)).size).toBe(queries.length);
    for (const q of queries) {
      expect(q.Id).toMatch(ID);
      expect(q.ReturnData).toBe(true);
      expect(q.MetricStat?.Period).toBe(60);
      expect(plan.lookup.get(q.Id!)).toBeDefined();
    }
    const p99 = queries.find((q) => q.Id === idOf(plan, 1, "Duration", "p99"))!;
    expect(p99.MetricStat).toEqual({
      Metric: { Namespace: "AWS/Lambda", MetricName: "Duration", Dimensions: [{ Name: "FunctionName", Value: "orders-api" }] },
      Period: 60,
      Stat: "p99",
    });
    const fourXX = queries.find((q) => q.Id === idOf(plan, 3, "4XXError", "Sum"))!;
    expect(fourXX.MetricStat?.Metric?.Dimensions).toEqual([{ Name: "ApiName", Value: "orders-rest" }]);
  });

  it("queries DynamoDB ThrottledRequests and SystemErrors per operation, as AWS publishes them", () => {
    const plan = buildMetricQueries(fleet, 300);
    const queries = plan.batches.flat();
    const getItem = queries.find((q) => q.Id === idOf(plan, 4, "ThrottledRequests", "Sum", "GetItem"))!;
    expect(getItem.MetricStat?.Metric?.Dimensions).toEqual([
      { Name: "TableName", Value: "orders" },
      { Name: "Operation", Value: "GetItem" },
    ]);
    const read = queries.find((q) => q.Id === idOf(plan, 4, "ReadThrottleEvents", "Sum"))!;
    expect(read.MetricStat?.Metric?.Dimensions).toEqual([{ Name: "TableName", Value: "orders" }]);
  });

  it("fills batches up to 500 queries without splitting a resource, ids unique across batches", () => {
    const plan = buildMetricQueries(manyFunctions(60), 60);
    expect(plan.batches.map((b) => b.length)).toEqual([486, 486, 108]);
    const ids = plan.batches.flat().map((q) => q.Id);
    expect(new Set(ids).size).toBe(1080);
    expect(plan.lookup.size).toBe(1080);

    const full = buildMetricQueries([...manyFunctions(26), { resourceId: 9, kind: "dynamodb", name: "t" }], 60);
    expect(full.batches.map((b) => b.length)).toEqual([500]);
    const mixed = buildMetricQueries([...manyFunctions(27), { resourceId: 9, kind: "dynamodb", name: "t" }], 60);
    expect(mixed.batches.map((b) => b.length)).toEqual([486, 32]);
    for (const batch of mixed.batches) expect(batch.length).toBeLessThanOrEqual(MAX_QUERIES_PER_CALL);
    const table = mixed.batches.map((b) => b.filter((q) => mixed.lookup.get(q.Id!)!.resourceId === 9).length);
    expect(table).toEqual([0, 32]);
  });

  it("honours a smaller batch size and never exceeds 500", () => {
    expect(buildMetricQueries(manyFunctions(5), 60, 40).batches.map((b) => b.length)).toEqual([36, 36, 18]);
    expect(buildMetricQueries([fleet[3]], 60, 10).batches.map((b) => b.length)).toEqual([32]);
    expect(buildMetricQueries(manyFunctions(30), 60, 10_000).batches.map((b) => b.length)).toEqual([486, 54]);
  });

  it("queries a resource listed twice once and rejects periods CloudWatch does not accept", () => {
    expect(buildMetricQueries([fleet[0], fleet[0]], 60).batches.flat()).toHaveLength(18);
    expect(buildMetricQueries([], 60).batches).toEqual([]);
    expect(() => buildMetricQueries(fleet, 90)).toThrow(RangeError);
    expect(() => buildMetricQueries(fleet, 0)).toThrow(RangeError);
  });
});

describe("HTTP APIs", () => {
  const rest = { id: 3, kind: "apigateway" as const, name: "orders-rest", arn: "arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5", protocol: "REST", apiId: "a1b2c3d4e5" };
  const http = { id: 5, kind: "apigateway" as const, name: "webhooks", arn: "arn:aws:apigateway:us-east-1::/apis/w9x8y7z6v5", protocol: "HTTP", apiId: "w9x8y7z6v5" };

  it("queries an HTTP API by ApiId, a REST API by ApiName, and leaves WebSocket APIs out", () => {
    expect(metricResourceOf(rest)).toEqual({ resourceId: 3, kind: "apigateway", name: "orders-rest" });
    expect(metricResourceOf(http)).toEqual({ resourceId: 5, kind: "apigatewayHttp", name: "w9x8y7z6v5" });
    expect(metricResourceOf({ ...http, protocol: null, apiId: null })).toEqual({ resourceId: 5, kind: "apigatewayHttp", name: "w9x8y7z6v5" });
    expect(metricResourceOf({ ...http, protocol: "WEBSOCKET" })).toBeNull();
    expect(metricResourceOf({ id: 1, kind: "lambda", name: "orders-api", arn: "arn:aws:lambda:us-east-1:1:function:orders-api" })).toEqual(fleet[0]);
  });

  it("asks for the HTTP API names (4xx, 5xx, DataProcessed) and stores 4xx and 5xx under the REST names", () => {
    expect(METRIC_CATALOG.apigatewayHttp).toMatchObject({ namespace: "AWS/ApiGateway", dimension: "ApiId" });
    const plan = buildMetricQueries([metricResourceOf(http)!], 60);
    const queries = plan.batches.flat();
    expect(queries).toHaveLength(resourceQueryCount("apigatewayHttp"));
    const names = queries.map((q) => q.MetricStat!.Metric!.MetricName).sort();
    expect(names).toEqual(["4xx", "5xx", "Count", "DataProcessed", "IntegrationLatency", "Latency", "Latency"]);
    for (const q of queries) expect(q.MetricStat!.Metric!.Dimensions).toEqual([{ Name: "ApiId", Value: "w9x8y7z6v5" }]);

    const fiveXX = queries.find((q) => q.MetricStat!.Metric!.MetricName === "5xx")!;
    const t0 = new Date("2025-06-01T11:00:00Z");
    const { points } = metricResultsToPoints([{ Id: fiveXX.Id, Timestamps: [t0], Values: [4], StatusCode: "Complete" }], plan.lookup, 60);
    expect(points).toEqual([{ resourceId: 5, namespace: "AWS/ApiGateway", metric: "5XXError", stat: "Sum", periodS: 60, ts: t0.getTime(), value: 4 }]);
  });
});

describe("metricResultsToPoints", () => {
  const plan = buildMetricQueries(fleet, 60);
  const t0 = new Date("2025-06-01T11:00:00Z");
  const t1 = new Date("2025-06-01T11:01:00Z");
  const t2 = new Date("2025-06-01T11:02:00Z");

  it("pairs Timestamps with Values into points, keeping PartialData pages", () => {
    const invocations = idOf(plan, 1, "Invocations", "Sum");
    const results: MetricDataResult[] = [
      { Id: invocations, Label: "Invocations", Timestamps: [t1, t0], Values: [7, 3], StatusCode: "PartialData" },
      { Id: invocations, Label: "Invocations", Timestamps: [t2], Values: [0], StatusCode: "Complete" },
    ];
    const { points, rejected } = metricResultsToPoints(results, plan.lookup, 60);
    expect(rejected).toEqual([]);
    expect(points).toEqual([
      { resourceId: 1, namespace: "AWS/Lambda", metric: "Invocations", stat: "Sum", periodS: 60, ts: t0.getTime(), value: 3 },
      { resourceId: 1, namespace: "AWS/Lambda", metric: "Invocations", stat: "Sum", periodS: 60, ts: t1.getTime(), value: 7 },
      { resourceId: 1, namespace: "AWS/Lambda", metric: "Invocations", stat: "Sum", periodS: 60, ts: t2.getTime(), value: 0 },
    ]);
  });

  it("counts a re-delivered timestamp once", () => {
    const p95 = idOf(plan, 1, "Duration", "p95");
    const page = { Id: p95, Timestamps: [t0, t1], Values: [120.5, 99.25], StatusCode: "Complete" as const };
    const { points } = metricResultsToPoints([page, page, { ...page, Timestamps: [t1], Values: [99.25] }], plan.lookup, 60);
    expect(points.map((p) => [p.ts, p.value])).toEqual([
      [t0.getTime(), 120.5],
      [t1.getTime(), 99.25],
    ]);
  });

  it("adds up the per-operation parts of a DynamoDB series at each timestamp", () => {
    const results: MetricDataResult[] = [
      { Id: idOf(plan, 4, "ThrottledRequests", "Sum", "GetItem"), Timestamps: [t0, t1], Values: [2, 1], StatusCode: "Complete" },
      { Id: idOf(plan, 4, "ThrottledRequests", "Sum", "PutItem"), Timestamps: [t0], Values: [5], StatusCode: "Complete" },
      { Id: idOf(plan, 4, "ThrottledRequests", "Sum", "PutItem"), Timestamps: [t0], Values: [5], StatusCode: "Complete" },
      { Id: idOf(plan, 4, "ThrottledRequests", "Sum", "Query"), Timestamps: [], Values: [], StatusCode: "Complete" },
    ];
    const { points } = metricResultsToPoints(results, plan.lookup, 60);
    expect(points.map((p) => [p.metric, p.ts, p.value])).toEqual([
      ["ThrottledRequests", t0.getTime(), 7],
      ["ThrottledRequests", t1.getTime(), 1],
    ]);
  });

  it("records queries AWS rejects and keeps the rest of the batch", () => {
    const results: MetricDataResult[] = [
      {
        Id: idOf(plan, 2, "ApproximateAgeOfOldestMessage", "Maximum"),
        Timestamps: [],
        Values: [],
        StatusCode: "Complete",
        Messages: [{ Code: "Forbidden", Value: "Authentication too complex to retrieve cross region data" }],
      },
      { Id: idOf(plan, 3, "Latency", "p99"), Timestamps: [], Values: [], StatusCode: "InternalError" },
      {
        Id: idOf(plan, 3, "Latency", "Average"),
        Timestamps: [t0],
        Values: [41.5],
        StatusCode: "Complete",
        Messages: [{ Code: "ArithmeticError", Value: "One or more data-points have been dropped due to non-numeric values (NaN, -Infinite, +Infinite)" }],
      },
      { Id: "zz9", Timestamps: [t0], Values: [1], StatusCode: "Complete" },
      { Id: idOf(plan, 2, "NumberOfMessagesSent", "Sum"), Timestamps: [t0], Values: [12], StatusCode: "Complete" },
    ];
    const { points, rejected } = metricResultsToPoints(results, plan.lookup, 60);
    expect(points.map((p) => [p.resourceId, p.metric, p.stat, p.value])).toEqual([
      [2, "NumberOfMessagesSent", "Sum", 12],
      [3, "Latency", "Average", 41.5],
    ]);
    expect(rejected).toEqual([
      {
        id: idOf(plan, 2, "ApproximateAgeOfOldestMessage", "Maximum"),
        resourceId: 2,
        metric: "ApproximateAgeOfOldestMessage",
        stat: "Maximum",
        code: "Forbidden",
        message: "Authentication too complex to retrieve cross region data",
      },
      { id: idOf(plan, 3, "Latency", "p99"), resourceId: 3, metric: "Latency", stat: "p99", code: "InternalError", message: "" },
      expect.objectContaining({ resourceId: 3, metric: "Latency", stat: "Average", code: "ArithmeticError" }),
      { id: "zz9", resourceId: null, metric: null, stat: null, code: "UnknownQuery", message: "no query with this id was sent" },
    ]);
  });

  it("ignores unpaired or non-numeric values", () => {
    const id = idOf(plan, 1, "Errors", "Sum");
    const { points } = metricResultsToPoints(
      [{ Id: id, Timestamps: [t0, t1, t2], Values: [1, Number.NaN] }],
      plan.lookup,
      60,
    );
    expect(points.map((p) => p.value)).toEqual([1]);
  });
});

describe("choosePeriod", () => {
  it("uses 1-minute data within 15 days, 5 minutes up to 63 days, 1 hour beyond", () => {
    expect(choosePeriod(NOW - 10 * 60_000, NOW, NOW)).toBe(60);
    expect(choosePeriod(NOW - 15 * DAY, NOW, NOW)).toBe(60);
    expect(choosePeriod(NOW - 15 * DAY - 60_000, NOW - 14 * DAY, NOW)).toBe(300);
    expect(choosePeriod(NOW - 63 * DAY, NOW - 62 * DAY, NOW)).toBe(300);
    expect(choosePeriod(NOW - 64 * DAY, NOW - 63 * DAY, NOW)).toBe(3600);
    expect(choosePeriod(NOW - 400 * DAY, NOW, NOW)).toBe(3600);
  });

  it("keeps one query under 100,800 data points", () => {
    for (const [from, to] of [
      [NOW - 15 * DAY, NOW],
      [NOW - 63 * DAY, NOW],
      [NOW - 455 * DAY, NOW],
      [NOW - 20 * 365 * DAY, NOW],
    ]) {
      const period = choosePeriod(from, to, NOW);
      expect(period % 60).toBe(0);
      expect(datapointsPerQuery(from, to, period)).toBeLessThanOrEqual(100_800);
    }
    expect(choosePeriod(NOW - 20 * 365 * DAY, NOW, NOW)).toBe(7200);
  });

  it("aligns a range to whole periods", () => {
    expect(alignToPeriod(Date.UTC(2025, 0, 1, 0, 4, 30), Date.UTC(2025, 0, 1, 0, 9, 1), 300)).toEqual({
      fromMs: Date.UTC(2025, 0, 1, 0, 0, 0),
      toMs: Date.UTC(2025, 0, 1, 0, 10, 0),
    });
  });
});

describe("planMetricWindows", () => {
  it("reads the last 3 hours by the minute and anything older by 5 minutes, back to back", () => {
    expect(planMetricWindows(NOW - 24 * 3_600_000, NOW)).toEqual([
      { fromMs: NOW - 24 * 3_600_000, toMs: NOW - 3 * 3_600_000, periodS: 300 },
      { fromMs: NOW - 3 * 3_600_000, toMs: NOW, periodS: 60 },
    ]);
    expect(planMetricWindows(NOW - 15 * 60_000 - 30_000, NOW + 30_000)).toEqual([{ fromMs: NOW - 16 * 60_000, toMs: NOW + 60_000, periodS: 60 }]);
  });

  it("goes coarser still where CloudWatch keeps no 5-minute data", () => {
    const [old, recent] = planMetricWindows(NOW - 90 * DAY, NOW);
    expect(old.periodS).toBeGreaterThanOrEqual(3600);
    expect(old.toMs).toBe(recent.fromMs);
    expect(recent.periodS).toBe(60);
  });
});
