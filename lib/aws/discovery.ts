import { DescribeLogGroupsCommand, paginateDescribeLogGroups } from "@aws-sdk/client-cloudwatch-logs";
import {
  GetFunctionConcurrencyCommand,
  GetFunctionEventInvokeConfigCommand,
  ListTagsCommand,
  paginateListEventSourceMappings,
  paginateListFunctions,
  paginateListFunctionUrlConfigs,
  type FunctionUrlConfig,
  paginateListAliases,
  paginateListProvisionedConcurrencyConfigs,
  paginateListVersionsByFunction,
  type AliasConfiguration,
  type EventSourceMappingConfiguration,
  type FunctionConfiguration,
  type LambdaClient,
} from "@aws-sdk/client-lambda";
import { GetQueueAttributesCommand, paginateListQueues } from "@aws-sdk/client-sqs";
import { paginateGetResources, paginateGetRestApis } from "@aws-sdk/client-api-gateway";
import { GetApisCommand, GetRoutesCommand, GetStagesCommand } from "@aws-sdk/client-apigatewayv2";
import { GetStagesCommand as GetRestStagesCommand } from "@aws-sdk/client-api-gateway";
import { DescribeContinuousBackupsCommand, DescribeTableCommand, paginateListTables } from "@aws-sdk/client-dynamodb";
import { LAMBDA_FEATURES, type LambdaFeature } from "../ingest/discovery/carry-forward";
import { toLambdaConfig, type LambdaConfig } from "../ingest/discovery/lambda-config";
import { mapLimit } from "../util/map-limit";
import { readRoles } from "./discovery-iam";
import { isCredentialsFailure } from "./call-failure";
import type { ResourceKind } from "../resource-kinds";
import type { AwsClients } from "./clients";

export interface DiscoveredResource {
  kind: ResourceKind;
  arn: string;
  name: string;
  config: Record<string, unknown>;
  tags: Record<string, string>;
}

// Per-function detail calls run a few at a time: Lambda's control plane allows ~15 TPS per account.
const DETAIL_CONCURRENCY = 4;

const notFoundAsNull = (err: unknown) => {
  if ((err as { name?: string }).name === "ResourceNotFoundException") return null;
  throw err;
};

async function logRetentionByGroup(c: AwsClients): Promise<Map<string, number | null>> {
  const out = new Map<string, number | null>();
  for await (const page of paginateDescribeLogGroups({ client: c.logs }, { logGroupNamePrefix: "/aws/lambda/" })) {
    for (const g of page.logGroups ?? []) if (g.logGroupName) out.set(g.logGroupName, g.retentionInDays ?? null);
  }
  return out;
}

async function retentionOf(c: AwsClients, group: string, known: Map<string, number | null>): Promise<number | null> {
  if (known.has(group)) return known.get(group)!;
  const res = await c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
  return res.logGroups?.find((g) => g.logGroupName === group)?.retentionInDays ?? null;
}

async function eventSourceMappingsOf(lambda: LambdaClient, name: string): Promise<EventSourceMappingConfiguration[]> {
  const out: EventSourceMappingConfiguration[] = [];
  for await (const page of paginateListEventSourceMappings({ client: lambda }, { FunctionName: name })) out.push(...(page.EventSourceMappings ?? []));
  return out;
}

async function versionsOf(lambda: LambdaClient, name: string): Promise<FunctionConfiguration[]> {
  const out: FunctionConfiguration[] = [];
  for await (const page of paginateListVersionsByFunction({ client: lambda }, { FunctionName: name })) out.push(...(page.Versions ?? []));
  return out;
}

async function aliasesOf(lambda: LambdaClient, name: string): Promise<AliasConfiguration[]> {
  const out: AliasConfiguration[] = [];
  for await (const page of paginateListAliases({ client: lambda }, { FunctionName: name })) out.push(...(page.Aliases ?? []));
  return out;
}

/** Provisioned concurrency allocated over every alias and version; null when none. */
async function provisionedConcurrencyOf(lambda: LambdaClient, name: string): Promise<number | null> {
  let total = 0;
  for await (const page of paginateListProvisionedConcurrencyConfigs({ client: lambda }, { FunctionName: name })) {
    for (const p of page.ProvisionedConcurrencyConfigs ?? []) total += p.AllocatedProvisionedConcurrentExecutions ?? 0;
  }
  return total || null;
}

