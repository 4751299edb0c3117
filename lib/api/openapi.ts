import { z } from "zod";
import { AccountInput } from "./schemas/accounts";
import { ApiTokenCreated, ApiTokenInput, ApiTokensQuery, ApiTokenView } from "./schemas/api-tokens";
import { BacktestView } from "./schemas/alerts-backtest";
import { AuditQuery, AuditResponse, FirehoseKeyRotated } from "./schemas/audit";
import { SsoConfigInput, SsoConfigResponse, SsoDiscoveryInput, SsoDiscoveryResponse } from "./schemas/sso";
import { IncidentActionBody, IncidentDetail, IncidentsQuery, IncidentView, PolicyInput, PolicyPatch, PolicyView, SnoozeBody } from "./schemas/alerts";
import { IdParam } from "./schemas/common";
import { IncidentEvidenceResponse } from "./schemas/incident-evidence";
import { CostQuery, CostResponse } from "./schemas/cost";
import { ChannelInput, ChannelPatch, ChannelView, NotificationsQuery, NotificationView, TestResult } from "./schemas/channels";
import { ErrorDetailQuery, ErrorDetailResponse, ErrorListQuery, ErrorListResponse, ErrorPatch, ErrorPatchResponse } from "./schemas/errors";
import { InsightPatch, InsightsQuery, InsightsResponse, ThresholdsPut } from "./schemas/insights";
import { ReviewQuery, ReviewResponse } from "./schemas/review";
import { InvocationDetailQuery, InvocationDetailResponse, InvocationParams } from "./schemas/invocation";
import { InvocationListQuery, InvocationListResponse } from "./schemas/invocations";
import { OverviewQuery, OverviewResponse } from "./schemas/overview";
import { ResourceDetailResponse, ResourceTotalsQuery, ResourceTotalsResponse } from "./schemas/resource";
import { ResourceListQuery, ResourceListResponse } from "./schemas/resources";
import { PerformanceQuery, PerformanceResponse } from "./schemas/performance";
import { DeploysQuery, DeploysResponse } from "./schemas/deploys";
import {
  LogContextQuery,
  LogContextResponse,
  LogSearchHistogramQuery,
  LogSearchHistogramResponse,
  LogSearchQuery,
  LogSearchResponse,
  SavedSearchInput,
  SavedSearchView,
} from "./schemas/search";
import { StorageResponse } from "./schemas/storage";
import { LogTailQuery, LogTailResponse } from "./schemas/tail";
import { PasswordLink, UserCreated, UserIdParam, UserInput, UserPatch, UserView } from "./schemas/users";
import { SeriesQuery, SeriesResponse } from "./schemas/series";
import { SandboxStateResponse, SandboxSwitch } from "./schemas/settings";
import { ConnectionTestView, OnboardingStart, OnboardingView, SandboxStackInput, TemplateQuery, VerifyInput } from "./schemas/onboarding";
import { DrillRequest, DrillState, DrillView } from "../sandbox/drill";

const AccountView = z.object({
  id: z.number(),
  name: z.string(),
  awsAccountId: z.string().nullable(),
  regions: z.array(z.string()),
  credentialMethod: z.string(),
  profile: z.string().nullable(),
  roleArn: z.string().nullable(),
  hasExternalId: z.boolean(),
  externalIdHint: z.string().nullable().meta({ description: "The external id's last four characters (of one of 16 or more), never the whole" }),
  firehoseKey: z.object({ hint: z.string(), createdAt: z.string() }).nullable().meta({ description: "The account's Firehose key: its last four characters and when it was made" }),
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
  /** Authenticated otherwise than by a session (the Firehose endpoint's own key). */
  ownKey?: boolean;
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
    ...(op.ownKey ? { security: [] } : {}),
    parameters: [...parameters(op.path, "path"), ...parameters(op.query, "query")],
    ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.body, "input") } } } } : {}),
    responses: {
      [status]: op.response ? { description: "OK", content: { "application/json": { schema: jsonSchema(op.response, "output") } } } : { description: "No content" },
      "400": { description: "Invalid parameters", content: { "application/json": { schema: jsonSchema(ErrorBody, "output") } } },
      ...(op.ownKey
        ? {}
        : {
            "401": { description: "Not signed in, or the API token is unknown, revoked or expired (code unauthenticated)", content: { "application/json": { schema: jsonSchema(ErrorBody, "output") } } },
            "403": { description: "The role (of the user, or a read token's viewer) is too low (code forbidden)", content: { "application/json": { schema: jsonSchema(ErrorBody, "output") } } },
          }),
      "404": { description: "Not found", content: { "application/json": { schema: jsonSchema(ErrorBody, "output") } } },
    },
  };
}

