// GET /api/v1/settings/sandbox – the sandbox switch; PUT – switch the sandbox account on or off.
import { NextResponse } from "next/server";
import { readJson } from "@/lib/api/body";
import { handle } from "@/lib/api/route";
import { SandboxSwitch } from "@/lib/api/schemas/settings";
import { actorOf } from "@/lib/db/audit";
import { getSandboxState, switchSandbox } from "@/lib/db/sandbox-switch";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

export const GET = handle("viewer", async () => NextResponse.json({ data: await getSandboxState(env().OSPREY_SANDBOX) }));

export const PUT = handle("admin", async (req: Request) => {
  const { enabled } = SandboxSwitch.parse(await readJson(req));
  return NextResponse.json({ data: await switchSandbox(env().OSPREY_SANDBOX, enabled, actorOf(req)) });
});
