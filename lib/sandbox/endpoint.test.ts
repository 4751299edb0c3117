import { APIGatewayClient, GetRestApisCommand, GetStagesCommand } from "@aws-sdk/client-api-gateway";
import { ApiGatewayV2Client, GetApisCommand } from "@aws-sdk/client-apigatewayv2";
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import {
  CloudWatchLogsClient, DescribeLogGroupsCommand, DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand,
  type FilteredLogEvent,
} from "@aws-sdk/client-cloudwatch-logs";
import { DescribeTableCommand, DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import {
  GetFunctionCommand, GetFunctionConcurrencyCommand, GetFunctionConfigurationCommand, GetFunctionEventInvokeConfigCommand,
  LambdaClient, ListEventSourceMappingsCommand, ListFunctionsCommand, ListProvisionedConcurrencyConfigsCommand, ListTagsCommand,
} from "@aws-sdk/client-lambda";
import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { BatchGetTracesCommand, GetTraceSummariesCommand, XRayClient } from "@aws-sdk/client-xray";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_ACCOUNT_ID, startSandbox, type Sandbox } from "./index";
import { caught, clientConfig, HOUR, MIN, NOW } from "./test-helpers";

let sb: Sandbox;
let lambda: LambdaClient;
let logs: CloudWatchLogsClient;
let cw: CloudWatchClient;
let xray: XRayClient;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, now: () => NOW, backfillMs: 6 * HOUR, externalId: "osprey-ext-42" });
  lambda = new LambdaClient(clientConfig(sb));
  logs = new CloudWatchLogsClient(clientConfig(sb));
  cw = new CloudWatchClient(clientConfig(sb));
  xray = new XRayClient(clientConfig(sb));
});

afterAll(async () => {
  sb.setFaults({});
  await sb.close();
});

describe("Lambda", () => {
  it("lists every function across pages with realistic configuration", async () => {
    const names: string[] = [];
    let Marker: string | undefined;
    let pages = 0;
    do {
      const r = await lambda.send(new ListFunctionsCommand({ MaxItems: 4, Marker }));
      for (const f of r.Functions ?? []) names.push(f.FunctionName!);
      Marker = r.NextMarker;
      pages++;
    } while (Marker);
    expect(pages).toBeGreaterThan(2);
    expect(names.sort()).toEqual(sb.workload.listFunctions("us-east-1").map((f) => f.spec.name).sort());
    const cfg = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "orders-consumer" }));
    expect(cfg).toMatchObject({
      Runtime: "nodejs22.x", MemorySize: 256, Architectures: ["arm64"], PackageType: "Zip",
      LoggingConfig: { LogFormat: "JSON", LogGroup: "/aws/lambda/orders-consumer" },
      DeadLetterConfig: { TargetArn: `arn:aws:sqs:us-east-1:${SANDBOX_ACCOUNT_ID}:orders-dlq` },
      TracingConfig: { Mode: "Active" }, EphemeralStorage: { Size: 512 },
    });
    expect(Object.keys(cfg.Environment?.Variables ?? {}).length).toBeGreaterThan(0);
    expect(cfg.LastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const runtimes = new Set(sb.workload.listFunctions("us-east-1").map((f) => f.spec.runtime));
    for (const r of ["nodejs20.x", "nodejs22.x", "python3.12", "java21", "provided.al2023", "python3.8"]) expect(runtimes).toContain(r);
  });

  it("answers GetFunction, tags, concurrency, invoke config, mappings and provisioned concurrency", async () => {
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: "api-backend" }));
    expect(fn.Configuration?.FunctionArn).toBe(`arn:aws:lambda:us-east-1:${SANDBOX_ACCOUNT_ID}:function:api-backend`);
    expect(fn.Concurrency?.ReservedConcurrentExecutions).toBe(3);
    const snap = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "payments-snapstart" }));
    expect(snap.SnapStart).toEqual({ ApplyOn: "PublishedVersions", OptimizationStatus: "On" });
    const tags = await lambda.send(new ListTagsCommand({ Resource: fn.Configuration!.FunctionArn }));
    expect(tags.Tags?.service).toBe("api");
    expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: "api-backend" }))).ReservedConcurrentExecutions).toBe(3);
    expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: "legacy-etl" }))).ReservedConcurrentExecutions).toBeUndefined();
    const eic = await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: "orders-consumer" }));
    expect(eic.MaximumRetryAttempts).toBe(2);
    const missing = await caught(() => lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: "api-backend" })));
    expect(missing.name).toBe("ResourceNotFoundException");
    expect(missing.$metadata?.httpStatusCode).toBe(404);
    const esm = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: "orders-consumer" }));
    expect(esm.EventSourceMappings?.[0]?.EventSourceArn).toBe(`arn:aws:sqs:us-east-1:${SANDBOX_ACCOUNT_ID}:orders-queue`);
    const eu = new LambdaClient(clientConfig(sb, "eu-west-1"));
    const pc = await eu.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: "api-backend-eu" }));
    expect(pc.ProvisionedConcurrencyConfigs?.[0]).toMatchObject({ Status: "READY", AllocatedProvisionedConcurrentExecutions: 2 });
    const nf = await caught(() => lambda.send(new GetFunctionCommand({ FunctionName: "nope" })));
    expect(nf.name).toBe("ResourceNotFoundException");
  });
});

