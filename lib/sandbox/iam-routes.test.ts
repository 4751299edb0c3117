import { GetResourcesCommand } from "@aws-sdk/client-api-gateway";
import { GetRoutesCommand } from "@aws-sdk/client-apigatewayv2";
import { GetPolicyCommand, GetPolicyVersionCommand, GetRolePolicyCommand, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAwsClients, destroyAwsClients, type AwsClients } from "../aws/clients";
import { discoverApis } from "../aws/discovery";
import { readRoles } from "../aws/discovery-iam";
import { SANDBOX_ACCOUNT_ID, startSandbox, type Sandbox } from "./index";
import { caught, clientConfig, HOUR, NOW } from "./test-helpers";

// IAM (awsQuery) and API Gateway routes (restJson1) through the SDK clients Osprey builds.
let sb: Sandbox;
let clients: AwsClients;
let eu: AwsClients;
const role = (name: string) => `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:role/${name}`;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, now: () => NOW, backfillMs: HOUR });
  const account = { id: 1, credentialMethod: "default_chain" as const, profile: null, roleArn: null, externalId: null, isSandbox: true, endpointUrl: sb.url };
  const { credentials } = clientConfig(sb);
  clients = createAwsClients(account, "us-east-1", { maxAttempts: 1, credentials: async () => credentials });
  eu = createAwsClients(account, "eu-west-1", { maxAttempts: 1, credentials: async () => credentials });
});

afterAll(async () => {
  if (clients) destroyAwsClients(clients);
  if (eu) destroyAwsClients(eu);
  await sb.close();
});

describe("IAM role policies (awsQuery, client-iam)", () => {
  it("lists and returns a role's inline policy URL-encoded, as IAM does", async () => {
    const listed = await clients.iam.send(new ListRolePoliciesCommand({ RoleName: "legacy-etl-role" }));
    expect(listed).toMatchObject({ PolicyNames: ["legacy-etl-access"], IsTruncated: false });
    const got = await clients.iam.send(new GetRolePolicyCommand({ RoleName: "legacy-etl-role", PolicyName: "legacy-etl-access" }));
    expect(got.PolicyDocument).toMatch(/^%7B%22Version%22/);
    expect(JSON.parse(decodeURIComponent(got.PolicyDocument!))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "AllOfDynamoDB", Effect: "Allow", Action: "dynamodb:*", Resource: "*" }],
    });
  });

  it("serves attached managed policies through GetPolicy and GetPolicyVersion", async () => {
    const attached = await clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "report-generator-role" }));
    const arns = attached.AttachedPolicies!.map((p) => p.PolicyArn);
    expect(arns).toEqual(["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:policy/reporting-admin`]);
    const policy = await clients.iam.send(new GetPolicyCommand({ PolicyArn: arns[1] }));
    const version = await clients.iam.send(new GetPolicyVersionCommand({ PolicyArn: arns[1], VersionId: policy.Policy!.DefaultVersionId }));
    expect(JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!)).Statement[0]).toMatchObject({ Action: "*", Resource: "*" });
  });

  it("answers NoSuchEntity for a role no function has", async () => {
    const err = await caught(() => clients.iam.send(new ListRolePoliciesCommand({ RoleName: "nobody-role" })));
    expect(err.name).toBe("NoSuchEntityException");
    expect(err.$metadata?.httpStatusCode).toBe(404);
  });

  it("summarises each role's wildcard statements in discovery, and a missing role as a failed read", async () => {
    const roles = await readRoles(clients.iam, [role("legacy-etl-role"), role("report-generator-role"), role("orders-consumer-role"), role("orders-consumer-role"), role("gone-role")]);
    expect(roles.size).toBe(4);
    expect(roles.get(role("legacy-etl-role"))!.statements!.filter((s) => s.level !== "none")).toEqual([
      { policy: "legacy-etl-access", statement: "AllOfDynamoDB", actions: ["dynamodb:*"], notAction: false, anyResource: true, resources: ["*"], level: "service" },
    ]);
    expect(roles.get(role("report-generator-role"))!.statements!.map((s) => [s.policy.split(":").pop(), s.level])).toEqual([
      ["policy/service-role/AWSLambdaBasicExecutionRole", "none"],
      [`policy/reporting-admin`, "all"],
    ]);
    expect(roles.get(role("orders-consumer-role"))!.statements!.every((s) => s.level === "none")).toBe(true);
    expect(roles.get(role("gone-role"))).toMatchObject({ statements: null, error: { action: "iam:ListRolePolicies" } });
  });
});

describe("API Gateway routes and their authorization", () => {
  it("embeds each REST method's authorizationType only when asked to", async () => {
    const embedded = await clients.apigateway.send(new GetResourcesCommand({ restApiId: "a1b2c3d4e5", embed: ["methods"] }));
    const orders = embedded.items!.find((r) => r.path === "/orders")!;
    expect(orders.resourceMethods!.POST).toMatchObject({ httpMethod: "POST", authorizationType: "COGNITO_USER_POOLS" });
    expect(orders.resourceMethods!.OPTIONS.authorizationType).toBe("NONE");
    const bare = await clients.apigateway.send(new GetResourcesCommand({ restApiId: "a1b2c3d4e5" }));
    expect(bare.items!.find((r) => r.path === "/orders")!.resourceMethods!.POST.authorizationType).toBeUndefined();
  });

  it("lists an HTTP API's routes with their AuthorizationType", async () => {
    const routes = await clients.apigatewayv2.send(new GetRoutesCommand({ ApiId: "w9x8y7z6v5" }));
    expect(routes.Items!.map((r) => [r.RouteKey, r.AuthorizationType])).toEqual([
      ["POST /webhooks/{provider}", "CUSTOM"],
      ["OPTIONS /{proxy+}", "NONE"],
      ["GET /health", "NONE"],
    ]);
  });

  it("gives discovery every route of every API", async () => {
    const apis = await discoverApis(eu, "eu-west-1");
    expect(apis.map((a) => [a.name, a.config.routes])).toEqual([
      [
        "shop-api-eu",
        [
          { route: "GET /orders", authorizationType: "COGNITO_USER_POOLS" },
          { route: "POST /orders", authorizationType: "NONE" },
          { route: "OPTIONS /orders", authorizationType: "NONE" },
        ],
      ],
    ]);
  });
});
