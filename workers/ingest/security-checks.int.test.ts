import { describe, expect, it } from "vitest";
import type { SandboxCall } from "../../lib/sandbox";
import { roleNameOfFunction } from "../../lib/sandbox/workload/iam";
import { getReviewChecks } from "../../lib/db/review";
import { sandboxWorld } from "../../test/sandbox-world";
import { discoverAccountRegion } from "./discover";
import { evaluateAccountInsights } from "./insights";

// The two SEC checks of issue 16 through the real path: the sandbox's IAM and API Gateway answers, discovery,
// the stored configuration, the rules and the review.
const NOW = Date.UTC(2026, 10, 18, 9, 0, 0);
const US = "us-east-1";
const EU = "eu-west-1";

const calls: SandboxCall[] = [];
const w = sandboxWorld({ seed: 9, now: () => NOW, backfillMs: 3_600_000, onCall: (c) => calls.push(c), discover: [] });

async function openInsights(ruleId: string) {
  const { rows } = await w.db.query<{ name: string; severity: string; evidence: Record<string, unknown>; recommendation: string }>(
    "SELECT r.name, i.severity, i.evidence, i.recommendation FROM insights i JOIN resources r ON r.id = i.resource_id WHERE i.state <> 'resolved' AND i.rule_id = $1 ORDER BY r.name",
    [ruleId],
  );
  return rows;
}

async function config(name: string) {
  const { rows } = await w.db.query<{ config: Record<string, unknown> }>("SELECT config FROM resources WHERE account_id = $1 AND name = $2", [w.account.id, name]);
  return rows[0].config;
}

async function warnings(feature: string) {
  const { rows } = await w.db.query<{ resource: string; action: string; denied: boolean }>(
    "SELECT resource, action, denied FROM ingest_warnings WHERE account_id = $1 AND feature = $2 ORDER BY resource",
    [w.account.id, feature],
  );
  return rows;
}

const callsOf = (op: string) => calls.filter((c) => c.operation === op);

describe("functions whose role allows wildcards (SEC 2)", () => {
  it("reads each distinct role once and each managed policy once per discovery", async () => {
    calls.length = 0;
    await discoverAccountRegion(w.db, w.account, US, ["lambda"], new Date(NOW));
    const roles = new Set(w.sandbox.workload.listFunctions(US).map((f) => roleNameOfFunction(f.spec.name)));
    const listed = callsOf("ListRolePolicies").map((c) => new URLSearchParams(c.body).get("RoleName"));
    expect(listed.sort()).toEqual([...roles].sort());
    expect(callsOf("ListAttachedRolePolicies")).toHaveLength(roles.size);
    // AWSLambdaBasicExecutionRole (on every role) and reporting-admin: one GetPolicy each.
    expect(callsOf("GetPolicy").map((c) => new URLSearchParams(c.body).get("PolicyArn")).sort()).toEqual([
      "arn:aws:iam::123456789012:policy/reporting-admin",
      "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    ]);
  });

  it("fails the functions whose role allows dynamodb:* or * on every resource, and passes scoped ones", async () => {
    await evaluateAccountInsights(w.db, w.account.id, US, NOW);
    const found = await openInsights("lambda-role-wildcard");
    expect(found.map((f) => [f.name, f.severity])).toEqual([
      ["legacy-etl", "warning"],
      ["report-generator", "critical"],
    ]);
    expect(found[0].evidence).toMatchObject({ policy: "legacy-etl-access", statement: "AllOfDynamoDB", actions: "dynamodb:*", resources: "*" });
    expect(found[0].recommendation).toContain("arn:aws:dynamodb:us-east-1:123456789012:table/<table>");
    expect(found[1].evidence).toMatchObject({ policy: "arn:aws:iam::123456789012:policy/reporting-admin", actions: "*" });
    const check = (await getReviewChecks(w.db, { account: [w.account.id], region: [US] })).find((c) => c.ruleId === "lambda-role-wildcard")!;
    expect(check).toMatchObject({ status: "fail", question: "SEC2" });
  });

  it("keeps the last answer when a role's policies cannot be read, and the review names the action", async () => {
    const before = await config("legacy-etl");
    w.sandbox.setCallPolicy({ deny: ["iam:GetRolePolicy"] });
    try {
      await discoverAccountRegion(w.db, w.account, US, ["lambda"], new Date(NOW));
    } finally {
      w.sandbox.setCallPolicy({});
    }
    expect((await config("legacy-etl")).roleWildcards).toEqual(before.roleWildcards);
    const denied = await warnings("role policies");
    expect(denied.map((x) => x.resource)).toContain("legacy-etl");
    expect(denied.every((x) => x.action === "iam:GetRolePolicy" && x.denied)).toBe(true);
    await evaluateAccountInsights(w.db, w.account.id, US, NOW);
    expect((await openInsights("lambda-role-wildcard")).map((f) => f.name)).toEqual(["legacy-etl", "report-generator"]);
    const check = (await getReviewChecks(w.db, { account: [w.account.id], region: [US] })).find((c) => c.ruleId === "lambda-role-wildcard")!;
    expect(check.missingActions.map((m) => m.action)).toEqual(["iam:GetRolePolicy"]);

    await discoverAccountRegion(w.db, w.account, US, ["lambda"], new Date(NOW));
    expect(await warnings("role policies")).toEqual([]);
  });
});

describe("API Gateway routes without an authorizer (SEC 1)", () => {
  it("fails shop-api-eu's open POST /orders and passes the APIs whose only open routes are preflights and health checks", async () => {
    for (const region of [US, EU]) {
      await discoverAccountRegion(w.db, w.account, region, ["apigateway"], new Date(NOW));
      await evaluateAccountInsights(w.db, w.account.id, region, NOW);
    }
    const found = await openInsights("apigateway-route-no-authorizer");
    expect(found.map((f) => f.name)).toEqual(["shop-api-eu"]);
    expect(found[0].evidence).toMatchObject({ routesWithoutAuth: 1, routes: 3, openRoutes: "POST /orders", protocol: "REST" });
    const us = (await getReviewChecks(w.db, { account: [w.account.id], region: [US] })).find((c) => c.ruleId === "apigateway-route-no-authorizer")!;
    expect(us).toMatchObject({ status: "pass", question: "SEC1" });
  });

  it("keeps an API's routes when they cannot be read this time", async () => {
    const before = await config("shop-api-eu");
    // The sandbox refuses by operation; AWS names the denied action apigateway:GET, as the sandbox's message does.
    w.sandbox.setCallPolicy({ deny: ["apigateway:GetResources"] });
    try {
      await discoverAccountRegion(w.db, w.account, EU, ["apigateway"], new Date(NOW));
    } finally {
      w.sandbox.setCallPolicy({});
    }
    expect((await config("shop-api-eu")).routes).toEqual(before.routes);
    expect(await warnings("routes (apigateway)")).toEqual([{ resource: "shop-api-eu", action: "apigateway:GET", denied: true }]);
  });
});
