import type pg from "pg";
import { databaseUrl } from "../db/database-url";
import { createPool } from "../db/pool";
import { DEFAULT_DRILL_MINUTES, DRILL_KINDS, DrillClientError, DrillRequest, requestDrill, type DrillView } from "../sandbox/drill";
import { parseCliArgs } from "./args";
import { CliError } from "./main";

const USAGE = `usage: osprey sandbox drill --function NAME --kind ${DRILL_KINDS.join("|")} [--minutes ${DEFAULT_DRILL_MINUTES}] [--region us-east-1]`;

/** The endpoint of the running sandbox, from the sandbox account row (null when there is none). */
export async function sandboxEndpoint(db: Pick<pg.Pool, "query">): Promise<string | null> {
  const { rows } = await db.query<{ endpointUrl: string | null }>(`SELECT endpoint_url AS "endpointUrl" FROM accounts WHERE is_sandbox ORDER BY id LIMIT 1`);
  return rows[0]?.endpointUrl ?? null;
}

export function describeDrill(d: DrillView): string {
  const what = { timeout: "times out on every invocation", error: "fails on every invocation with a handler error", throttle: "is throttled on every invocation (no REPORT lines; the Throttles metric rises)" }[d.kind];
  return `Fire drill started: ${d.function} (${d.region}) ${what} from ${d.startedAt} until ${d.endsAt}.\nThe default alert policies should open an incident within a few minutes of the first failures reaching Osprey; see Incidents.\n`;
}

/** `osprey sandbox drill`: makes a function of the running sandbox fail on demand, for N minutes. */
export async function sandboxDrillCommand(args: string[]): Promise<number> {
  const { values } = parseCliArgs(args, {
    function: { type: "string" },
    kind: { type: "string" },
    minutes: { type: "string", default: String(DEFAULT_DRILL_MINUTES) },
    region: { type: "string" },
  });
  if (!values.function || !values.kind) throw new CliError(`--function and --kind are required\n${USAGE}`, 2);
  const parsed = DrillRequest.safeParse({ function: values.function, kind: values.kind, minutes: Number(values.minutes), ...(values.region ? { region: values.region } : {}) });
  if (!parsed.success) throw new CliError(`${parsed.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; ")}\n${USAGE}`, 2);
  const db = createPool(databaseUrl(), 1);
  let endpoint: string | null;
  try {
    endpoint = await sandboxEndpoint(db);
  } finally {
    await db.end();
  }
  if (!endpoint) throw new CliError("the sandbox is off: no sandbox account in this Osprey (start Osprey without a real AWS account, or switch the sandbox on in Settings)");
  try {
    process.stdout.write(describeDrill(await requestDrill(endpoint, parsed.data)));
    return 0;
  } catch (err) {
    if (err instanceof DrillClientError) throw new CliError(err.message, err.status === 404 || err.status === 400 ? 2 : 1);
    throw err;
  }
}