describe("CloudWatch Logs", () => {
  it("pages log groups, with retention on some and not others", async () => {
    const groups: { logGroupName?: string; retentionInDays?: number }[] = [];
    let nextToken: string | undefined;
    do {
      const r = await logs.send(new DescribeLogGroupsCommand({ limit: 5, nextToken }));
      groups.push(...(r.logGroups ?? []));
      nextToken = r.nextToken;
    } while (nextToken);
    expect(groups.length).toBeGreaterThan(10);
    expect(groups.find((g) => g.logGroupName === "/aws/lambda/api-backend")?.retentionInDays).toBe(30);
    expect(groups.find((g) => g.logGroupName === "/aws/lambda/legacy-etl")?.retentionInDays).toBeUndefined();
    const p = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/osprey/" }));
    expect(p.logGroups?.map((g) => g.logGroupName)).toEqual(["/osprey/demo/notifications"]);
  });

  it("describes streams named per execution environment", async () => {
    const r = await logs.send(new DescribeLogStreamsCommand({ logGroupName: "/aws/lambda/payments-snapstart", orderBy: "LastEventTime", descending: true, limit: 5 }));
    expect(r.logStreams).toHaveLength(5);
    expect(r.nextToken).toBeDefined();
    for (const s of r.logStreams!) expect(s.logStreamName).toMatch(/^\d{4}\/\d\d\/\d\d\/\[7\][0-9a-f]{32}$/);
    const times = r.logStreams!.map((s) => s.lastEventTimestamp!);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const missing = await caught(() => logs.send(new DescribeLogStreamsCommand({ logGroupName: "/nope" })));
    expect(missing.name).toBe("ResourceNotFoundException");
  });

  it("FilterLogEvents pages through exactly the visible events, in order", async () => {
    const group = "/aws/lambda/api-backend";
    const startTime = NOW - 40 * MIN;
    const endTime = NOW;
    const got: FilteredLogEvent[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const r = await logs.send(new FilterLogEventsCommand({ logGroupName: group, startTime, endTime, limit: 1000, nextToken }));
      expect(r.events!.length).toBeLessThanOrEqual(1000);
      got.push(...r.events!);
      nextToken = r.nextToken;
      pages++;
    } while (nextToken);
    const truth = sb.workload.logEvents(group, "us-east-1", startTime, endTime + 1).filter((e) => e.ingestionTime <= NOW);
    expect(pages).toBeGreaterThan(2);
    expect(got.map((e) => e.eventId)).toEqual(truth.map((e) => e.eventId));
    expect(new Set(got.map((e) => e.eventId)).size).toBe(got.length);
    for (const e of got) expect(e.eventId).toMatch(/^\d{56}$/);
    expect(truth.length).toBeLessThan(sb.workload.logEvents(group, "us-east-1", startTime, endTime + 1).length);
  });

  it("applies terms, quoted phrases and stream filters", async () => {
    const base = { logGroupName: "/aws/lambda/api-backend", startTime: NOW - 3 * HOUR, endTime: NOW - 2 * HOUR };
    const reports = await logs.send(new FilterLogEventsCommand({ ...base, filterPattern: "REPORT Duration" }));
    expect(reports.events!.length).toBeGreaterThan(100);
    for (const e of reports.events!) expect(e.message).toMatch(/^REPORT RequestId: /);
    const errs = await logs.send(new FilterLogEventsCommand({ ...base, filterPattern: '"Invoke Error"' }));
    expect(errs.events!.length).toBeGreaterThan(0);
    for (const e of errs.events!) expect(e.message).toContain("\tERROR\tInvoke Error \t{");
    const stream = reports.events![0].logStreamName!;
    const one = await logs.send(new FilterLogEventsCommand({ ...base, logStreamNames: [stream] }));
    expect(one.events!.every((e) => e.logStreamName === stream)).toBe(true);
    const gl = await logs.send(new GetLogEventsCommand({ logGroupName: base.logGroupName, logStreamName: stream, startFromHead: true, limit: 3 }));
    expect(gl.events).toHaveLength(3);
    expect(gl.events![0].message).toMatch(/^(INIT_START|START) /);
    expect(gl.nextForwardToken).toMatch(/^f\//);
  });

  it("caps pages at 1 MB", async () => {
    const r = await logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/auth-authorizer", startTime: NOW - 6 * HOUR, endTime: NOW }));
    const bytes = r.events!.reduce((n, e) => n + Buffer.byteLength(e.message!) + 26, 0);
    expect(bytes).toBeLessThanOrEqual(1_048_576);
    expect(r.events!.length).toBeLessThanOrEqual(10_000);
    expect(r.nextToken).toBeDefined();
  });
});

describe("CloudWatch metrics", () => {
  it("computes every statistic from the generated invocations", async () => {
    const from = NOW - 2 * HOUR;
    const to = NOW - HOUR;
    const metric = { Namespace: "AWS/Lambda", MetricName: "Duration", Dimensions: [{ Name: "FunctionName", Value: "image-processor" }] };
    const stats = ["Sum", "Average", "Minimum", "Maximum", "SampleCount", "p99"];
    const queries: MetricDataQuery[] = stats.map((s, i) => ({ Id: `q${i}`, MetricStat: { Metric: metric, Period: 3600, Stat: s } }));
    const r = await cw.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: new Date(from), EndTime: new Date(to) }));
    const durations = sb.workload.invocations("image-processor", "us-east-1", from, to).map((i) => i.durationMs).sort((a, b) => a - b);
    const values = Object.fromEntries(r.MetricDataResults!.map((m) => [stats[Number(m.Id!.slice(1))], m.Values![0]]));
    expect(r.MetricDataResults![0].Timestamps![0].getTime()).toBe(from);
    expect(values.SampleCount).toBe(durations.length);
    expect(values.Sum).toBeCloseTo(durations.reduce((a, b) => a + b, 0), 2);
    expect(values.Minimum).toBe(durations[0]);
    expect(values.Maximum).toBe(durations[durations.length - 1]);
    expect(values.p99).toBe(durations[Math.ceil(0.99 * durations.length) - 1]);
  });

  it("pages datapoints with NextToken and refuses more than 500 queries", async () => {
    const q = (id: string, fn: string): MetricDataQuery => ({ Id: id, MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "Invocations", Dimensions: [{ Name: "FunctionName", Value: fn }] }, Period: 60, Stat: "Sum" } });
    const input = { MetricDataQueries: [q("a", "api-backend"), q("b", "auth-authorizer")], StartTime: new Date(NOW - HOUR), EndTime: new Date(NOW), MaxDatapoints: 50, ScanBy: "TimestampAscending" as const };
    const points: Record<string, number[]> = { a: [], b: [] };
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const r = await cw.send(new GetMetricDataCommand({ ...input, NextToken }));
      for (const m of r.MetricDataResults!) points[m.Id!].push(...m.Timestamps!.map((t) => t.getTime()));
      NextToken = r.NextToken;
      pages++;
    } while (NextToken);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(points.a).toHaveLength(60);
    expect(points.b).toHaveLength(60);
    expect(points.a[0]).toBe(NOW - HOUR);
    const many = Array.from({ length: 501 }, (_, i) => q(`m${i}`, "api-backend"));
    const err = await caught(() => cw.send(new GetMetricDataCommand({ ...input, MetricDataQueries: many })));
    expect(err.name).toBe("ValidationException");
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });

  it("lists metrics of all four namespaces", async () => {
    const all: string[] = [];
    let NextToken: string | undefined;
    do {
      const r = await cw.send(new ListMetricsCommand({ NextToken }));
      for (const m of r.Metrics ?? []) all.push(`${m.Namespace}/${m.MetricName}`);
      NextToken = r.NextToken;
    } while (NextToken);
    for (const m of ["AWS/Lambda/IteratorAge", "AWS/SQS/ApproximateAgeOfOldestMessage", "AWS/ApiGateway/5XXError", "AWS/DynamoDB/ThrottledRequests"]) expect(all).toContain(m);
    const one = await cw.send(new ListMetricsCommand({ Namespace: "AWS/Lambda", MetricName: "Errors", Dimensions: [{ Name: "FunctionName", Value: "api-backend" }] }));
    expect(one.Metrics).toHaveLength(1);
  });

  it("serves SQS, API Gateway and DynamoDB metrics", async () => {
    const mk = (Id: string, Namespace: string, MetricName: string, Dimensions: { Name: string; Value: string }[]): MetricDataQuery => ({ Id, MetricStat: { Metric: { Namespace, MetricName, Dimensions }, Period: 300, Stat: "Sum" } });
    const r = await cw.send(new GetMetricDataCommand({
      StartTime: new Date(NOW - HOUR), EndTime: new Date(NOW),
      MetricDataQueries: [
        mk("sqs", "AWS/SQS", "NumberOfMessagesSent", [{ Name: "QueueName", Value: "orders-queue" }]),
        mk("api", "AWS/ApiGateway", "Count", [{ Name: "ApiName", Value: "shop-api" }, { Name: "Stage", Value: "prod" }]),
        mk("ddb", "AWS/DynamoDB", "ConsumedReadCapacityUnits", [{ Name: "TableName", Value: "orders" }]),
      ],
    }));
    for (const m of r.MetricDataResults!) expect(m.Values!.length, m.Id).toBeGreaterThan(5);
  });
});

