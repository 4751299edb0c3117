// POST /api/v1/settings/sso/discovery – fetch the issuer's OpenID discovery document (the given issuer, else the stored one) and report what is wrong.
import { NextResponse } from "next/server";
import { readJson } from "@/lib/api/body";
import { handle } from "@/lib/api/route";
import { SsoDiscoveryInput } from "@/lib/api/schemas/sso";
import { testDiscovery } from "@/lib/auth/sso-discovery";
import { issuerToTest } from "@/lib/db/sso-config";

export const dynamic = "force-dynamic";

export const POST = handle("owner", async (req: Request) => {
  const { issuer } = SsoDiscoveryInput.parse(await readJson(req));
  return NextResponse.json({ data: await testDiscovery(await issuerToTest(issuer)) });
});