async function functionUrlsOf(lambda: LambdaClient, name: string): Promise<FunctionUrlConfig[]> {
  const out: FunctionUrlConfig[] = [];
  for await (const page of paginateListFunctionUrlConfigs({ client: lambda }, { FunctionName: name })) out.push(...(page.FunctionUrlConfigs ?? []));
  return out;
}

/** An optional call that failed: its feature of that function is degraded, the rest of discovery goes on. */
export interface OptionalCallFailure<F extends string = LambdaFeature> {
  feature: F;
  /** the function name, or "" when the call covers the whole region */
  resource: string;
  action: string;
  error: unknown;
}

export const rethrow = (f: OptionalCallFailure<string>): never => {
  throw f.error;
};

/** A resource whose detail call failed: the caller keeps what it knew of it; unusable credentials still throw. */
export async function detailOrNull<T>(
  feature: string,
  resource: string,
  action: string,
  onFailure: (f: OptionalCallFailure<string>) => void,
  call: () => Promise<T>,
): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    if (isCredentialsFailure(error)) throw error;
    onFailure({ feature, resource, action, error });
    return null;
  }
}

/**
 * Every function of the region with its details. ListFunctions must succeed; each detail call is
 * optional: when one fails (denied, not implemented by the endpoint, rejected) `onFailure` hears of it
 * and that field is left at its default, unless the credentials themselves fail.
 */
