import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AWS_CALLS, readOnlyPolicy } from "./permissions";

const ROOT = path.resolve(__dirname, "../..");
// Code that runs against a monitored account. The sandbox is the fake AWS endpoint, not a caller.
const SOURCE_DIRS = ["lib", "workers", "app", "bin", "components"];
const SKIP = [/\.test\.tsx?$/, /^lib\/sandbox\//, /^lib\/generated\//];

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === "node_modules" ? [] : sources(rel);
    return /\.tsx?$/.test(e.name) && !SKIP.some((re) => re.test(rel)) ? [rel] : [];
  });
}

/** `sdk:Command` for every `new XxxCommand(` and `paginateXxx(` of an @aws-sdk client, through the file's imports (aliases included). */
function callsIn(text: string): string[] {
  const imported = new Map<string, { sdk: string; name: string }>();
  for (const m of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+"(@aws-sdk\/client-[a-z0-9-]+)"/g)) {
    for (const part of m[1].split(",")) {
      const [name, alias] = part.replace(/^\s*type\s+/, "").trim().split(/\s+as\s+/);
      if (name) imported.set((alias ?? name).trim(), { sdk: m[2], name: name.trim() });
    }
  }
  const out: string[] = [];
  for (const m of text.matchAll(/new\s+([A-Za-z0-9_]+)\s*\(/g)) {
    const imp = imported.get(m[1]);
    if (imp?.name.endsWith("Command")) out.push(`${imp.sdk}:${imp.name.replace(/Command$/, "")}`);
  }
  for (const m of text.matchAll(/\b(paginate[A-Za-z0-9]+)\s*\(/g)) {
    const imp = imported.get(m[1]);
    if (imp) out.push(`${imp.sdk}:${imp.name.replace(/^paginate/, "")}`);
  }
  return out;
}

describe("the AWS calls list", () => {
  const sent = new Map<string, string[]>();
  for (const file of SOURCE_DIRS.flatMap(sources)) for (const call of callsIn(readFileSync(path.join(ROOT, file), "utf8"))) sent.set(call, [...(sent.get(call) ?? []), file]);
  const listed = new Set(AWS_CALLS.map((c) => `${c.sdk}:${c.command}`));

  it("finds the calls it checks (the scan itself works)", () => {
    expect(sent.get("@aws-sdk/client-cloudwatch-logs:FilterLogEvents")).toBeDefined();
    expect(sent.get("@aws-sdk/client-api-gateway:GetStages"), "an aliased import").toBeDefined();
    expect(sent.get("@aws-sdk/client-lambda:ListFunctions"), "a paginator").toBeDefined();
    expect(sent.get("@aws-sdk/client-sfn:ListTagsForResource"), "a command named as another client's (sns) under an alias").toBeDefined();
    expect(sent.get("@aws-sdk/client-kinesis:ListStreams"), "a paginator of a second client").toBeDefined();
  });

  it("has an entry for every command the code sends", () => {
    const missing = [...sent.keys()].filter((c) => !listed.has(c)).map((c) => `${c} (sent in ${sent.get(c)!.join(", ")})`);
    expect(missing, "add these to lib/aws/permissions.ts").toEqual([]);
  });

  it("lists nothing the code does not send", () => {
    expect([...listed].filter((c) => !sent.has(c))).toEqual([]);
  });
});

describe("the read-only policy", () => {
  const policy = readOnlyPolicy();
  const actions = policy.Statement.flatMap((s) => s.Action);

  it("grants only what the code calls, and API Gateway reads only on the API and stage paths", () => {
    for (const never of ["lambda:GetFunction", "logs:GetLogEvents", "cloudwatch:ListMetrics", "lambda:GetFunctionConfiguration", "logs:DescribeLogStreams", "sns:Publish"]) expect(actions).not.toContain(never);
    const apigw = policy.Statement.filter((s) => s.Action.includes("apigateway:GET"));
    expect(apigw).toHaveLength(1);
    expect(apigw[0].Resource).toEqual([
      "arn:aws:apigateway:*::/restapis",
      "arn:aws:apigateway:*::/restapis/*/stages",
      "arn:aws:apigateway:*::/restapis/*/resources",
      "arn:aws:apigateway:*::/apis",
      "arn:aws:apigateway:*::/apis/*/stages",
      "arn:aws:apigateway:*::/apis/*/routes",
    ]);
    // The function roles' policies, read on roles and policies only: never iam:* or Resource "*".
    const iam = policy.Statement.filter((s) => s.Action.some((a) => a.startsWith("iam:")));
    expect(iam.flatMap((s) => s.Action).sort()).toEqual(["iam:GetPolicy", "iam:GetPolicyVersion", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListRolePolicies"]);
    for (const s of iam) expect(s.Resource).not.toEqual("*");
    expect(policy.Statement.find((s) => s.Resource === "*")!.Action).not.toContain("apigateway:GET");
    for (const a of actions) expect(a).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
  });

  it("is the one the README shows", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### The AWS permissions Osprey needs"));
    const block = /```json\n([\s\S]*?)\n```/.exec(section);
    expect(block, "a ```json block under \"The AWS permissions Osprey needs\"").not.toBeNull();
    expect(JSON.parse(block![1])).toEqual(policy);
  });
});
