import type { InsightRule, RoleWildcard } from "../types";
import { API_READ, CONFIG, FUNCTION_URLS, QUEUE_ATTRIBUTES, ROLE_POLICIES } from "./requirements";
import { createFinding, eachResource, NO_THRESHOLDS } from "./shared";

const LENS = "AWS Well-Architected Serverless Lens";

export const lambdaFunctionUrlAuthNone: InsightRule = {
  id: "lambda-function-url-auth-none",
  title: "Function URL open to anyone (auth NONE)",
  service: "lambda",
  pillar: "security",
  question: "SEC1",
  requires: [FUNCTION_URLS],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.functions, ({ config }) =>
      config.functionUrlAuthType !== "NONE"
        ? null
        : createFinding(
            lambdaFunctionUrlAuthNone,
            config.arn,
            "warning",
            { functionUrlAuthType: "NONE" },
            `${config.functionName} has a function URL with AuthType NONE: anyone who finds the URL can invoke it, ` +
              `and every call is billed to you. Use AWS_IAM (callers sign with SigV4), or put API Gateway with an ` +
              `authorizer in front and remove the URL.`,
          ),
    );
  },
};

export const lambdaFunctionUrlCorsAnyOrigin: InsightRule = {
  id: "lambda-function-url-cors-any-origin",
  title: "Function URL allows requests from any origin",
  service: "lambda",
  pillar: "security",
  question: "SEC1",
  requires: [FUNCTION_URLS],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.functions, ({ config }) =>
      config.functionUrlAuthType === null || !config.functionUrlCorsAnyOrigin
        ? null
        : createFinding(
            lambdaFunctionUrlCorsAnyOrigin,
            config.arn,
            "info",
            { functionUrlAuthType: config.functionUrlAuthType, allowOrigins: "*" },
            `The function URL of ${config.functionName} lets a browser on any site call it (AllowOrigins "*"). ` +
              `List the origins of your own front ends instead.`,
          ),
    );
  },
};

export const lambdaSecretInEnvironment: InsightRule = {
  id: "lambda-secret-in-environment",
  title: "Secret-looking environment variables",
  service: "lambda",
  pillar: "security",
  question: "SEC3",
  requires: [CONFIG],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.functions, ({ config }) =>
      config.secretLikeEnvNames.length === 0
        ? null
        : createFinding(
            lambdaSecretInEnvironment,
            config.arn,
            "warning",
            { variables: config.secretLikeEnvNames.join(", "), count: config.secretLikeEnvNames.length },
            `${config.functionName} has environment variables named like secrets (${config.secretLikeEnvNames.join(", ")}). ` +
              `Anyone with lambda:GetFunctionConfiguration reads their values. Keep the secret in Secrets Manager or ` +
              `Parameter Store (SecureString) and pass its name or ARN instead (${LENS}, SEC 3).`,
          ),
    );
  },
};

export const lambdaLayerFromOtherAccount: InsightRule = {
  id: "lambda-layer-other-account",
  title: "Layer published by another account",
  service: "lambda",
  pillar: "security",
  question: "SEC3",
  requires: [CONFIG],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.functions, ({ config }) => {
      // arn:aws:lambda:region:ACCOUNT:layer:name:version
      const foreign = config.layers.filter((arn) => arn.split(":")[4] !== config.accountId);
      if (!foreign.length || !config.accountId) return null;
      return createFinding(
        lambdaLayerFromOtherAccount,
        config.arn,
        "info",
        { layers: foreign.join(", "), count: foreign.length },
        `${config.functionName} runs code from ${foreign.length === 1 ? "a layer" : "layers"} another account ` +
          `publishes (${foreign.join(", ")}). Make sure you trust that publisher and pin the version; a vendor's ` +
          `extension is fine, an unknown account is not.`,
      );
    });
  },
};

export const sqsUnencrypted: InsightRule = {
  id: "sqs-unencrypted",
  title: "Queue not encrypted at rest",
  service: "sqs",
  pillar: "security",
  question: "SEC3",
  requires: [QUEUE_ATTRIBUTES],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.queues, (q) =>
      q.encrypted
        ? null
        : createFinding(
            sqsUnencrypted,
            q.arn,
            "warning",
            { sqsManagedSse: false, kmsKey: false },
            `${q.name} stores its messages unencrypted. Turn on SQS-managed encryption (SqsManagedSseEnabled, free) ` +
              `or a KMS key when you must control who can decrypt.`,
          ),
    );
  },
};

