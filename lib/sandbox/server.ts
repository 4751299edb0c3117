import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { readCredentialScope } from "./auth";
import { accessDeniedMessage, HTML_404, iamAction, refusalFor, type CallPolicy } from "./call-policy";
import { DRILL_PATH, handleDrillControl } from "./drill";
import { handleStackControl, roleAllows, STACKS_PATH } from "./roles";
import { FaultInjector } from "./faults";
import type { QuotaBuckets } from "./quotas";
import { AwsError, type SandboxReply, type SandboxRequest } from "./protocols/types";
import { restJson } from "./protocols/rest-json";
import { apigatewayService } from "./services/apigateway";
import { cloudwatchService } from "./services/cloudwatch";
import { dynamodbService } from "./services/dynamodb";
import { eventBridgeService } from "./services/eventbridge";
import { firehoseService, kinesisService } from "./services/kinesis";
import { iamService } from "./services/iam";
import { lambdaService } from "./services/lambda";
import { logsService } from "./services/logs";
import type { Service, ServiceContext } from "./services/service";
import { snsService } from "./services/sns";
import { sqsService } from "./services/sqs";
import { stepFunctionsService } from "./services/stepfunctions";
import { stsService } from "./services/sts";
import { xrayService } from "./services/xray";
import { REGIONS } from "./workload/catalog";

const SERVICES: Service[] = [logsService, cloudwatchService, lambdaService, xrayService, stsService, snsService, sqsService, apigatewayService, dynamodbService, kinesisService, firehoseService, stepFunctionsService, eventBridgeService, iamService];
const BY_SIGNING_NAME = new Map(SERVICES.map((s) => [s.signingName, s]));

const QUERY_VERSIONS = new Map<Service, string>([
  [stsService, "2011-06-15"],
  [snsService, "2010-03-31"],
  [iamService, "2010-05-08"],
]);
const isQuery = (s: Service | undefined) => s !== undefined && QUERY_VERSIONS.has(s);
const isJsonRpc = (s: Service) => !isQuery(s) && s.protocol !== restJson;

function authError(service: Service | undefined, reason: "missing" | "incomplete", message: string): AwsError {
  if (isQuery(service)) {
    return reason === "missing"
      ? new AwsError("MissingAuthenticationToken", "Request is missing Authentication Token", 403)
      : new AwsError("IncompleteSignature", message, 403);
  }
  const status = service && isJsonRpc(service) ? 400 : 403;
  return reason === "missing"
    ? new AwsError("MissingAuthenticationTokenException", message, status)
    : new AwsError("IncompleteSignatureException", message, status);
}

function unknownOperation(service: Service | undefined, req: SandboxRequest): AwsError {
  if (service && isQuery(service)) {
    const action = new URLSearchParams(req.body.toString("utf8")).get("Action") ?? "";
    return new AwsError("InvalidAction", `Could not find operation ${action} for version ${QUERY_VERSIONS.get(service)}`, 400);
  }
  return new AwsError("UnknownOperationException", "Unknown operation", 400);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, reply: SandboxReply): void {
  const body = Buffer.from(reply.body);
  res.writeHead(reply.status, { ...reply.headers, "content-length": String(body.length) });
  res.end(body);
}

function cut(res: ServerResponse, reply: SandboxReply): void {
  const body = Buffer.from(reply.body);
  res.writeHead(reply.status, { ...reply.headers, "content-length": String(body.length) });
  res.write(body.subarray(0, Math.max(1, Math.floor(body.length / 2))), () => res.socket?.destroy());
}

// The same error AWS gives with 503 Service Unavailable when it sheds load.
const unavailable = (e: AwsError) => new AwsError(e.code, e.message, 503, "Receiver", e.extra);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function refuse(res: ServerResponse, service: Service, action: string, sreq: SandboxRequest, refusal: "deny" | "html404" | "badToken", accountId: string, caller?: string): void {
  if (refusal === "html404") return send(res, { status: 404, headers: { "content-type": "text/html" }, body: HTML_404 });
  if (refusal === "badToken") {
    const err = isQuery(service)
      ? new AwsError("InvalidClientTokenId", "The security token included in the request is invalid.", 403)
      : new AwsError("UnrecognizedClientException", "The security token included in the request is invalid.", 403);
    return send(res, service.protocol.error(err, sreq));
  }
  const code = isQuery(service) ? "AccessDenied" : "AccessDeniedException";
  // API Gateway's IAM actions are HTTP verbs on resource paths: AWS's message names apigateway:GET on the path.
  const named = service.signingName === "apigateway" ? `apigateway:${sreq.method}` : action;
  const resource = service.signingName === "apigateway" ? `arn:aws:apigateway:${sreq.region}::${sreq.path}` : `arn:aws:${action.slice(0, action.indexOf(":"))}:${sreq.region}:${accountId}:*`;
  send(res, service.protocol.error(new AwsError(code, accessDeniedMessage(named, accountId, resource, caller), 403), sreq));
}

