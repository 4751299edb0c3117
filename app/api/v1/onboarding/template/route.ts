// GET /api/v1/onboarding/template – the CloudFormation template of Osprey's read-only role (?format=yaml|json,
// ?externalId= the ExternalId parameter's default, ?principal= whom to trust, else the one Osprey detects).
import { ConflictError } from "@/lib/api/errors";
import { handle } from "@/lib/api/route";
import { TemplateQuery } from "@/lib/api/schemas/onboarding";
import { resolvePrincipal } from "@/lib/aws/onboarding";
import { buildOnboardingTemplate, renderTemplate, TEMPLATE_FILE } from "@/lib/aws/onboarding-template";
import { findSandboxAccount } from "@/lib/db/accounts";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

export const GET = handle("admin", async (req: Request) => {
  const q = TemplateQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  const resolved = await resolvePrincipal({ configured: q.principal ?? env().OSPREY_AWS_PRINCIPAL, sandboxEndpoint: (await findSandboxAccount())?.endpointUrl ?? null, region: "us-east-1" });
  if (resolved.arn === null) throw new ConflictError(resolved.error);
  const text = renderTemplate(buildOnboardingTemplate({ principalArn: resolved.arn, externalId: q.externalId, roleName: q.roleName }), q.format);
  const file = q.format === "json" ? TEMPLATE_FILE.replace(/\.yaml$/, ".json") : TEMPLATE_FILE;
  return new Response(text, {
    headers: {
      "content-type": q.format === "json" ? "application/json; charset=utf-8" : "application/yaml; charset=utf-8",
      "content-disposition": `attachment; filename="${file}"`,
      "cache-control": "no-store",
    },
  });
});