export const sqsPublicPolicy: InsightRule = {
  id: "sqs-public-policy",
  title: "Queue policy allows any principal",
  service: "sqs",
  pillar: "security",
  question: "SEC2",
  requires: [QUEUE_ATTRIBUTES],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.queues, (q) =>
      !q.publicPolicy
        ? null
        : createFinding(
            sqsPublicPolicy,
            q.arn,
            "critical",
            { principal: "*", condition: false },
            `The access policy of ${q.name} allows Principal "*" without a condition: any AWS account can use the ` +
              `queue. Name the accounts, roles or services that need it, or add an aws:SourceArn / aws:SourceAccount condition.`,
          ),
    );
  },
};


// What the wildcard check flags: every action or a whole service anywhere, a prefix ("s3:Get*") on every resource.
// A named action on "*" alone is left alone: many actions (xray:PutTraceSegments, ec2:CreateNetworkInterface,
// the log calls of AWSLambdaBasicExecutionRole) take no resource ARN or are commonly granted on "*".
const tooWide = (s: RoleWildcard) => s.level === "all" || s.level === "service" || (s.level === "partial" && s.anyResource);
const widthRank = (s: RoleWildcard) => (s.level === "all" ? 2 : 0) + (s.anyResource ? 1 : 0);

// The ARN a statement's service is scoped with, for the advice.
const RESOURCE_PATTERNS: Record<string, string> = {
  dynamodb: "arn:aws:dynamodb:{region}:{account}:table/<table>",
  s3: "arn:aws:s3:::<bucket>/<prefix>*",
  sqs: "arn:aws:sqs:{region}:{account}:<queue>",
  sns: "arn:aws:sns:{region}:{account}:<topic>",
  lambda: "arn:aws:lambda:{region}:{account}:function:<function>",
  kinesis: "arn:aws:kinesis:{region}:{account}:stream/<stream>",
  states: "arn:aws:states:{region}:{account}:stateMachine:<state machine>",
  events: "arn:aws:events:{region}:{account}:event-bus/<bus>",
  secretsmanager: "arn:aws:secretsmanager:{region}:{account}:secret:<name>-*",
  ssm: "arn:aws:ssm:{region}:{account}:parameter/<path>/*",
  kms: "arn:aws:kms:{region}:{account}:key/<key id>",
};

function scopeAdvice(st: RoleWildcard, config: { region: string; accountId: string }): string {
  const services = [...new Set(st.actions.filter((a) => !a.startsWith("not ") && a.includes(":")).map((a) => a.slice(0, a.indexOf(":"))))].sort();
  const arns = services
    .filter((s) => RESOURCE_PATTERNS[s])
    .map((s) => RESOURCE_PATTERNS[s].replace("{region}", config.region || "<region>").replace("{account}", config.accountId || "<account>"));
  const actions = services.length
    ? `the ${services.join(" and ")} actions the function calls (for example ${services.map((s) => `${s}:${EXAMPLE_ACTIONS[s] ?? "<Action>"}`).join(", ")})`
    : "the actions the function calls";
  return `List ${actions}${arns.length ? ` on the ARNs it uses (${arns.join(", ")})` : " on the ARNs of the resources it uses"}`;
}

const EXAMPLE_ACTIONS: Record<string, string> = {
  dynamodb: "GetItem", s3: "GetObject", sqs: "SendMessage", sns: "Publish", lambda: "InvokeFunction", kinesis: "PutRecord",
  states: "StartExecution", events: "PutEvents", secretsmanager: "GetSecretValue", ssm: "GetParameter", kms: "Decrypt",
};