/** A call the sandbox answered: its operation, region and request body (JSON or query string). */
export interface SandboxCall {
  operation: string;
  region: string;
  body: string;
  at: number;
}

export function createSandboxServer(ctx: () => ServiceContext, faults: FaultInjector, policy: () => CallPolicy = () => ({ deny: [], html404: [], badToken: [] }), quotas?: () => QuotaBuckets | undefined, onCall?: (call: SandboxCall) => void): Server {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://sandbox");
    const sreq: SandboxRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: await readBody(req),
      region: "us-east-1",
      service: "",
      requestId: randomUUID(),
    };
    // The sandbox's own control endpoint (fire drills), not an AWS API: no signature, loopback only.
    if (url.pathname === DRILL_PATH) return handleDrillControl(req, res, sreq.body, ctx().workload, REGIONS);
    if (url.pathname === STACKS_PATH) return handleStackControl(req, res, sreq.body, ctx().roles);
    const auth = readCredentialScope(req.headers.authorization, url.searchParams);
    if (!auth.ok) {
      const guess = SERVICES.find((s) => s.recognises(sreq));
      return send(res, (guess?.protocol ?? restJson).error(authError(guess, auth.reason, auth.message), sreq));
    }
    sreq.region = auth.scope.region;
    sreq.service = auth.scope.service;
    sreq.accessKeyId = auth.scope.accessKeyId;
    const service = BY_SIGNING_NAME.get(auth.scope.service);
    if (!service) return send(res, restJson.error(new AwsError("UnknownOperationException", `Service ${auth.scope.service} is not simulated`), sreq));
    const c = ctx();
    const route = service.route(sreq, c);
    if (!route) return send(res, service.protocol.error(unknownOperation(service, sreq), sreq));

    const action = iamAction(service.signingName, route.operation);
    const refusal = refusalFor(policy(), action);
    if (refusal) return refuse(res, service, action, sreq, refusal, c.workload.accountId);
    // Credentials of a role deployed from a template reach only what its policies allow (sts:GetCallerIdentity always).
    const role = c.roles.roleOfKey(sreq.accessKeyId);
    if (role && action !== "sts:GetCallerIdentity" && !roleAllows(role, action, sreq.method)) {
      return refuse(res, service, action, sreq, "deny", c.workload.accountId, `arn:aws:sts::${c.workload.accountId}:assumed-role/${role.name}/${c.roles.sessionOfKey(sreq.accessKeyId)}`);
    }

    // Beyond the account's quota AWS answers its throttling error, as an injected throttle does.
    if (quotas?.()?.take(sreq.region, route.operation) === false) return send(res, service.protocol.error(service.throttleError(), sreq));
    onCall?.({ operation: route.operation, region: sreq.region, body: sreq.body.toString("utf8"), at: Date.now() });
    const fault = faults.decide(route.operation);
    if (fault.delayMs) await sleep(fault.delayMs);
    if (fault.outcome === "throttle") return send(res, service.protocol.error(service.throttleError(), sreq));
    if (fault.outcome === "http500") return send(res, service.protocol.error(service.internalError(), sreq));
    if (fault.outcome === "http503") return send(res, service.protocol.error(unavailable(service.internalError()), sreq));
    // A connection reset before any answer, as a load balancer dropping it does.
    if (fault.outcome === "reset") return void req.socket.destroy();
    let reply: SandboxReply;
    try {
      reply = service.protocol.success(route.operation, await route.run(), sreq, route.status);
    } catch (err) {
      if (!(err instanceof AwsError)) console.error("sandbox: %s failed", route.operation, err);
      reply = service.protocol.error(err instanceof AwsError ? err : service.internalError(), sreq);
    }
    if (fault.outcome === "cut") return cut(res, reply);
    send(res, reply);
  };

  return createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error("sandbox: request failed", err);
      if (!res.headersSent) send(res, restJson.error(new AwsError("InternalFailure", "Internal failure", 500, "Receiver"), { requestId: randomUUID() }));
      else res.destroy();
    });
  });
}
