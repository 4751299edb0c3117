import { readFileSync } from "node:fs";
import path from "node:path";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import {
  buildOnboardingTemplate,
  cliDeployCommands,
  principalFromCallerArn,
  quickCreateUrl,
  renderTemplate,
  ROLE_LOGICAL_ID,
  stackSetCommands,
  toYaml,
} from "./onboarding-template";
import { AWS_CALLS } from "./permissions";

const PRINCIPAL = "arn:aws:iam::111122223333:role/osprey-workers";
const EXTERNAL_ID = "osprey-3f1c9a7b2d4e6f80a1b2c3d4";
const template = buildOnboardingTemplate({ principalArn: PRINCIPAL, externalId: EXTERNAL_ID });
const role = template.Resources[ROLE_LOGICAL_ID];

function readmePolicy(): unknown {
  const readme = readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### The AWS permissions Osprey needs"));
  return JSON.parse(/```json\n([\s\S]*?)\n```/.exec(section)![1]);
}

describe("the onboarding CloudFormation template", () => {
  it("is a CloudFormation template with one IAM role and its ARN as output", () => {
    expect(template.AWSTemplateFormatVersion).toBe("2010-09-09");
    expect(Object.keys(template.Resources)).toEqual([ROLE_LOGICAL_ID]);
    expect(role.Type).toBe("AWS::IAM::Role");
    expect(template.Outputs.RoleArn.Value).toEqual({ "Fn::GetAtt": [ROLE_LOGICAL_ID, "Arn"] });
    // Every Ref names a declared parameter.
    const refs = [...JSON.stringify(template).matchAll(/"Ref":"(\w+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) expect(Object.keys(template.Parameters)).toContain(r);
    for (const p of Object.values(template.Parameters)) if (p.Default && p.AllowedPattern) expect(p.Default).toMatch(new RegExp(`^${p.AllowedPattern}$`));
  });

  it("grants exactly the actions of lib/aws/permissions.ts, the policy the README lists", () => {
    const [policy] = role.Properties.Policies;
    expect(role.Properties.Policies).toHaveLength(1);
    expect(policy.PolicyDocument).toEqual(readmePolicy());
    const granted = new Set(policy.PolicyDocument.Statement.flatMap((s) => s.Action));
    const needed = new Set(AWS_CALLS.filter((c) => c.action && !c.optional).map((c) => c.action!));
    expect([...granted].sort()).toEqual([...needed].sort());
    expect(granted).not.toContain("sns:Publish");
    for (const s of policy.PolicyDocument.Statement) expect(s.Effect).toBe("Allow");
  });

  it("is documented in the README with the messages verify really gives", () => {
    const readme = readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Connecting an AWS account"), readme.indexOf("## Alert policies and incidents"));
    const quoted = [...section.matchAll(/`([a-z0-9-]+:[A-Za-z]+) denied – ([^`]+)`/g)].map((m) => [m[1], m[2]]);
    expect(quoted.length).toBeGreaterThanOrEqual(3);
    for (const [action, lost] of quoted) expect(AWS_CALLS.find((c) => c.action === action)?.withoutIt, action).toBe(lost);
  });

  it("has no wildcard action, and wildcards in resources only where the README documents them", () => {
    const statements = role.Properties.Policies[0].PolicyDocument.Statement;
    for (const a of statements.flatMap((s) => s.Action)) expect(a).not.toContain("*");
    const resources = statements.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
    expect([...new Set(resources)].sort()).toEqual(
      [
        "*",
        "arn:aws:apigateway:*::/apis",
        "arn:aws:apigateway:*::/apis/*/routes",
        "arn:aws:apigateway:*::/apis/*/stages",
        "arn:aws:apigateway:*::/restapis",
        "arn:aws:apigateway:*::/restapis/*/resources",
        "arn:aws:apigateway:*::/restapis/*/stages",
        "arn:aws:iam::*:policy/*",
        "arn:aws:iam::*:role/*",
      ].sort(),
    );
    const readme = readFileSync(path.join(__dirname, "../../README.md"), "utf8");
    for (const r of ["arn:aws:iam::*:role/*", "arn:aws:iam::*:policy/*"]) expect(readme).toContain(`\`${r}\``);
    expect(statements.find((s) => s.Resource === "*")!.Action).not.toContain("apigateway:GET");
  });

  it("trusts only Osprey's principal, and only with the external id (sts:ExternalId)", () => {
    const trust = role.Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toEqual([
      { Effect: "Allow", Principal: { AWS: { Ref: "OspreyPrincipal" } }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": { Ref: "ExternalId" } } } },
    ]);
    expect(template.Parameters.OspreyPrincipal.Default).toBe(PRINCIPAL);
    expect(template.Parameters.ExternalId.Default).toBe(EXTERNAL_ID);
    expect(template.Parameters.ExternalId.MinLength).toBe(16);
    expect(buildOnboardingTemplate({ principalArn: PRINCIPAL }).Parameters.ExternalId.Default).toBeUndefined();
  });

  it("renders as YAML and as JSON that read back to the same template", () => {
    expect(load(renderTemplate(template, "yaml"))).toEqual(template);
    expect(JSON.parse(renderTemplate(template, "json"))).toEqual(template);
    expect(renderTemplate(template, "yaml")).toMatch(/^AWSTemplateFormatVersion: "2010-09-09"\n/);
    const awkward = { "a:b": ["x: y", "#hash", 'quote"s', "", 3, [], {}], list: [{ k: "v", n: [1, { deep: "'" }] }], multi: "line\nbreak" };
    expect(load(toYaml(awkward))).toEqual(awkward);
  });
});

describe("deploying the template", () => {
  const d = { principalArn: PRINCIPAL, externalId: EXTERNAL_ID, region: "eu-west-1" };

  it("links to the console's quick-create page with the stack name and parameters filled in", () => {
    const url = new URL(quickCreateUrl({ ...d, templateUrl: "https://my-bucket.s3.amazonaws.com/osprey-readonly-role.yaml" }));
    expect(`${url.origin}${url.pathname}`).toBe("https://console.aws.amazon.com/cloudformation/home");
    expect(url.searchParams.get("region")).toBe("eu-west-1");
    const [route, query] = url.hash.slice(1).split("?");
    expect(route).toBe("/stacks/quickcreate");
    const q = new URLSearchParams(query);
    expect(q.get("templateURL")).toBe("https://my-bucket.s3.amazonaws.com/osprey-readonly-role.yaml");
    expect(q.get("stackName")).toBe("osprey-readonly");
    expect(q.get("param_ExternalId")).toBe(EXTERNAL_ID);
    expect(q.get("param_OspreyPrincipal")).toBe(PRINCIPAL);
  });

  it("gives the AWS CLI commands for one account and for a StackSet over an organization", () => {
    const [deploy, output] = cliDeployCommands(d);
    expect(deploy).toContain("aws cloudformation deploy --region eu-west-1 --stack-name osprey-readonly --template-file osprey-readonly-role.yaml --capabilities CAPABILITY_NAMED_IAM");
    expect(deploy).toContain(`ExternalId='${EXTERNAL_ID}' OspreyPrincipal='${PRINCIPAL}'`);
    expect(output).toContain("OutputKey=='RoleArn'");
    const [create, instances] = stackSetCommands({ ...d, organizationalUnitIds: ["ou-ab12-cdef3456"] });
    expect(create).toContain("--permission-model SERVICE_MANAGED --auto-deployment Enabled=true");
    expect(create).toContain(`ParameterKey=ExternalId,ParameterValue='${EXTERNAL_ID}'`);
    expect(instances).toContain("--deployment-targets OrganizationalUnitIds=ou-ab12-cdef3456 --regions eu-west-1");
  });

  it("trusts a role, not its session, when Osprey runs under an assumed role", () => {
    expect(principalFromCallerArn("arn:aws:sts::111122223333:assumed-role/osprey-workers/i-0abc")).toBe(PRINCIPAL);
    expect(principalFromCallerArn("arn:aws:iam::111122223333:user/osprey")).toBe("arn:aws:iam::111122223333:user/osprey");
  });
});
