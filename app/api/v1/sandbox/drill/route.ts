// GET /api/v1/sandbox/drill – whether the sandbox runs, its functions and running fire drills;
// POST – start a fire drill on a sandbox function (409 while the sandbox is off).
import { NextResponse } from "next/server";
import { readJson } from "@/lib/api/body";
import { AppError, ConflictError, NotFoundError, ValidationError } from "@/lib/api/errors";
import { handle } from "@/lib/api/route";
import { findSandboxAccount } from "@/lib/db/accounts";
import { DrillClientError, DrillRequest, fetchDrillState, requestDrill } from "@/lib/sandbox/drill";

export const dynamic = "force-dynamic";

const OFF = "The sandbox is off: there is no running sandbox to drill (switch it on above, then restart Osprey if it asks).";

function mapError(err: unknown): never {
  if (!(err instanceof DrillClientError)) throw err;
  if (err.status === 404) throw new NotFoundError("Sandbox function");
  if (err.status === 400) throw new ValidationError(err.message);
  if (err.status === 503) throw new ConflictError(OFF);
  throw new AppError(err.message, 502, "upstream_error");
}

export const GET = handle("viewer", async () => {
  const account = await findSandboxAccount();
  if (!account?.endpointUrl) return NextResponse.json({ data: { running: false, functions: [], drills: [] } });
  try {
    return NextResponse.json({ data: { running: true, ...(await fetchDrillState(account.endpointUrl)) } });
  } catch (err) {
    if (err instanceof DrillClientError && err.status === 503) return NextResponse.json({ data: { running: false, functions: [], drills: [] } });
    return mapError(err);
  }
});

export const POST = handle("admin", async (req: Request) => {
  const body = DrillRequest.parse(await readJson(req));
  const account = await findSandboxAccount();
  if (!account?.endpointUrl) throw new ConflictError(OFF);
  try {
    return NextResponse.json({ data: await requestDrill(account.endpointUrl, body) }, { status: 201 });
  } catch (err) {
    return mapError(err);
  }
});