export async function discoverLambdaFunctions(c: AwsClients, onFailure: (f: OptionalCallFailure) => void = rethrow): Promise<LambdaConfig[]> {
  const optional = async <T>(feature: LambdaFeature, resource: string, call: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call();
    } catch (error) {
      if (isCredentialsFailure(error)) throw error;
      onFailure({ feature, resource, action: LAMBDA_FEATURES[feature], error });
      return undefined;
    }
  };
  const fns: FunctionConfiguration[] = [];
  for await (const page of paginateListFunctions({ client: c.lambda }, {})) fns.push(...(page.Functions ?? []));
  const retention = await optional("log retention", "", () => logRetentionByGroup(c));
  // Each distinct execution role once, before the per-function details.
  const roles = await readRoles(c.iam, fns.map((fn) => fn.Role ?? ""));
  return mapLimit(fns, DETAIL_CONCURRENCY, async (fn) => {
    const name = fn.FunctionName!;
    const role = fn.Role ? roles.get(fn.Role) : undefined;
    if (role?.error) onFailure({ feature: "role policies", resource: name, action: role.error.action, error: role.error.cause });
    const [tags, concurrency, invokeConfig, mappings, provisioned, functionUrls, versions, aliases] = await Promise.all([
      optional("tags", name, () => c.lambda.send(new ListTagsCommand({ Resource: fn.FunctionArn })).then((r) => r.Tags ?? {})),
      optional("reserved concurrency", name, () =>
        c.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name })).then((r) => r.ReservedConcurrentExecutions ?? null),
      ),
      optional("event invoke config", name, () => c.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: name })).catch(notFoundAsNull)),
      optional("event source mappings", name, () => eventSourceMappingsOf(c.lambda, name)),
      optional("provisioned concurrency", name, () => provisionedConcurrencyOf(c.lambda, name)),
      optional("function url", name, () => functionUrlsOf(c.lambda, name)),
      optional("versions", name, () => versionsOf(c.lambda, name)),
      optional("aliases", name, () => aliasesOf(c.lambda, name)),
    ]);
    const logGroup = fn.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`;
    // The region-wide listing failed already: asking again per function would only fail again.
    const logRetentionDays = retention ? await optional("log retention", name, () => retentionOf(c, logGroup, retention)) : undefined;
    return toLambdaConfig(fn, {
      tags,
      reservedConcurrency: concurrency,
      provisionedConcurrency: provisioned,
      eventInvokeConfig: invokeConfig,
      mappings,
      logRetentionDays,
      functionUrls,
      versions,
      aliases,
      // A function without a role (or none IAM names as a role) has nothing to check: no wildcards.
      roleWildcards: role ? role.statements : [],
    });
  });
}

export async function discoverQueues(
  c: AwsClients,
  region: string,
  accountId: string,
  onFailure: (f: OptionalCallFailure<string>) => void = rethrow,
): Promise<DiscoveredResource[]> {
  const urls: string[] = [];
  for await (const page of paginateListQueues({ client: c.sqs }, {})) urls.push(...(page.QueueUrls ?? []));
  const queues = await mapLimit(urls, DETAIL_CONCURRENCY, async (url) => {
    const name = url.split("/").pop()!;
    const attributes = await detailOrNull("discovery (sqs)", name, "sqs:GetQueueAttributes", onFailure, () =>
      c.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] })),
    );
    if (!attributes) return null;
    const { Attributes: a = {} } = attributes;
    const redrive = a.RedrivePolicy ? (JSON.parse(a.RedrivePolicy) as { deadLetterTargetArn?: string; maxReceiveCount?: number }) : null;
    return {
      kind: "sqs" as const,
      arn: a.QueueArn ?? `arn:aws:sqs:${region}:${accountId}:${name}`,
      name,
      tags: {},
      config: {
        url,
        retentionS: Number(a.MessageRetentionPeriod ?? 345600),
        visibilityTimeoutS: Number(a.VisibilityTimeout ?? 30),
        fifo: name.endsWith(".fifo"),
        redrivePolicy: redrive,
        delaySeconds: Number(a.DelaySeconds ?? 0),
        receiveWaitTimeS: Number(a.ReceiveMessageWaitTimeSeconds ?? 0),
        encrypted: a.SqsManagedSseEnabled === "true" || Boolean(a.KmsMasterKeyId),
        publicPolicy: allowsAnyone(a.Policy),
      },
    };
  });
  return queues.filter((q) => q !== null);
}

/** A resource policy with an Allow statement for Principal "*" (or AWS "*") and no Condition: open to every account. */
export function allowsAnyone(policy: string | undefined): boolean {
  if (!policy) return false;
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(policy) as { Statement?: unknown };
  } catch {
    return false;
  }
  const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) as { Effect?: string; Principal?: unknown; Condition?: unknown }[];
  return statements.some((st) => {
    if (!st || st.Effect !== "Allow" || st.Condition) return false;
    const p = st.Principal as string | { AWS?: string | string[] } | undefined;
    const aws = typeof p === "object" && p ? p.AWS : undefined;
    return p === "*" || aws === "*" || (Array.isArray(aws) && aws.includes("*"));
  });
}

/** What the review checks of a stage: throttling, access logs and (REST only) X-Ray tracing. */
export interface StageSettings {
  name: string;
  throttled: boolean;
  accessLogs: boolean;
  /** null for HTTP and WebSocket APIs, which X-Ray does not trace */
  tracing: boolean | null;
}

/** The ingest-health feature of an API's route reads: denied, the API keeps the routes an earlier pass read. */
export const API_ROUTES_FEATURE = "routes (apigateway)";

/** A route and its authorization type (NONE, AWS_IAM, CUSTOM, COGNITO_USER_POOLS, JWT), for the SEC 1 check. */
export interface RouteAuth {
  route: string;
  authorizationType: string;
}

/** Every method of a REST API as "GET /orders/{id}", read with GetResources?embed=methods (one call per 500 resources). */
async function restRoutes(c: AwsClients, restApiId: string): Promise<RouteAuth[]> {
  const out: RouteAuth[] = [];
  for await (const page of paginateGetResources({ client: c.apigateway, pageSize: 500 }, { restApiId, embed: ["methods"] })) {
    for (const r of page.items ?? []) {
      for (const [method, m] of Object.entries(r.resourceMethods ?? {})) out.push({ route: `${method} ${r.path ?? "/"}`, authorizationType: m.authorizationType ?? "NONE" });
    }
  }
  return out;
}

/** Every route of an HTTP or WebSocket API by its route key ("GET /orders", "$default", "$connect"). */
async function apiRoutes(c: AwsClients, ApiId: string): Promise<RouteAuth[]> {
  const out: RouteAuth[] = [];
  let next: string | undefined;
  do {
    const page = await c.apigatewayv2.send(new GetRoutesCommand({ ApiId, NextToken: next }));
    for (const r of page.Items ?? []) out.push({ route: r.RouteKey ?? "", authorizationType: r.AuthorizationType ?? "NONE" });
    next = page.NextToken;
  } while (next);
  return out;
}

/** APIs with their stages and routes; a route read that fails leaves `routes` null (the caller carries the last ones forward). */
export async function discoverApis(c: AwsClients, region: string, onFailure: (f: OptionalCallFailure<string>) => void = rethrow): Promise<DiscoveredResource[]> {
  const out: DiscoveredResource[] = [];
  for await (const page of paginateGetRestApis({ client: c.apigateway }, {})) {
    for (const api of page.items ?? []) {
      const items = await c.apigateway.send(new GetRestStagesCommand({ restApiId: api.id })).then((r) => r.item ?? [], () => []);
      const stages = items.map((s) => s.stageName!);
      const stageSettings: StageSettings[] = items.map((s) => ({
        name: s.stageName!,
        // "*/*" is the stage-wide setting of every method.
        throttled: Object.values(s.methodSettings ?? {}).some((m) => (m.throttlingRateLimit ?? 0) > 0 || (m.throttlingBurstLimit ?? 0) > 0),
        accessLogs: Boolean(s.accessLogSettings?.destinationArn),
        tracing: Boolean(s.tracingEnabled),
      }));
      const name = api.name ?? api.id!;
      const routes = await detailOrNull(API_ROUTES_FEATURE, name, "apigateway:GET", onFailure, () => restRoutes(c, api.id!));
      out.push({
        kind: "apigateway",
        arn: `arn:aws:apigateway:${region}::/restapis/${api.id}`,
        name,
        tags: api.tags ?? {},
        config: { apiId: api.id, protocol: "REST", endpointTypes: api.endpointConfiguration?.types ?? [], stages, stageSettings, routes, createdDate: api.createdDate?.toISOString() ?? null },
      });
    }
  }
  let next: string | undefined;
  do {
    const page = await c.apigatewayv2.send(new GetApisCommand({ NextToken: next }));
    for (const api of page.Items ?? []) {
      const items = await c.apigatewayv2.send(new GetStagesCommand({ ApiId: api.ApiId })).then((r) => r.Items ?? [], () => []);
      const stages = items.map((s) => s.StageName!);
      const stageSettings: StageSettings[] = items.map((s) => ({
        name: s.StageName!,
        throttled: (s.DefaultRouteSettings?.ThrottlingRateLimit ?? 0) > 0 || (s.DefaultRouteSettings?.ThrottlingBurstLimit ?? 0) > 0,
        accessLogs: Boolean(s.AccessLogSettings?.DestinationArn),
        tracing: null,
      }));
      const name = api.Name ?? api.ApiId!;
      const routes = await detailOrNull(API_ROUTES_FEATURE, name, "apigateway:GET", onFailure, () => apiRoutes(c, api.ApiId!));
      out.push({
        kind: "apigateway",
        arn: `arn:aws:apigateway:${region}::/apis/${api.ApiId}`,
        name,
        tags: api.Tags ?? {},
        config: { apiId: api.ApiId, protocol: api.ProtocolType ?? "HTTP", stages, stageSettings, routes, createdDate: api.CreatedDate?.toISOString() ?? null },
      });
    }
    next = page.NextToken;
  } while (next);
  return out;
}

/** The ingest-health feature of a table's DescribeContinuousBackups: denied, the table is kept, its backups unknown. */
export const DYNAMODB_BACKUPS_FEATURE = "dynamodb backups";

export async function discoverTables(c: AwsClients, onFailure: (f: OptionalCallFailure<string>) => void = rethrow): Promise<DiscoveredResource[]> {
  const names: string[] = [];
  for await (const page of paginateListTables({ client: c.dynamodb }, {})) names.push(...(page.TableNames ?? []));
  const tables = await mapLimit(names, DETAIL_CONCURRENCY, async (name) => {
    const described = await detailOrNull("discovery (dynamodb)", name, "dynamodb:DescribeTable", onFailure, () =>
      c.dynamodb.send(new DescribeTableCommand({ TableName: name })),
    );
    if (!described) return null;
    const { Table: t } = described;
    const backups = await detailOrNull(DYNAMODB_BACKUPS_FEATURE, name, "dynamodb:DescribeContinuousBackups", onFailure, () =>
      c.dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: name })),
    );
    const pitr = backups?.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus;
    return {
      kind: "dynamodb" as const,
      arn: t?.TableArn ?? name,
      name,
      tags: {},
      config: {
        billingMode: t?.BillingModeSummary?.BillingMode ?? "PROVISIONED",
        streamEnabled: t?.StreamSpecification?.StreamEnabled ?? false,
        streamViewType: t?.StreamSpecification?.StreamViewType ?? null,
        itemCount: t?.ItemCount ?? null,
        sizeBytes: t?.TableSizeBytes ?? null,
        readCapacityUnits: t?.ProvisionedThroughput?.ReadCapacityUnits ?? null,
        writeCapacityUnits: t?.ProvisionedThroughput?.WriteCapacityUnits ?? null,
        // Unknown (null) when the call failed: the review then says the check was not run.
        pointInTimeRecovery: pitr === undefined ? null : pitr === "ENABLED",
      },
    };
  });
  return tables.filter((t) => t !== null);
}
