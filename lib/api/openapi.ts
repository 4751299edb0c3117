import { z } from "zod";
import { AccountInput } from "./schemas/accounts";
import { IncidentActionBody, IncidentDetail, IncidentsQuery, IncidentView, PolicyInput, PolicyPatch, PolicyView, SnoozeBody } from "./schemas/alerts";
import { IdParam } from "./schemas/common";
import { CostQuery, CostResponse } from "./schemas/cost";
import { ChannelInput, ChannelPatch, ChannelView, NotificationsQuery, NotificationView, TestResult } from "./schemas/channels";
import { ErrorDetailQuery, ErrorDetailResponse, ErrorListQuery, ErrorListResponse, ErrorPatch, ErrorPatchResponse } from "./schemas/errors";
import { InsightPatch, InsightsQuery, InsightsResponse, ThresholdsPut } from "./schemas/insights";
import { InvocationDetailQuery, InvocationDetailResponse, InvocationParams } from "./schemas/invocation";
import { InvocationListQuery, InvocationListResponse } from "./schemas/invocations";
import { OverviewQuery, OverviewResponse } from "./schemas/overview";
import { ResourceDetailResponse } from "./schemas/resource";
import { ResourceListQuery, ResourceListResponse } from "./schemas/resources";
import { LogSearchQuery, LogSearchResponse } from "./schemas/search";
import { SeriesQuery, SeriesResponse } from "./schemas/series";
import { SandboxStateResponse, SandboxSwitch } from "./schemas/settings";

const AccountView = z.object({
  id: z.number(),
  name: z.string(),
  awsAccountId: z.string().nullable(),
  regions: z.array(z.string()),
  credentialMethod: z.string(),
  profile: z.string().nullable(),
  roleArn: z.string().nullable(),
  hasExternalId: z.boolean(),
  isSandbox: z.boolean(),
  createdAt: z.string(),
});

const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), issues: z.array(z.object({ path: z.string(), message: z.string() })).optional() }),
});

type Method = "get" | "post" | "put" | "patch" | "delete";

interface Operation {
  summary: string;
  query?: z.ZodObject;
  path?: z.ZodObject;
  body?: z.ZodType;
  response?: z.ZodType;
  status?: number;
}

const jsonSchema = (s: z.ZodType, io: "input" | "output") => z.toJSONSchema(s, { io, unrepresentable: "any", target: "draft-2020-12" }) as Record<string, unknown>;

function parameters(schema: z.ZodObject | undefined, where: "query" | "path") {
  if (!schema) return [];
  const js = jsonSchema(schema, "input") as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return { name, in: where, required: where === "path" || (js.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest };
  });
}

function operation(op: Operation) {
  const status = String(op.status ?? 200);
  return {
    summary: op.summary,
    parameters: [...parameters(op.path, "path"), ...parameters(op.query, "query")],
    ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.body, "input") } } } } : {}),
    responses: {
      [status]: op.response ? { description: "OK", content: { "application/json": { schema: jsonSchema(op.response, "output") } } } : { description: "No content" },
      "400": { description: "Invalid parameters", content: { "application/json": { schema: jsonSchema(ErrorBody, "output") } } },
      "404": { description: "Not found", content: { "application/json": { schema: jsonSchema(ErrorBody, "output") } } },
    },
  };
}

const ResourceId = IdParam;

