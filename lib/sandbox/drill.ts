import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { DrillInfo, Workload } from "./workload";

export const DRILL_KINDS = ["timeout", "error", "throttle"] as const;
export const DRILL_PATH = "/_sandbox/drill";
export const DEFAULT_DRILL_MINUTES = 5;

/** What POST /_sandbox/drill (and POST /api/v1/sandbox/drill) take. */
export const DrillRequest = z
  .object({
    function: z.string().min(1).max(140).regex(/^[A-Za-z0-9_-]+$/, "a function name"),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "an AWS region such as us-east-1").optional(),
    kind: z.enum(DRILL_KINDS),
    minutes: z.number().int().min(1).max(120).default(DEFAULT_DRILL_MINUTES),
  })
  .strict();
export type DrillRequest = z.infer<typeof DrillRequest>;

/** A drill as the control endpoint reports it. */
export const DrillView = z.object({
  function: z.string(),
  region: z.string(),
  kind: z.enum(DRILL_KINDS),
  startedAt: z.string(),
  endsAt: z.string(),
});
export type DrillView = z.infer<typeof DrillView>;

/** GET /_sandbox/drill: the functions one can drill and the drills running now. */
export const DrillState = z.object({
  functions: z.array(z.object({ name: z.string(), region: z.string(), runtime: z.string() })),
  drills: z.array(DrillView),
});
export type DrillState = z.infer<typeof DrillState>;

export const toDrillView = (d: DrillInfo): DrillView => ({
  function: d.functionName,
  region: d.region,
  kind: d.kind,
  startedAt: new Date(d.from).toISOString(),
  endsAt: new Date(d.until).toISOString(),
});

/** Only this machine may drive the sandbox: the control endpoint answers loopback peers alone. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.replace(/^::ffff:/, "");
  return a === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

export function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}

export const NOT_JSON = Symbol("not JSON");

/** The control request's JSON body, or NOT_JSON once a 400 has been answered. */
export function jsonBody(res: ServerResponse, body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    reply(res, 400, { error: "the body is not JSON" });
    return NOT_JSON;
  }
}

/** GET and POST /_sandbox/drill on the sandbox server; the body was read already. */
export function handleDrillControl(req: IncomingMessage, res: ServerResponse, body: Buffer, workload: Workload, regions: readonly string[]): void {
  if (!isLoopback(req.socket.remoteAddress)) return reply(res, 403, { error: "the sandbox control endpoint answers loopback clients only" });
  if (req.method === "GET") {
    const functions = regions.flatMap((r) => workload.listFunctions(r).map((f) => ({ name: f.spec.name, region: r, runtime: f.spec.runtime })));
    return reply(res, 200, { functions, drills: workload.activeDrills().map(toDrillView) } satisfies DrillState);
  }
  if (req.method !== "POST") return reply(res, 405, { error: "use GET or POST" });
  const json = jsonBody(res, body);
  if (json === NOT_JSON) return;
  const parsed = DrillRequest.safeParse(json);
  if (!parsed.success) return reply(res, 400, { error: "invalid drill", issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) });
  const d = parsed.data;
  const started = workload.startDrill(d.function, d.kind, d.minutes, d.region);
  if (!started) return reply(res, 404, { error: `no function ${d.function}${d.region ? ` in ${d.region}` : ""} in the sandbox` });
  reply(res, 201, { drill: toDrillView(started) });
}

export class DrillClientError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Starts a drill on the sandbox running at `endpointUrl`. */
export async function requestDrill(endpointUrl: string, body: DrillRequest): Promise<DrillView> {
  return DrillView.parse(((await callDrillEndpoint(endpointUrl, body)) as { drill: unknown }).drill);
}

/** The drillable functions and running drills of the sandbox at `endpointUrl`. */
export async function fetchDrillState(endpointUrl: string): Promise<DrillState> {
  return DrillState.parse(await callDrillEndpoint(endpointUrl));
}

async function callDrillEndpoint(endpointUrl: string, body?: DrillRequest): Promise<unknown> {
  const url = new URL(DRILL_PATH, endpointUrl);
  let res: Response;
  try {
    res = await fetch(url, body ? { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(5000) } : { signal: AbortSignal.timeout(5000) });
  } catch (err) {
    throw new DrillClientError(`the sandbox at ${endpointUrl} does not answer (${(err as Error).message}): is \`osprey start\` running it?`, 503);
  }
  const text = await res.text();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new DrillClientError(`the sandbox at ${endpointUrl} answered ${res.status} without JSON: is it an older sandbox without fire drills?`, 502);
  }
  if (!res.ok) throw new DrillClientError((data as { error?: string }).error ?? `the sandbox answered ${res.status}`, res.status);
  return data;
}
