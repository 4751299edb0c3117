// POST /api/v1/sandbox/stacks – deploys the onboarding template into the running sandbox, as
// `aws cloudformation deploy` would into an account; answers the role's ARN (409 while the sandbox is off).
import { NextResponse } from "next/server";
import { readJson } from "@/lib/api/body";
import { ConflictError, UpstreamError } from "@/lib/api/errors";
import { handle } from "@/lib/api/route";
import { SandboxStackInput } from "@/lib/api/schemas/onboarding";
import { buildOnboardingTemplate, ROLE_LOGICAL_ID } from "@/lib/aws/onboarding-template";
import { findSandboxAccount } from "@/lib/db/accounts";
import { deployToSandbox, TemplateError } from "@/lib/sandbox/roles";

export const dynamic = "force-dynamic";

export const POST = handle("admin", async (req: Request) => {
  const input = SandboxStackInput.parse(await readJson(req));
  const sandbox = await findSandboxAccount();
  if (!sandbox?.endpointUrl || !sandbox.awsAccountId) throw new ConflictError("The sandbox is off: there is no sandbox account to deploy the template into.");
  const template = buildOnboardingTemplate({ principalArn: `arn:aws:iam::${sandbox.awsAccountId}:user/osprey-demo`, externalId: input.externalId, roleName: input.roleName });
  const left = new Set(input.withoutActions);
  for (const p of template.Resources[ROLE_LOGICAL_ID].Properties.Policies) {
    p.PolicyDocument.Statement = p.PolicyDocument.Statement.map((s) => ({ ...s, Action: s.Action.filter((a) => !left.has(a)) })).filter((s) => s.Action.length > 0);
  }
  try {
    const roles = await deployToSandbox(sandbox.endpointUrl, template, {});
    return NextResponse.json({ data: { roleArn: roles[ROLE_LOGICAL_ID] } }, { status: 201 });
  } catch (err) {
    if (err instanceof TemplateError) throw new UpstreamError(err.message);
    throw err;
  }
});
