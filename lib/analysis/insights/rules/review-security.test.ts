import { describe, expect, it } from "vitest";
import { aFunction, anApi, aQueue, evaluateOnFunction, evaluateRule } from "../__fixtures__/builders";
import type { RoleWildcard } from "../types";
import {
  apigatewayRouteNoAuthorizer,
  lambdaFunctionUrlAuthNone,
  lambdaFunctionUrlCorsAnyOrigin,
  lambdaLayerFromOtherAccount,
  lambdaRoleWildcard,
  lambdaSecretInEnvironment,
  publicByDesign,
  sqsPublicPolicy,
  sqsUnencrypted,
} from "./review-security";

describe("lambda-function-url-auth-none", () => {
  it("fails a function URL anyone may call and passes IAM-authenticated or absent URLs", () => {
    const finding = evaluateOnFunction(lambdaFunctionUrlAuthNone, aFunction({ functionUrlAuthType: "NONE" }));
    expect(finding).toMatchObject({ severity: "warning", evidence: { functionUrlAuthType: "NONE" } });
    expect(finding!.recommendation).toContain("AWS_IAM");
    expect(evaluateOnFunction(lambdaFunctionUrlAuthNone, aFunction({ functionUrlAuthType: "AWS_IAM" }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaFunctionUrlAuthNone, aFunction({ functionUrlAuthType: null }))).toBeUndefined();
  });
});

describe("lambda-function-url-cors-any-origin", () => {
  it("flags AllowOrigins * only on functions that have a URL", () => {
    expect(evaluateOnFunction(lambdaFunctionUrlCorsAnyOrigin, aFunction({ functionUrlAuthType: "AWS_IAM", functionUrlCorsAnyOrigin: true }))?.evidence).toEqual({ functionUrlAuthType: "AWS_IAM", allowOrigins: "*" });
    expect(evaluateOnFunction(lambdaFunctionUrlCorsAnyOrigin, aFunction({ functionUrlAuthType: "AWS_IAM", functionUrlCorsAnyOrigin: false }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaFunctionUrlCorsAnyOrigin, aFunction({ functionUrlAuthType: null, functionUrlCorsAnyOrigin: true }))).toBeUndefined();
  });
});

describe("lambda-secret-in-environment", () => {
  it("names the variables, never a value", () => {
    const finding = evaluateOnFunction(lambdaSecretInEnvironment, aFunction({ secretLikeEnvNames: ["DB_PASSWORD", "STRIPE_API_KEY"] }));
    expect(finding?.evidence).toEqual({ variables: "DB_PASSWORD, STRIPE_API_KEY", count: 2 });
    expect(finding!.recommendation).toContain("Secrets Manager");
    expect(evaluateOnFunction(lambdaSecretInEnvironment, aFunction({ secretLikeEnvNames: [] }))).toBeUndefined();
  });
});

describe("lambda-layer-other-account", () => {
  it("flags layers published by another account and passes the function's own", () => {
    const foreign = "arn:aws:lambda:us-east-1:999999999999:layer:tools:3";
    const own = "arn:aws:lambda:us-east-1:123456789012:layer:pillow:7";
    expect(evaluateOnFunction(lambdaLayerFromOtherAccount, aFunction({ layers: [own, foreign] }))?.evidence).toEqual({ layers: foreign, count: 1 });
    expect(evaluateOnFunction(lambdaLayerFromOtherAccount, aFunction({ layers: [own] }))).toBeUndefined();
  });
});

describe("sqs-unencrypted", () => {
  it("fails a queue without encryption at rest", () => {
    expect(evaluateRule(sqsUnencrypted, { queues: [aQueue({ encrypted: false })] })).toHaveLength(1);
    expect(evaluateRule(sqsUnencrypted, { queues: [aQueue({ encrypted: true })] })).toEqual([]);
  });
});

describe("sqs-public-policy", () => {
  it("is critical when any principal may use the queue", () => {
    const [finding] = evaluateRule(sqsPublicPolicy, { queues: [aQueue({ publicPolicy: true })] });
    expect(finding.severity).toBe("critical");
    expect(evaluateRule(sqsPublicPolicy, { queues: [aQueue({ publicPolicy: false })] })).toEqual([]);
  });
});

describe("lambda-role-wildcard", () => {
  const statement = (over: Partial<RoleWildcard>): RoleWildcard => ({
    policy: "orders-policy",
    statement: "#1",
    actions: [],
    notAction: false,
    anyResource: false,
    resources: ["arn:aws:dynamodb:us-east-1:123456789012:table/orders"],
    level: "none",
    ...over,
  });
  const basicExecution = statement({ policy: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", anyResource: true, resources: ["*"] });
  const role = "arn:aws:iam::123456789012:role/orders-role";

  it("fails a role that allows dynamodb:* on every resource, naming the statement and what to scope it to", () => {
    const wide = statement({ statement: "TableAccess", actions: ["dynamodb:*"], anyResource: true, resources: ["*"], level: "service" });
    const finding = evaluateOnFunction(lambdaRoleWildcard, aFunction({ role, roleWildcards: [basicExecution, wide] }));
    expect(finding).toMatchObject({
      severity: "warning",
      evidence: { role, policy: "orders-policy", statement: "TableAccess", actions: "dynamodb:*", resources: "*", wildcardStatements: 1 },
    });
    expect(finding!.recommendation).toContain("Statement TableAccess of orders-policy");
    expect(finding!.recommendation).toContain("dynamodb:GetItem");
    expect(finding!.recommendation).toContain("arn:aws:dynamodb:us-east-1:123456789012:table/<table>");
  });

  it("is critical for Action * or NotAction on every resource, and names the downstreams the traces saw", () => {
    const admin = statement({ policy: "arn:aws:iam::aws:policy/AdministratorAccess", actions: ["*"], anyResource: true, resources: ["*"], level: "all" });
    const fn = aFunction({ role, roleWildcards: [admin] });
    fn.traces = { downstream: [{ label: "DynamoDB orders", kind: "aws" }, { label: "api.stripe.com", kind: "http" }] } as unknown as typeof fn.traces;
    const finding = evaluateOnFunction(lambdaRoleWildcard, fn);
    expect(finding?.severity).toBe("critical");
    expect(finding!.recommendation).toContain("calls to DynamoDB orders");
    expect(finding!.recommendation).not.toContain("api.stripe.com");
    const notAction = statement({ actions: ["not iam:*"], notAction: true, anyResource: true, resources: ["*"], level: "all" });
    const powerUser = evaluateOnFunction(lambdaRoleWildcard, aFunction({ roleWildcards: [notAction] }));
    expect(powerUser?.severity).toBe("critical");
    expect(powerUser!.recommendation).toContain("every action except iam:*");
  });

  it("flags a whole service on named resources, and a prefix only on every resource", () => {
    const s3OnBucket = statement({ actions: ["s3:*"], resources: ["arn:aws:s3:::orders-bucket/*"], level: "service" });
    expect(evaluateOnFunction(lambdaRoleWildcard, aFunction({ roleWildcards: [s3OnBucket] }))?.evidence).toMatchObject({ resources: "arn:aws:s3:::orders-bucket/*" });
    const getOnTable = statement({ actions: ["dynamodb:Get*"], level: "partial" });
    expect(evaluateOnFunction(lambdaRoleWildcard, aFunction({ roleWildcards: [getOnTable] }))).toBeUndefined();
    const getAnywhere = statement({ actions: ["s3:Get*"], anyResource: true, resources: ["*"], level: "partial" });
    expect(evaluateOnFunction(lambdaRoleWildcard, aFunction({ roleWildcards: [getAnywhere] }))?.severity).toBe("warning");
  });

  it("passes named actions on *, and says nothing of a role never read", () => {
    expect(evaluateOnFunction(lambdaRoleWildcard, aFunction({ roleWildcards: [basicExecution] }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaRoleWildcard, aFunction({ roleWildcards: [] }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaRoleWildcard, aFunction({ roleWildcards: null }))).toBeUndefined();
  });
});

describe("apigateway-route-no-authorizer", () => {
  const routes = (...rs: [string, string][]) => rs.map(([route, authorizationType]) => ({ route, authorizationType }));

  it("fails an API with a route anyone may call, listing it", () => {
    const api = anApi({ name: "shop-api", routes: routes(["GET /orders", "COGNITO_USER_POOLS"], ["POST /orders", "NONE"], ["OPTIONS /orders", "NONE"], ["GET /health", "NONE"]) });
    const [finding] = evaluateRule(apigatewayRouteNoAuthorizer, { apis: [api] });
    expect(finding).toMatchObject({ severity: "warning", evidence: { routesWithoutAuth: 1, routes: 4, openRoutes: "POST /orders", protocol: "REST" } });
    expect(finding.recommendation).toContain("Lambda authorizer");
  });

  it("passes authorized APIs, CORS preflights and health checks, and APIs whose routes were never read", () => {
    const http = anApi({ protocol: "HTTP", routes: routes(["GET /orders", "JWT"], ["POST /orders", "AWS_IAM"], ["OPTIONS /{proxy+}", "NONE"], ["HEAD /ping", "NONE"]) });
    expect(evaluateRule(apigatewayRouteNoAuthorizer, { apis: [http, anApi({ routes: null }), anApi({ routes: undefined })] })).toEqual([]);
  });

  it("checks only $connect of a WebSocket API, and counts an HTTP $default route", () => {
    const ws = anApi({ protocol: "WEBSOCKET", routes: routes(["$connect", "CUSTOM"], ["$default", "NONE"], ["sendMessage", "NONE"]) });
    expect(evaluateRule(apigatewayRouteNoAuthorizer, { apis: [ws] })).toEqual([]);
    const openWs = anApi({ protocol: "WEBSOCKET", routes: routes(["$connect", "NONE"], ["sendMessage", "NONE"]) });
    expect(evaluateRule(apigatewayRouteNoAuthorizer, { apis: [openWs] })[0].evidence).toMatchObject({ openRoutes: "$connect", routes: 1 });
    const http = anApi({ protocol: "HTTP", routes: routes(["$default", "NONE"]) });
    expect(evaluateRule(apigatewayRouteNoAuthorizer, { apis: [http] })[0].recommendation).toContain("JWT");
  });

  it("treats only OPTIONS and GET/HEAD health paths as public by design", () => {
    expect(publicByDesign("OPTIONS /orders")).toBe(true);
    expect(publicByDesign("GET /v1/healthz")).toBe(true);
    expect(publicByDesign("POST /health")).toBe(false);
    expect(publicByDesign("GET /health/details")).toBe(false);
    expect(publicByDesign("ANY /{proxy+}")).toBe(false);
  });
});
