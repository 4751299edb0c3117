// GET /api/v1/openapi.json – the OpenAPI 3.1 document of /api/v1, generated from the zod schemas the handlers use.
import { NextResponse } from "next/server";
import { handle } from "@/lib/api/route";
import { buildOpenApi } from "@/lib/api/openapi";

export const dynamic = "force-dynamic";

let cached: Record<string, unknown> | undefined;

export const GET = handle("viewer", async () => {
  cached ??= buildOpenApi();
  return NextResponse.json(cached);
});