/** Every /api/v1 route, described from the zod schemas the handlers validate with. */
export const API_ROUTES: Record<string, Partial<Record<Method, Operation>>> = {
  "/api/v1/accounts": {
    get: { summary: "Connected accounts", response: z.object({ data: z.array(AccountView) }) },
    post: { summary: "Connect an account", body: AccountInput, response: z.object({ data: AccountView }), status: 201 },
  },
  "/api/v1/accounts/{id}": {
    get: { summary: "One account", path: IdParam, response: z.object({ data: AccountView }) },
    delete: { summary: "Disconnect an account and forget its data", path: IdParam, status: 204 },
  },
  "/api/v1/accounts/{id}/test": {
    post: { summary: "Check that Osprey can reach the account (STS GetCallerIdentity)", path: IdParam, response: z.object({ data: z.record(z.string(), z.unknown()) }) },
  },
  "/api/v1/alert-policies": {
    get: { summary: "Alert policies with their current state (incidents not resolved)", response: z.object({ data: z.array(PolicyView) }) },
    post: { summary: "Add an alert policy", body: PolicyInput, response: z.object({ data: PolicyView }), status: 201 },
  },
  "/api/v1/alert-policies/{id}": {
    get: { summary: "One alert policy", path: IdParam, response: z.object({ data: PolicyView }) },
    patch: { summary: "Change an alert policy", path: IdParam, body: PolicyPatch, response: z.object({ data: PolicyView }) },
    delete: { summary: "Remove an alert policy and its incidents", path: IdParam, status: 204 },
  },
  "/api/v1/incidents": { get: { summary: "Incidents, newest first; filter by state, severity, resource", query: IncidentsQuery, response: z.object({ data: z.array(IncidentView) }) } },
  "/api/v1/incidents/{id}": { get: { summary: "One incident with its timeline (opened, notified, acknowledged by whom, resolved)", path: IdParam, response: z.object({ data: IncidentDetail }) } },
  "/api/v1/incidents/{id}/acknowledge": { post: { summary: "Acknowledge an incident; notifies its channels", path: IdParam, body: IncidentActionBody, response: z.object({ data: IncidentDetail }) } },
  "/api/v1/incidents/{id}/resolve": { post: { summary: "Resolve an incident by hand; notifies its channels", path: IdParam, body: IncidentActionBody, response: z.object({ data: IncidentDetail }) } },
  "/api/v1/incidents/{id}/snooze": { post: { summary: "Hold back an incident's notifications for some minutes", path: IdParam, body: SnoozeBody, response: z.object({ data: IncidentDetail }) } },
  "/api/v1/channels": {
    get: { summary: "Notification channels (Slack, e-mail, webhook, PagerDuty, SNS) with their delivery state; secrets masked", response: z.object({ data: z.array(ChannelView) }) },
    post: { summary: "Add a channel", body: ChannelInput, response: z.object({ data: ChannelView }), status: 201 },
  },
  "/api/v1/channels/{id}": {
    get: { summary: "One channel", path: IdParam, response: z.object({ data: ChannelView }) },
    patch: { summary: "Change a channel; a secret left out keeps its stored value", path: IdParam, body: ChannelPatch, response: z.object({ data: ChannelView }) },
    delete: { summary: "Remove a channel and its notifications", path: IdParam, status: 204 },
  },
  "/api/v1/channels/{id}/test": {
    post: { summary: "Send a test notification now; answers with the receiver's reply", path: IdParam, response: z.object({ data: TestResult }) },
  },
  "/api/v1/channels/{id}/notifications": {
    get: { summary: "A channel's notifications, newest first: sent, waiting, retried, failed (and why)", path: IdParam, query: NotificationsQuery, response: z.object({ data: z.array(NotificationView) }) },
  },
  "/api/v1/ingest/firehose": {
    post: {
      summary: "Kinesis Data Firehose HTTP endpoint for CloudWatch Logs subscription records; authenticated by the X-Amz-Firehose-Access-Key header (OSPREY_FIREHOSE_ACCESS_KEY)",
      response: z.object({ requestId: z.string(), timestamp: z.number(), errorMessage: z.string().optional() }),
    },
  },
  "/api/v1/overview": { get: { summary: "Fleet totals, changes, trend series, top functions, ingest health", query: OverviewQuery, response: OverviewResponse } },
  "/api/v1/resources": { get: { summary: "Resources with health, latency, cold starts, memory and cost; sort, filter, page", query: ResourceListQuery, response: ResourceListResponse } },
  "/api/v1/resources/{id}": { get: { summary: "One resource with its configuration history", path: ResourceId, response: ResourceDetailResponse } },
  "/api/v1/resources/{id}/series": { get: { summary: "Metric series of a resource, with configuration-change markers", path: ResourceId, query: SeriesQuery, response: SeriesResponse } },
  "/api/v1/resources/{id}/invocations": {
    get: { summary: "Invocations of a resource, newest first, filtered", path: ResourceId, query: InvocationListQuery, response: InvocationListResponse },
  },
  "/api/v1/resources/{id}/invocations/{requestId}": {
    get: { summary: "One invocation: fields, logs, spans, retry chain, cost, neighbours, console links", path: InvocationParams, query: InvocationDetailQuery, response: InvocationDetailResponse },
  },
  "/api/v1/errors": { get: { summary: "Error groups with occurrences in the range", query: ErrorListQuery, response: ErrorListResponse } },
  "/api/v1/errors/{id}": {
    get: { summary: "One error group with its occurrences", path: IdParam, query: ErrorDetailQuery, response: ErrorDetailResponse },
    patch: { summary: "Set an error group's state", path: IdParam, body: ErrorPatch, response: ErrorPatchResponse },
  },
  "/api/v1/insights": { get: { summary: "Insight findings filtered by severity, pillar, service, state, account, region or resource", query: InsightsQuery, response: InsightsResponse } },
  "/api/v1/insights/{id}": {
    patch: { summary: "Acknowledge, mute or reopen a finding", path: IdParam, body: InsightPatch, response: z.object({ data: z.object({ id: z.number(), state: z.string() }) }) },
  },
  "/api/v1/insights/rules": {
    get: { summary: "Every insight rule with its named thresholds (default and the user's own)", response: z.object({ data: z.array(z.record(z.string(), z.unknown())) }) },
    put: { summary: "Set a rule's thresholds", body: ThresholdsPut, response: z.object({ data: ThresholdsPut }) },
  },
  "/api/v1/search": { get: { summary: "Log lines across functions matching words, phrases and JSON field filters, newest first", query: LogSearchQuery, response: LogSearchResponse } },
  "/api/v1/cost": { get: { summary: "Cost per resource per day, top movers, projected month, right-sizing", query: CostQuery, response: CostResponse } },
  "/api/v1/settings/sandbox": {
    get: { summary: "The sandbox account's switch", response: SandboxStateResponse },
    put: { summary: "Switch the sandbox account on or off (off removes it and its data, and keeps it away across restarts)", body: SandboxSwitch, response: SandboxStateResponse },
  },
  "/api/v1/openapi.json": { get: { summary: "This document" } },
};

export function buildOpenApi(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, ops] of Object.entries(API_ROUTES)) {
    paths[path] = Object.fromEntries(Object.entries(ops).map(([m, op]) => [m, operation(op)]));
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Osprey API",
      version: "1",
      description:
        "Read API of Osprey. Lists answer { data, nextCursor }; pass nextCursor as `cursor` for the next page. Ranges: `from`/`to` (ISO 8601 or ms) or `range` (1h, 24h, 7d, 30d) ending at `to` or now.",
    },
    paths,
  };
}
