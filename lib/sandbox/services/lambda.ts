import { AwsError } from "../protocols/types";
import { matchPath, restJson } from "../protocols/rest-json";
import { ACCOUNT_ID, functionArn, hasEventInvokeConfig } from "../workload/catalog";
import type { FunctionInfo } from "../workload/model";
import { roleArnOfFunction } from "../workload/iam";
import { hashString, Rng } from "../workload/random";
import { decodeToken, encodeToken, num, page, type Route, type Service } from "./service";

const lambdaDate = (t: number) => new Date(t).toISOString().replace("Z", "+0000");
const LAST_MODIFIED = Date.UTC(2025, 9, 14, 8, 12, 44);

const notFound = (name: string, region: string) =>
  new AwsError("ResourceNotFoundException", `Function not found: arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${name}`, 404, "Sender", { Type: "User" });
const badMarker = () => new AwsError("InvalidParameterValueException", "Invalid marker", 400);

/**
 * Published versions, oldest first: up to the spec's numbered version (payments-snapstart runs version 7), or
 * three for a function with provisioned concurrency on an alias; none for the others, which run $LATEST only.
 */
function publishedVersions(f: FunctionInfo): string[] {
  const n = /^\d+$/.test(f.spec.version) ? Number(f.spec.version) : f.spec.provisionedConcurrency ? 3 : 0;
  return Array.from({ length: Math.min(n, 3) }, (_, i) => String(n - Math.min(n, 3) + 1 + i));
}

export function functionConfiguration(f: FunctionInfo): Record<string, unknown> {
  const s = f.spec;
  const r = new Rng(hashString(s.name, 3));
  const cfg: Record<string, unknown> = {
    FunctionName: s.name,
    FunctionArn: f.arn,
    Runtime: s.runtime,
    Role: roleArnOfFunction(s.name),
    Handler: s.handler,
    CodeSize: s.codeSize,
    Description: s.description,
    Timeout: s.timeoutS,
    MemorySize: s.memoryMb,
    LastModified: lambdaDate(f.deploys?.lastAt ?? LAST_MODIFIED - (f.index % 40) * 86_400_000),
    // Each code deploy of the scenario gives a new package hash.
    CodeSha256: Buffer.from(r.hex(64), "hex").toString("base64"),
    Version: "$LATEST",
    Environment: { Variables: s.env },
    TracingConfig: { Mode: s.tracing },
    RevisionId: r.uuid(),
    Layers: s.layers.map((arn, i) => ({ Arn: arn, CodeSize: 1_200_000 + i * 31_337 })),
    State: "Active",
    LastUpdateStatus: "Successful",
    PackageType: "Zip",
    Architectures: [s.arch],
    EphemeralStorage: { Size: s.name === "image-processor" ? 2048 : 512 },
    SnapStart: { ApplyOn: s.snapStart ? "PublishedVersions" : "None", OptimizationStatus: s.snapStart ? "On" : "Off" },
    RuntimeVersionConfig: { RuntimeVersionArn: `arn:aws:lambda:${s.region}::runtime:${r.hex(64)}` },
    LoggingConfig: { LogFormat: s.logFormat, LogGroup: f.logGroupName, ...(s.logFormat === "JSON" ? { ApplicationLogLevel: s.applicationLogLevel ?? "INFO", SystemLogLevel: "INFO" } : {}) },
  };
  if (f.deploys?.count) cfg.CodeSha256 = Buffer.from(new Rng(hashString(s.name, 100 + f.deploys.count)).hex(64), "hex").toString("base64");
  if (s.dlqQueue) cfg.DeadLetterConfig = { TargetArn: `arn:aws:sqs:${s.region}:${ACCOUNT_ID}:${s.dlqQueue}` };
  return cfg;
}