const ResourceId = IdParam;

/** Every /api/v1 route, described from the zod schemas the handlers validate with. */
export const API_ROUTES: Record<string, Partial<Record<Method, Operation>>> = {
  "/api/v1/accounts": {
    get: { summary: "Connected accounts", response: z.object({ data: z.array(AccountView) }) },
    post: { summary: "Connect an account; answers its Firehose key (firehoseKey) this once", body: AccountInput, response: z.object({ data: AccountView.extend({ firehoseKey: z.string() }) }), status: 201 },
  },
  "/api/v1/accounts/{id}": {
    get: { summary: "One account", path: IdParam, response: z.object({ data: AccountView }) },
    delete: { summary: "Disconnect an account and forget its data", path: IdParam, status: 204 },
  },
  "/api/v1/accounts/{id}/test": {
    post: { summary: "Check that Osprey can reach the account (STS GetCallerIdentity), then probe each action of the read-only policy", path: IdParam, response: z.object({ data: ConnectionTestView }) },
  },
  "/api/v1/onboarding": {
    post: { summary: "Start connecting an AWS account: a fresh ExternalId, the principal to trust, the template's URLs, the quick-create link, CLI and StackSet commands", body: OnboardingStart, response: z.object({ data: OnboardingView }), status: 201 },
  },
  "/api/v1/onboarding/template": {
    get: { summary: "The CloudFormation template of Osprey's read-only role (YAML or JSON, as a download)", query: TemplateQuery },
  },
  "/api/v1/onboarding/verify": {
    post: { summary: "Assume the role with the ExternalId, then probe each permission; a denied one is named with its IAM action", body: VerifyInput, response: z.object({ data: ConnectionTestView.extend({ sandbox: z.boolean() }) }) },
  },
  "/api/v1/accounts/{id}/firehose-key": {
    post: { summary: "Give the account a new Firehose access key, answered this once; the old key stops working", path: IdParam, response: FirehoseKeyRotated },
  },
  "/api/v1/users": {
    get: { summary: "Who may sign in: name, email, role, last sign-in, how they sign in (admins and owners)", response: z.object({ data: z.array(UserView) }) },
    post: { summary: "Add a user (owners): answers the one-time link (24 h) with which they set their password, e-mailed to them too when SMTP is configured", body: UserInput, response: UserCreated, status: 201 },
  },
  "/api/v1/users/{userId}": {
    patch: { summary: "Change a user's role (owners); the last owner cannot be demoted", path: UserIdParam, body: UserPatch, response: z.object({ data: UserView }) },
    delete: { summary: "Remove a user and end their sessions (owners); never the last owner", path: UserIdParam, status: 204 },
  },
  "/api/v1/users/{userId}/password-link": {
    post: { summary: "A new one-time link (24 h) with which the user sets a new password (owners); e-mailed too when SMTP is configured", path: UserIdParam, response: z.object({ data: PasswordLink }), status: 201 },
  },
  "/api/v1/audit": { get: { summary: "The audit log, newest first (admins and owners; actor is the signed-in user's email, \"local (cli)\" for the command line)", query: AuditQuery, response: AuditResponse } },
  "/api/v1/alert-policies": {
    get: { summary: "Alert policies with their current state (incidents not resolved)", response: z.object({ data: z.array(PolicyView) }) },
    post: { summary: "Add an alert policy", body: PolicyInput, response: z.object({ data: PolicyView }), status: 201 },
  },
  "/api/v1/alert-policies/backtest": {
    post: { summary: "Backtest a policy before saving it: the incidents it would have opened in the last 7 days, from the minute rollups (the body of adding a policy; name optional)", body: PolicyInput, response: z.object({ data: BacktestView }) },
  },
  "/api/v1/alert-policies/{id}": {
    get: { summary: "One alert policy", path: IdParam, response: z.object({ data: PolicyView }) },
    patch: { summary: "Change an alert policy", path: IdParam, body: PolicyPatch, response: z.object({ data: PolicyView }) },
    delete: { summary: "Remove an alert policy and its incidents", path: IdParam, status: 204 },
  },
  "/api/v1/incidents": { get: { summary: "Incidents, newest first; filter by state, severity, resource, policy", query: IncidentsQuery, response: z.object({ data: z.array(IncidentView) }) } },
  "/api/v1/incidents/{id}": { get: { summary: "One incident with its timeline (opened, notified, acknowledged by whom, resolved)", path: IdParam, response: z.object({ data: IncidentDetail }) } },
  "/api/v1/incidents/{id}/evidence": { get: { summary: "What an incident rests on: its window's figures, failed invocations and top error group", path: IdParam, response: IncidentEvidenceResponse } },
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
      summary: "Kinesis Data Firehose HTTP endpoint for CloudWatch Logs subscription records; authenticated by the X-Amz-Firehose-Access-Key header (the account's own Firehose key), not by a session",
      ownKey: true,
      response: z.object({ requestId: z.string(), timestamp: z.number(), errorMessage: z.string().optional() }),
    },
  },
  "/api/v1/overview": { get: { summary: "Fleet totals, changes, trend series, top functions, ingest health", query: OverviewQuery, response: OverviewResponse } },
  "/api/v1/resources": { get: { summary: "Resources with health, latency, cold starts, memory and cost; sort, filter, page", query: ResourceListQuery, response: ResourceListResponse } },
  "/api/v1/resources/{id}": { get: { summary: "One resource with its configuration history", path: ResourceId, response: ResourceDetailResponse } },
  "/api/v1/resources/{id}/series": { get: { summary: "Metric series of a resource, with configuration-change markers", path: ResourceId, query: SeriesQuery, response: SeriesResponse } },
  "/api/v1/resources/{id}/totals": {
    get: { summary: "The range's totals of a resource against the previous period (the overview's), peak concurrency against its limit", path: ResourceId, query: ResourceTotalsQuery, response: ResourceTotalsResponse },
  },
  "/api/v1/resources/{id}/performance": {
    get: { summary: "The performance advisor: a function's own code against each downstream service from its X-Ray traces, and whether memory or the downstream is the lever", path: ResourceId, query: PerformanceQuery, response: PerformanceResponse },
  },
  "/api/v1/resources/{id}/deploys": {
    get: { summary: "A function's code deploys (CodeSha256 changes) in the range, each with error rate, p95 and cost before and after, and a verdict", path: ResourceId, query: DeploysQuery, response: DeploysResponse },
  },
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
  "/api/v1/review": {
    get: {
      summary: "The Well-Architected review: per pillar and Serverless Lens question, each check's pass / fail / not checked with evidence, and pillar scores over time",
      query: ReviewQuery,
      response: ReviewResponse,
    },
  },
  "/api/v1/insights/{id}": {
    patch: { summary: "Acknowledge, mute or reopen a finding", path: IdParam, body: InsightPatch, response: z.object({ data: z.object({ id: z.number(), state: z.string() }) }) },
  },
  "/api/v1/insights/rules": {
    get: { summary: "Every insight rule with its named thresholds (default and the user's own)", response: z.object({ data: z.array(z.record(z.string(), z.unknown())) }) },
    put: { summary: "Set a rule's thresholds", body: ThresholdsPut, response: z.object({ data: ThresholdsPut }) },
  },
  "/api/v1/search": {
    get: { summary: "Log lines across functions matching words and phrases (anywhere, any case), /regular expressions/ and JSON field filters, newest first (400 for an invalid regular expression, 422 past the time limit)", query: LogSearchQuery, response: LogSearchResponse },
  },
  "/api/v1/search/histogram": {
    get: { summary: "Matching log lines per time bucket over the range (exact, or estimated from a sample when there are too many to count in time)", query: LogSearchHistogramQuery, response: LogSearchHistogramResponse },
  },
  "/api/v1/tail": {
    get: { summary: "Live tail: log lines after the caller's cursor, oldest first, with the search's filter syntax; the functions named are read from CloudWatch every few seconds while the tail is polled (within a capped share of the FilterLogEvents quota)", query: LogTailQuery, response: LogTailResponse },
  },
  "/api/v1/search/context": { get: { summary: "The lines before and after one log line in its log stream", query: LogContextQuery, response: LogContextResponse } },
  "/api/v1/saved-searches": {
    get: { summary: "The team's saved log searches, each with its shareable URL", response: z.object({ data: z.array(SavedSearchView) }) },
    post: { summary: "Save a log search under a name (members and up)", body: SavedSearchInput, response: z.object({ data: SavedSearchView }), status: 201 },
  },
  "/api/v1/saved-searches/{id}": { delete: { summary: "Remove a saved log search (members and up)", path: IdParam, status: 204 } },
  "/api/v1/cost": { get: { summary: "Cost per resource per day, top movers, projected month, right-sizing", query: CostQuery, response: CostResponse } },
  "/api/v1/settings/sandbox": {
    get: { summary: "The sandbox account's switch", response: SandboxStateResponse },
    put: { summary: "Switch the sandbox account on or off (off removes it and its data, and keeps it away across restarts)", body: SandboxSwitch, response: SandboxStateResponse },
  },
  "/api/v1/settings/sso": {
    get: { summary: "Single sign-on (OpenID Connect): issuer, client, scopes, claim → role rules, the redirect URI to register at the IdP; the client secret masked (owner only)", response: SsoConfigResponse },
    put: { summary: "Replace the single sign-on configuration; omit clientSecret to keep the stored one (owner only; 409 when OSPREY_OIDC_ISSUER sets it)", body: SsoConfigInput, response: SsoConfigResponse },
  },
  "/api/v1/settings/sso/discovery": {
    post: { summary: "Fetch the issuer's OpenID discovery document (the given issuer, else the stored one) and report what is wrong with it (owner only)", body: SsoDiscoveryInput, response: SsoDiscoveryResponse },
  },
  "/api/v1/storage": {
    get: { summary: "The database's size, the embedded Postgres's data folder on disk (when embedded) and the retention in days", response: StorageResponse },
  },
  "/api/v1/sandbox/drill": {
    get: { summary: "Whether the sandbox runs, its functions and the fire drills running now", response: z.object({ data: DrillState.extend({ running: z.boolean() }) }) },
    post: { summary: "Start a fire drill: a sandbox function times out, fails or is throttled for N minutes (409 while the sandbox is off)", body: DrillRequest, response: z.object({ data: DrillView }) },
  },
  "/api/v1/sandbox/stacks": {
    post: { summary: "Deploy the onboarding template into the running sandbox, as a CloudFormation stack in an account (409 while the sandbox is off)", body: SandboxStackInput, response: z.object({ data: z.object({ roleArn: z.string() }) }), status: 201 },
  },
  "/api/v1/tokens": {
    get: { summary: "The caller's API tokens, revoked ones too (never the token text or its hash); all=1: every user's, for admins and owners", query: ApiTokensQuery, response: z.object({ data: z.array(ApiTokenView) }) },
    post: { summary: "Make an API token, answered this once; needs a signed-in session, not a token", body: ApiTokenInput, response: ApiTokenCreated, status: 201 },
  },
  "/api/v1/tokens/{id}": {
    delete: { summary: "Revoke an API token: one's own, or anyone's for admins and owners; needs a signed-in session, not a token", path: IdParam, response: z.object({ data: ApiTokenView }) },
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
        "Read API of Osprey. Every route needs a signed-in session (POST /api/auth/sign-in/email with { email, password } sets the cookie) or an API token (Authorization: Bearer osp_…; a read token acts as a viewer, a write token with its user's role); viewers read, members also act on incidents, error groups and insights, admins also change accounts, channels, policies and settings, owners also users (README: Users and roles). Lists answer { data, nextCursor }; pass nextCursor as `cursor` for the next page. Ranges: `from`/`to` (ISO 8601 or ms) or `range` (1h, 24h, 7d, 30d) ending at `to` or now.",
    },
    components: {
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "osprey.session_token", description: "The session cookie POST /api/auth/sign-in/email sets (__Secure-osprey.session_token over https)" },
        token: { type: "http", scheme: "bearer", description: "A personal API token (Settings → API tokens, or osprey tokens create): osp_<prefix>_<secret>" },
      },
    },
    security: [{ session: [] }, { token: [] }],
    paths,
  };
}
