// POST /api/v1/onboarding – starts "Connect an AWS account": a fresh ExternalId, the principal to trust,
// the template's URLs and the quick-create link, CLI and StackSet commands with both filled in.
import { NextResponse } from "next/server";
import { readJson } from "@/lib/api/body";
import { handle } from "@/lib/api/route";
import { OnboardingStart } from "@/lib/api/schemas/onboarding";
import { startOnboarding } from "@/lib/aws/onboarding";
import { findSandboxAccount } from "@/lib/db/accounts";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

export const POST = handle("admin", async (req: Request) => {
  const input = OnboardingStart.parse(await readJson(req));
  const sandbox = await findSandboxAccount();
  const view = await startOnboarding({ region: input.region, principal: input.principal, configured: env().OSPREY_AWS_PRINCIPAL, sandboxEndpoint: sandbox?.endpointUrl ?? null });
  return NextResponse.json({ data: view }, { status: 201, headers: { "cache-control": "no-store" } });
});
