import { beforeAll, describe, expect, it } from "vitest";
import { load } from "js-yaml";
import { readOnlyPolicy } from "@/lib/aws/permissions";
import { SANDBOX_ACCOUNT_ID } from "@/lib/sandbox";
import { sandboxWorld } from "@/test/sandbox-world";
import { requestAs, signIn } from "@/test/auth";

// "Connect an AWS account" against the sandbox: its STS grants a deployed role only with the template's
// ExternalId, and the role's credentials reach only what the template's policy allows.
sandboxWorld({ routes: true, seed: 5, backfillMs: 60_000, regions: ["us-east-1"], discover: [], poolMax: 2 });
let start: typeof import("./route");
let template: typeof import("./template/route");
let verify: typeof import("./verify/route");
let stacks: typeof import("../sandbox/stacks/route");

let asAdmin: (url: string | URL, init?: RequestInit) => Request;
const post = (path: string, body: unknown) => asAdmin(`http://127.0.0.1${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const get = (path: string) => asAdmin(`http://127.0.0.1${path}`);
const none = undefined as never;

interface Verified {
  ok: boolean;
  error?: string;
  arn?: string;
  sandbox: boolean;
  permissions: { action: string; status: string; message: string | null }[];
}

async function verifyRole(roleArn: string, externalId: string): Promise<Verified> {
  const res = await verify.POST(post("/api/v1/onboarding/verify", { roleArn, externalId, region: "us-east-1" }), none);
  expect(res.status).toBe(200);
  return (await res.json()).data;
}

async function deploy(externalId: string, roleName: string, withoutActions: string[] = []): Promise<string> {
  const res = await stacks.POST(post("/api/v1/sandbox/stacks", { externalId, roleName, withoutActions }), none);
  expect(res.status).toBe(201);
  return (await res.json()).data.roleArn;
}

beforeAll(async () => {
  start = await import("./route");
  template = await import("./template/route");
  verify = await import("./verify/route");
  stacks = await import("../sandbox/stacks/route");
  asAdmin = requestAs(await signIn("admin"));
});

describe("onboarding an AWS account", () => {
  it("starts with a fresh ExternalId and, without AWS credentials, trusts the sandbox's identity", async () => {
    const a = (await (await start.POST(post("/api/v1/onboarding", {}), none)).json()).data;
    const b = (await (await start.POST(post("/api/v1/onboarding", {}), none)).json()).data;
    expect(a.externalId).toMatch(/^osprey-[0-9a-f]{32}$/);
    expect(b.externalId).not.toBe(a.externalId);
    expect(a.principal).toEqual({ arn: `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:user/osprey-demo`, source: "sandbox", error: null });
    expect(a.cliCommands[0]).toContain(`ExternalId='${a.externalId}'`);
    expect(new URLSearchParams(a.quickCreateUrl.split("?").pop()).get("param_ExternalId")).toBe(a.externalId);

    const res = await template.GET(get(a.templateUrls.yaml), none);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="osprey-readonly-role.yaml"');
    const doc = load(await res.text()) as { Parameters: Record<string, { Default?: string }>; Resources: Record<string, { Properties: { Policies: { PolicyDocument: unknown }[] } }> };
    expect(doc.Parameters.ExternalId.Default).toBe(a.externalId);
    expect(doc.Parameters.OspreyPrincipal.Default).toBe(a.principal.arn);
    expect(doc.Resources.OspreyReadOnlyRole.Properties.Policies[0].PolicyDocument).toEqual(readOnlyPolicy());
    const json = await template.GET(get(a.templateUrls.json), none);
    expect(JSON.parse(await json.text())).toEqual(doc);
    expect((await template.GET(get("/api/v1/onboarding/template?externalId=short"), none)).status).toBe(400);
  });

  it("verifies a role deployed from the template: the right ExternalId assumes it and every permission is there", async () => {
    const roleArn = await deploy("osprey-0123456789abcdef0123456789abcdef", "OspreyReadOnly");
    expect(roleArn).toBe(`arn:aws:iam::${SANDBOX_ACCOUNT_ID}:role/OspreyReadOnly`);
    const r = await verifyRole(roleArn, "osprey-0123456789abcdef0123456789abcdef");
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ ok: true, sandbox: true, arn: `arn:aws:sts::${SANDBOX_ACCOUNT_ID}:assumed-role/OspreyReadOnly/osprey-onboarding` });
    expect(r.permissions.filter((p) => p.status !== "allowed")).toEqual([]);
    expect(new Set(r.permissions.map((p) => p.action))).toEqual(new Set(readOnlyPolicy().Statement.flatMap((s) => s.Action)));
  });

  it("refuses a wrong ExternalId, and says so", async () => {
    const roleArn = await deploy("osprey-fedcba9876543210fedcba9876543210", "OspreyGuarded");
    const r = await verifyRole(roleArn, "osprey-00000000000000000000000000000000");
    expect(r.ok).toBe(false);
    expect(r.error).toContain(`Osprey may not assume ${roleArn}: the external id does not match the role's trust policy`);
    expect(r.error).toContain("AccessDenied");
    expect(r.permissions).toEqual([]);
  });

  it("names the exact IAM action a role lacks, and what Osprey loses without it", async () => {
    const roleArn = await deploy("osprey-aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb", "OspreyNoTraces", ["xray:BatchGetTraces"]);
    const r = await verifyRole(roleArn, "osprey-aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb");
    expect(r.ok).toBe(true);
    const denied = r.permissions.filter((p) => p.status !== "allowed");
    expect(denied).toEqual([expect.objectContaining({ action: "xray:BatchGetTraces", status: "denied", message: "xray:BatchGetTraces denied – traces will not be collected" })]);
  });
});
