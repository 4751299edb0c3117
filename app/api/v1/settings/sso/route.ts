// GET /api/v1/settings/sso – the single sign-on configuration (the client secret masked); PUT – replace it (owner only).
import { NextResponse } from "next/server";
import { readJson } from "@/lib/api/body";
import { handle } from "@/lib/api/route";
import { SsoConfigInput } from "@/lib/api/schemas/sso";
import { actorOf } from "@/lib/db/audit";
import { getSsoConfig, saveSsoConfig, toSsoView } from "@/lib/db/sso-config";

export const dynamic = "force-dynamic";

export const GET = handle("owner", async () => NextResponse.json({ data: toSsoView(await getSsoConfig()) }));

export const PUT = handle("owner", async (req: Request) => {
  const input = SsoConfigInput.parse(await readJson(req));
  return NextResponse.json({ data: toSsoView(await saveSsoConfig(input, actorOf(req))) });
});