describe("X-Ray", () => {
  it("pages trace summaries and fetches at most 5 traces per call", async () => {
    const ids: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const r = await xray.send(new GetTraceSummariesCommand({ StartTime: new Date(NOW - 20 * MIN), EndTime: new Date(NOW - 5 * MIN), FilterExpression: 'service("api-backend")', NextToken }));
      for (const t of r.TraceSummaries ?? []) {
        ids.push(t.Id!);
        expect(t.EntryPoint?.Name).toBe("api-backend");
      }
      NextToken = r.NextToken;
      pages++;
    } while (NextToken);
    expect(pages).toBeGreaterThan(1);
    const expected = sb.workload.invocations("api-backend", "us-east-1", NOW - 21 * MIN, NOW - 4 * MIN).filter((i) => i.traceId);
    expect(ids.length).toBeGreaterThan(expected.length * 0.8);
    const byArn = await xray.send(new GetTraceSummariesCommand({ StartTime: new Date(NOW - 20 * MIN), EndTime: new Date(NOW - 5 * MIN), FilterExpression: `resource.arn = "arn:aws:lambda:us-east-1:${SANDBOX_ACCOUNT_ID}:function:orders-consumer"` }));
    expect(byArn.TraceSummaries!.length).toBeGreaterThan(0);
    expect(byArn.TraceSummaries!.every((t) => t.EntryPoint?.Name === "orders-consumer")).toBe(true);
    const traces = await xray.send(new BatchGetTracesCommand({ TraceIds: ids.slice(0, 5) }));
    expect(traces.Traces).toHaveLength(5);
    const err = await caught(() => xray.send(new BatchGetTracesCommand({ TraceIds: ids.slice(0, 6) })));
    expect(err.name).toBe("InvalidRequestException");
  });
});