function eventSourceMappings(fns: FunctionInfo[]) {
  return fns.filter((f) => f.spec.eventSource).map((f) => {
    const es = f.spec.eventSource!;
    const arn = es.kind === "sqs" ? `arn:aws:sqs:${f.spec.region}:${ACCOUNT_ID}:${es.name}` : `arn:aws:kinesis:${f.spec.region}:${ACCOUNT_ID}:stream/${es.name}`;
    return {
      UUID: new Rng(hashString(f.spec.name, 9)).uuid(),
      BatchSize: es.batchSize,
      MaximumBatchingWindowInSeconds: es.kind === "sqs" ? 0 : 1,
      EventSourceArn: arn,
      FunctionArn: f.arn,
      LastModified: LAST_MODIFIED / 1000,
      State: "Enabled",
      StateTransitionReason: "USER_INITIATED",
      ...(es.kind === "kinesis" ? { StartingPosition: "LATEST", ParallelizationFactor: 1, MaximumRetryAttempts: -1, BisectBatchOnFunctionError: false, MaximumRecordAgeInSeconds: -1 } : {}),
      LastProcessingResult: es.kind === "kinesis" ? "OK" : undefined,
      FunctionResponseTypes: es.kind === "sqs" ? ["ReportBatchItemFailures"] : [],
    };
  });
}