export const lambdaRoleWildcard: InsightRule = {
  id: "lambda-role-wildcard",
  title: "Function role allows wildcard actions",
  service: "lambda",
  pillar: "security",
  question: "SEC2",
  requires: [...ROLE_POLICIES],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.functions, ({ config, traces }) => {
      const wide = (config.roleWildcards ?? []).filter(tooWide).sort((a, b) => widthRank(b) - widthRank(a));
      if (!wide.length) return null;
      const worst = wide[0];
      const admin = worst.level === "all" && worst.anyResource;
      const actions = worst.actions.join(", ");
      const resources = worst.anyResource && !worst.resources.some((r) => r.startsWith("not ")) ? "*" : worst.resources.join(", ");
      const called = (traces?.downstream ?? []).filter((d) => d.kind !== "http").map((d) => d.label);
      const others = wide.length > 1 ? ` ${wide.length - 1} more statement${wide.length === 2 ? " of its policies allows" : "s of its policies allow"} wildcards too.` : "";
      return createFinding(
        lambdaRoleWildcard,
        config.arn,
        admin ? "critical" : "warning",
        { role: config.role, policy: worst.policy, statement: worst.statement, actions, resources, wildcardStatements: wide.length },
        `Statement ${worst.statement} of ${worst.policy} on the role of ${config.functionName} (${config.role}) allows ` +
          `${worst.notAction ? `every action except ${worst.actions.map((a) => a.slice(4)).join(", ")}` : actions} on ${resources}` +
          `${admin ? ": whoever controls the function's code controls the account" : ""}.${others} ` +
          `${scopeAdvice(worst, config)}${called.length ? `; its traces show calls to ${called.slice(0, 5).join(", ")}` : ""}.`,
      );
    });
  },
};

// Routes a client must reach without credentials: a browser sends the CORS preflight (OPTIONS) without its
// Authorization header, and load balancers and uptime monitors call health checks anonymously.
const HEALTH_PATH = /\/(health|healthz|healthcheck|ping|status|livez|readyz)$/i;

/** A route that may answer without an authorizer: an OPTIONS preflight, or a GET/HEAD health check. */
export function publicByDesign(route: string): boolean {
  const [method, path = ""] = route.split(" ");
  if (method === "OPTIONS") return true;
  return (method === "GET" || method === "HEAD") && HEALTH_PATH.test(path);
}

const MAX_LISTED_ROUTES = 5;

export const apigatewayRouteNoAuthorizer: InsightRule = {
  id: "apigateway-route-no-authorizer",
  title: "API route without an authorizer",
  service: "apigateway",
  pillar: "security",
  question: "SEC1",
  requires: [API_READ],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.apis, (api) => {
      if (!api.routes) return null;
      // A WebSocket API authorizes once, on $connect; its other routes ride on the connection.
      const checked = api.protocol === "WEBSOCKET" ? api.routes.filter((r) => r.route === "$connect") : api.routes;
      const open = checked.filter((r) => r.authorizationType === "NONE" && !publicByDesign(r.route)).map((r) => r.route).sort();
      if (!open.length) return null;
      const listed = open.slice(0, MAX_LISTED_ROUTES).join(", ") + (open.length > MAX_LISTED_ROUTES ? ` and ${open.length - MAX_LISTED_ROUTES} more` : "");
      const how =
        api.protocol === "REST"
          ? "Set the method's authorization to AWS_IAM, a Cognito user pool or a Lambda authorizer"
          : "Attach a JWT, Lambda or IAM authorizer to the route";
      return createFinding(
        apigatewayRouteNoAuthorizer,
        api.arn,
        "warning",
        { routesWithoutAuth: open.length, routes: checked.length, openRoutes: listed, protocol: api.protocol },
        `${open.length} of ${checked.length} routes of ${api.name} answer anyone: ${listed} (authorization NONE). ${how}; ` +
          `an API key alone identifies a client, it does not authorize it. OPTIONS preflights and GET health checks are ` +
          `left open by design and not counted.`,
      );
    });
  },
};

export const REVIEW_SECURITY_RULES: InsightRule[] = [
  lambdaFunctionUrlAuthNone,
  lambdaFunctionUrlCorsAnyOrigin,
  lambdaSecretInEnvironment,
  lambdaLayerFromOtherAccount,
  sqsUnencrypted,
  sqsPublicPolicy,
  lambdaRoleWildcard,
  apigatewayRouteNoAuthorizer,
];
