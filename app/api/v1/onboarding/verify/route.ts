// POST /api/v1/onboarding/verify – assumes the role with the ExternalId (the sandbox's STS for a role in the
// sandbox's account), then probes each permission of the read-only policy and names any that is denied.
import { NextResponse } from "next/server";
import { readJson } from "@/lib/api/body";
import { handle } from "@/lib/api/route";
import { VerifyInput } from "@/lib/api/schemas/onboarding";
import { accountOfArn, verifyRole } from "@/lib/aws/onboarding";
import { findSandboxAccount } from "@/lib/db/accounts";

export const dynamic = "force-dynamic";

export const POST = handle("admin", async (req: Request) => {
  const input = VerifyInput.parse(await readJson(req));
  const sandbox = await findSandboxAccount();
  const inSandbox = sandbox?.endpointUrl && sandbox.awsAccountId && accountOfArn(input.roleArn) === sandbox.awsAccountId;
  const result = await verifyRole({ ...input, sandboxEndpoint: inSandbox ? sandbox.endpointUrl : null });
  return NextResponse.json({ data: { ...result, sandbox: Boolean(inSandbox) } });
});