export const lambdaService: Service = {
  signingName: "lambda",
  protocol: restJson,
  throttleError: () => new AwsError("TooManyRequestsException", "Rate exceeded", 429, "Sender", { Type: "User", Reason: "CallerRateLimitExceeded" }),
  internalError: () => new AwsError("ServiceException", "An internal error occurred.", 500, "Receiver", { Type: "Service" }),
  recognises: (req) => /^\/20\d\d-\d\d-\d\d\/(functions|event-source-mappings|tags)/.test(req.path),
  route(req, ctx): Route | undefined {
    const path = req.path.replace(/\/$/, "");
    const wl = ctx.workload;
    const region = req.region;
    const fn = (name: string) => {
      const f = wl.getFunction(name, region);
      if (!f) throw notFound(name, region);
      return f;
    };
    if (req.method !== "GET") return undefined;
    if (path === "/2015-03-31/functions") {
      return {
        operation: "ListFunctions",
        run: () => {
          const max = Math.min(num(req.query.get("MaxItems")) ?? 50, 50);
          const marker = req.query.get("Marker");
          const offset = marker ? decodeToken<{ o: number }>(marker, badMarker).o : 0;
          const p = page(wl.listFunctions(region), offset, max);
          return { Functions: p.items.map(functionConfiguration), NextMarker: p.next !== undefined ? encodeToken({ o: p.next }) : undefined };
        },
      };
    }
    if (path === "/2015-03-31/event-source-mappings") {
      return {
        operation: "ListEventSourceMappings",
        run: () => {
          const name = req.query.get("FunctionName");
          const source = req.query.get("EventSourceArn");
          const fns = name ? [fn(name)] : wl.listFunctions(region);
          const all = eventSourceMappings(fns).filter((m) => !source || m.EventSourceArn === source);
          const marker = req.query.get("Marker");
          const p = page(all, marker ? decodeToken<{ o: number }>(marker, badMarker).o : 0, Math.min(num(req.query.get("MaxItems")) ?? 100, 100));
          return { EventSourceMappings: p.items, NextMarker: p.next !== undefined ? encodeToken({ o: p.next }) : undefined };
        },
      };
    }
    let m = matchPath("/2015-03-31/functions/{FunctionName}/versions", path);
    if (m) {
      const name = m.FunctionName;
      return {
        operation: "ListVersionsByFunction",
        run: () => {
          const f = fn(name);
          const latest = functionConfiguration(f);
          const versions = publishedVersions(f).map((v) => ({ ...latest, FunctionArn: `${f.arn}:${v}`, Version: v }));
          return { Versions: [latest, ...versions] };
        },
      };
    }
    m = matchPath("/2015-03-31/functions/{FunctionName}/aliases", path);
    if (m) {
      const name = m.FunctionName;
      return {
        operation: "ListAliases",
        run: () => {
          const f = fn(name);
          const newest = publishedVersions(f).at(-1);
          const alias = f.spec.provisionedConcurrency?.qualifier ?? "live";
          const aliases = newest ? [{ AliasArn: `${f.arn}:${alias}`, Name: alias, FunctionVersion: newest, Description: "", RevisionId: new Rng(hashString(f.spec.name, 9)).uuid() }] : [];
          return { Aliases: aliases };
        },
      };
    }
    m = matchPath("/2015-03-31/functions/{FunctionName}/configuration", path);
    if (m) {
      const name = m.FunctionName;
      return { operation: "GetFunctionConfiguration", run: () => functionConfiguration(fn(name)) };
    }
    m = matchPath("/2015-03-31/functions/{FunctionName}", path);
    if (m) {
      const name = m.FunctionName;
      return {
        operation: "GetFunction",
        run: () => {
          const f = fn(name);
          return {
            Configuration: functionConfiguration(f),
            Code: { RepositoryType: "S3", Location: `https://awslambda-${region}-tasks.s3.${region}.amazonaws.com/snapshots/${ACCOUNT_ID}/${f.spec.name}-${hashString(f.spec.name).toString(16)}?X-Amz-Expires=600` },
            Tags: f.spec.tags,
            ...(f.spec.reservedConcurrency !== undefined ? { Concurrency: { ReservedConcurrentExecutions: f.spec.reservedConcurrency } } : {}),
          };
        },
      };
    }
    m = matchPath("/2017-03-31/tags/{Resource+}", path);
    if (m) {
      const arn = m.Resource;
      return { operation: "ListTags", run: () => ({ Tags: fn(arn).spec.tags }) };
    }
    m = matchPath("/2019-09-30/functions/{FunctionName}/concurrency", path);
    if (m) {
      const name = m.FunctionName;
      return {
        operation: "GetFunctionConcurrency",
        run: () => {
          const r = fn(name).spec.reservedConcurrency;
          return r !== undefined ? { ReservedConcurrentExecutions: r } : {};
        },
      };
    }
    m = matchPath("/2019-09-25/functions/{FunctionName}/event-invoke-config", path);
    if (m) {
      const name = m.FunctionName;
      return {
        operation: "GetFunctionEventInvokeConfig",
        run: () => {
          const f = fn(name);
          if (!hasEventInvokeConfig(f.spec)) {
            throw new AwsError("ResourceNotFoundException", `The function ${f.arn} doesn't have an EventInvokeConfig`, 404, "Sender", { Type: "User" });
          }
          const onFailure = f.spec.dlqQueue ? {} : { Destination: `arn:aws:sqs:${region}:${ACCOUNT_ID}:${f.spec.name}-failures` };
          return {
            LastModified: LAST_MODIFIED / 1000,
            FunctionArn: `${f.arn}:$LATEST`,
            MaximumRetryAttempts: 2,
            MaximumEventAgeInSeconds: 21600,
            DestinationConfig: { OnSuccess: {}, OnFailure: onFailure },
          };
        },
      };
    }
    m = matchPath("/2021-10-31/functions/{FunctionName}/urls", path);
    if (m) {
      const name = m.FunctionName;
      return {
        operation: "ListFunctionUrlConfigs",
        run: () => {
          const f = fn(name);
          const url = f.spec.functionUrl;
          const configs = url
            ? [{
                FunctionUrl: `https://${hashString(f.spec.name, 5).toString(36).padStart(8, "x")}.lambda-url.${region}.on.aws/`,
                FunctionArn: f.arn,
                AuthType: url.authType,
                ...(url.corsAnyOrigin ? { Cors: { AllowOrigins: ["*"], AllowMethods: ["GET", "POST"] } } : {}),
                CreationTime: lambdaDate(LAST_MODIFIED),
                LastModifiedTime: lambdaDate(LAST_MODIFIED),
                InvokeMode: "BUFFERED",
              }]
            : [];
          return { FunctionUrlConfigs: configs };
        },
      };
    }
    m = matchPath("/2019-09-30/functions/{FunctionName}/provisioned-concurrency", path);
    if (m && req.query.get("List") === "ALL") {
      const name = m.FunctionName;
      return {
        operation: "ListProvisionedConcurrencyConfigs",
        run: () => {
          const f = fn(name);
          const pc = f.spec.provisionedConcurrency;
          const configs = pc
            ? [{
                FunctionArn: `${functionArn(f.spec)}:${pc.qualifier}`,
                RequestedProvisionedConcurrentExecutions: pc.count,
                AvailableProvisionedConcurrentExecutions: pc.count,
                AllocatedProvisionedConcurrentExecutions: pc.count,
                Status: "READY",
                LastModified: lambdaDate(LAST_MODIFIED),
              }]
            : [];
          return { ProvisionedConcurrencyConfigs: configs };
        },
      };
    }
    return undefined;
  },
};