describe("STS, SQS, API Gateway, DynamoDB", () => {
  it("STS: caller identity and AssumeRole with the external id", async () => {
    const sts = new STSClient(clientConfig(sb));
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(SANDBOX_ACCOUNT_ID);
    const RoleArn = `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:role/OspreyReadOnly`;
    const ok = await sts.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: "osprey", ExternalId: "osprey-ext-42" }));
    expect(ok.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(ok.Credentials?.Expiration).toBeInstanceOf(Date);
    expect(ok.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${SANDBOX_ACCOUNT_ID}:assumed-role/OspreyReadOnly/osprey`);
    const denied = await caught(() => sts.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: "osprey", ExternalId: "wrong" })));
    expect(denied.name).toBe("AccessDenied");
    expect(denied.$metadata?.httpStatusCode).toBe(403);
  });

  it("SQS: queues and their attributes", async () => {
    const sqs = new SQSClient(clientConfig(sb));
    const q = await sqs.send(new ListQueuesCommand({}));
    const url = q.QueueUrls!.find((u) => u.endsWith("/orders-queue"))!;
    expect(url.startsWith(sb.url)).toBe(true);
    const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }));
    expect(JSON.parse(a.Attributes!.RedrivePolicy!).deadLetterTargetArn).toContain("orders-dlq");
    const paged = await sqs.send(new ListQueuesCommand({ MaxResults: 2 }));
    expect(paged.QueueUrls).toHaveLength(2);
    expect(paged.NextToken).toBeDefined();
    const missing = await caught(() => sqs.send(new GetQueueAttributesCommand({ QueueUrl: `${sb.url}/${SANDBOX_ACCOUNT_ID}/nope`, AttributeNames: ["All"] })));
    expect(missing.name).toBe("QueueDoesNotExist");
  });

  it("API Gateway REST and HTTP APIs", async () => {
    const v1 = new APIGatewayClient(clientConfig(sb));
    const rest = await v1.send(new GetRestApisCommand({}));
    expect(rest.items?.map((a) => a.name)).toEqual(["shop-api"]);
    expect(rest.items?.[0].createdDate).toBeInstanceOf(Date);
    const stages = await v1.send(new GetStagesCommand({ restApiId: rest.items![0].id! }));
    expect(stages.item?.[0].stageName).toBe("prod");
    const v2 = new ApiGatewayV2Client(clientConfig(sb));
    const http = await v2.send(new GetApisCommand({}));
    expect(http.Items?.[0]).toMatchObject({ Name: "webhooks-api", ProtocolType: "HTTP" });
  });

  it("DynamoDB tables", async () => {
    const ddb = new DynamoDBClient(clientConfig(sb));
    const first = await ddb.send(new ListTablesCommand({ Limit: 2 }));
    expect(first.TableNames).toHaveLength(2);
    const rest = await ddb.send(new ListTablesCommand({ ExclusiveStartTableName: first.LastEvaluatedTableName }));
    expect([...first.TableNames!, ...rest.TableNames!].sort()).toEqual(["customers", "orders", "search-cache", "sessions"]);
    const t = await ddb.send(new DescribeTableCommand({ TableName: "orders" }));
    expect(t.Table?.TableStatus).toBe("ACTIVE");
    expect(t.Table?.BillingModeSummary?.BillingMode).toBe("PAY_PER_REQUEST");
    const missing = await caught(() => ddb.send(new DescribeTableCommand({ TableName: "nope" })));
    expect(missing.name).toBe("ResourceNotFoundException");
  });
});

describe("faults", () => {
  it("surfaces throttling as each service's own exception", async () => {
    sb.setFaults({ "*": { throttleRate: 1 } });
    try {
      const cases: [() => Promise<unknown>, string, number][] = [
        [() => logs.send(new DescribeLogGroupsCommand({})), "ThrottlingException", 400],
        [() => cw.send(new ListMetricsCommand({})), "Throttling", 400],
        [() => lambda.send(new ListFunctionsCommand({})), "TooManyRequestsException", 429],
        [() => xray.send(new GetTraceSummariesCommand({ StartTime: new Date(NOW - MIN), EndTime: new Date(NOW) })), "ThrottledException", 429],
        [() => new STSClient(clientConfig(sb)).send(new GetCallerIdentityCommand({})), "Throttling", 400],
        [() => new DynamoDBClient(clientConfig(sb)).send(new ListTablesCommand({})), "ThrottlingException", 400],
        [() => new SQSClient(clientConfig(sb)).send(new ListQueuesCommand({})), "RequestThrottled", 400],
        [() => new APIGatewayClient(clientConfig(sb)).send(new GetRestApisCommand({})), "TooManyRequestsException", 429],
      ];
      for (const [call, name, status] of cases) {
        const err = await caught(call);
        expect(err.name).toBe(name);
        expect(err.$metadata?.httpStatusCode).toBe(status);
      }
    } finally {
      sb.setFaults({});
    }
  });

  it("injects 500s, slow answers and cut connections per operation", async () => {
    sb.setFaults({ DescribeLogGroups: { http500Rate: 1 }, GetMetricData: { http500Rate: 1 }, ListTables: { cutRate: 1 }, ListQueues: { slowMs: 300 } });
    try {
      const e500 = await caught(() => logs.send(new DescribeLogGroupsCommand({})));
      expect(e500.name).toBe("ServiceUnavailableException");
      expect(e500.$metadata?.httpStatusCode).toBe(500);
      const cw500 = await caught(() => cw.send(new GetMetricDataCommand({ MetricDataQueries: [{ Id: "a", MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: "Invocations" }, Period: 60, Stat: "Sum" } }], StartTime: new Date(NOW - HOUR), EndTime: new Date(NOW) })));
      expect(cw500.name).toBe("InternalServiceFault");
      expect(cw500.$metadata?.httpStatusCode).toBe(500);
      await caught(() => new DynamoDBClient(clientConfig(sb)).send(new ListTablesCommand({})));
      const t0 = Date.now();
      await new SQSClient(clientConfig(sb)).send(new ListQueuesCommand({}));
      expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
      // other operations are unaffected
      expect((await logs.send(new DescribeLogStreamsCommand({ logGroupName: "/aws/lambda/legacy-etl", limit: 1 }))).logStreams).toHaveLength(1);
    } finally {
      sb.setFaults({});
    }
  });

  it("answers 503 with the service's own error, and resets connections before answering", async () => {
    sb.setFaults({ DescribeLogGroups: { http503Rate: 1 }, ListFunctions: { resetRate: 1 } });
    try {
      const e503 = await caught(() => logs.send(new DescribeLogGroupsCommand({})));
      expect(e503.name).toBe("ServiceUnavailableException");
      expect(e503.$metadata?.httpStatusCode).toBe(503);
      const reset = await caught(() => lambda.send(new ListFunctionsCommand({})));
      expect((reset as { code?: string }).code).toBe("ECONNRESET");
    } finally {
      sb.setFaults({});
    }
  });

  it("injects at the configured rate, reproducibly", async () => {
    const run = async () => {
      sb.setFaults({ ListMetrics: { throttleRate: 0.5 } });
      const out: boolean[] = [];
      for (let i = 0; i < 20; i++) out.push(await cw.send(new ListMetricsCommand({ Namespace: "AWS/SQS" })).then(() => true, () => false));
      return out;
    };
    const a = await run();
    const b = await run();
    sb.setFaults({});
    expect(a).toEqual(b);
    const ok = a.filter(Boolean).length;
    expect(ok).toBeGreaterThan(3);
    expect(ok).toBeLessThan(17);
  });
});

describe("protocol edges", () => {
  it("refuses requests without SigV4 as AWS does", async () => {
    const logsRes = await fetch(sb.url, { method: "POST", headers: { "x-amz-target": "Logs_20140328.DescribeLogGroups", "content-type": "application/x-amz-json-1.1" }, body: "{}" });
    expect(logsRes.status).toBe(400);
    expect((await logsRes.json()).__type).toBe("MissingAuthenticationTokenException");
    const lambdaRes = await fetch(`${sb.url}/2015-03-31/functions`);
    expect(lambdaRes.status).toBe(403);
    expect(lambdaRes.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException");
    const stsRes = await fetch(sb.url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "Action=GetCallerIdentity&Version=2011-06-15" });
    expect(stsRes.status).toBe(403);
    expect(await stsRes.text()).toContain("<Code>MissingAuthenticationToken</Code>");
    const bad = await fetch(`${sb.url}/2015-03-31/functions`, { headers: { authorization: "Basic Zm9vOmJhcg==" } });
    expect(bad.status).toBe(403);
    expect(bad.headers.get("x-amzn-errortype")).toBe("IncompleteSignatureException");
  });

  it("answers unknown operations with UnknownOperationException 400", async () => {
    const auth = (service: string) => `AWS4-HMAC-SHA256 Credential=test/20260115/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`;
    const res = await fetch(sb.url, { method: "POST", headers: { authorization: auth("logs"), "x-amz-target": "Logs_20140328.PutLogEvents", "content-type": "application/x-amz-json-1.1" }, body: "{}" });
    expect(res.status).toBe(400);
    expect((await res.json()).__type).toBe("UnknownOperationException");
    const rest = await fetch(`${sb.url}/2015-03-31/functions/api-backend/invocations`, { method: "POST", headers: { authorization: auth("lambda") } });
    expect(rest.status).toBe(400);
    expect(rest.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
    const cwRes = await fetch(sb.url, { method: "POST", headers: { authorization: auth("monitoring"), "x-amz-target": "GraniteServiceVersion20100801.PutMetricData", "content-type": "application/x-amz-json-1.0" }, body: "{}" });
    expect(cwRes.status).toBe(400);
    expect(cwRes.headers.get("x-amzn-query-error")).toBe("UnknownOperationException;Sender");
  });
});
