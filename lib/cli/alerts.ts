import { CONDITIONS, type ConditionKind } from "../analysis/alerts/evaluate";
import { PolicyInput } from "../api/schemas/alerts";
import { createPolicy, deletePolicy, listPolicies } from "../db/alerts/policies";
import { closeDb } from "../db/prisma";
import { parseCliArgs } from "./args";
import { CliError } from "./main";

const USAGE = `usage:
  osprey alerts list [--json]
  osprey alerts add --name NAME --condition KIND --threshold N [--critical N] [--window MINUTES] [--min-invocations N]
                    [--severity critical|warning|info] [--resolve-after MINUTES] [--channels ID,ID]
                    [--account ID | --region REGION [--account ID] | --tag KEY=VALUE | --resources ID,ID]
     KIND: ${Object.keys(CONDITIONS).join(", ")}
     rates take a share or a percentage: --threshold 0.05 or --threshold 5%
  osprey alerts remove ID`;

const OPTIONS = {
  name: { type: "string" },
  condition: { type: "string" },
  threshold: { type: "string" },
  critical: { type: "string" },
  window: { type: "string" },
  "min-invocations": { type: "string" },
  severity: { type: "string" },
  "resolve-after": { type: "string" },
  channels: { type: "string" },
  account: { type: "string" },
  region: { type: "string" },
  tag: { type: "string" },
  resources: { type: "string" },
} as const;

export async function alertsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  try {
    if (sub === "list") return await list(rest);
    if (sub === "add") return await add(rest);
    if (sub === "remove") return await remove(rest);
    throw new CliError(USAGE, 2);
  } finally {
    await closeDb();
  }
}

/** "5%" is 0.05; anything else is read as typed (zod then refuses what is not a number). */
function amount(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  return t.endsWith("%") ? Number(t.slice(0, -1)) / 100 : Number(t);
}

const ids = (v: string | undefined) => (v === undefined ? undefined : v.split(",").map((s) => Number(s.trim())));
const int = (v: string | undefined) => (v === undefined ? undefined : Number(v));

function scope(values: Record<string, string | boolean | undefined>): Record<string, unknown> {
  const s = (k: string) => (typeof values[k] === "string" ? (values[k] as string) : undefined);
  if (s("tag")) {
    const [key, ...value] = s("tag")!.split("=");
    return { scopeKind: "tag", tagKey: key, tagValue: value.join("=") };
  }
  if (s("resources")) return { scopeKind: "resources", resourceIds: ids(s("resources")) };
  if (s("region")) return { scopeKind: "region", region: s("region"), accountId: int(s("account")) ?? null };
  if (s("account")) return { scopeKind: "account", accountId: int(s("account")) };
  return { scopeKind: "all" };
}

async function add(args: string[]): Promise<number> {
  const { values } = parseCliArgs(args, OPTIONS);
  const input = Object.fromEntries(
    Object.entries({
      name: values.name,
      conditionKind: values.condition,
      threshold: amount(values.threshold),
      criticalThreshold: amount(values.critical),
      windowMinutes: int(values.window),
      minInvocations: int(values["min-invocations"]),
      severity: values.severity,
      resolveAfterMinutes: int(values["resolve-after"]),
      channelIds: ids(values.channels),
      ...scope(values),
    }).filter(([, v]) => v !== undefined),
  );
  const parsed = PolicyInput.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new CliError(`${i.path.map(String).join(".") || "input"}: ${i.message}`, 2);
  }
  const p = await createPolicy(parsed.data).catch((err: { status?: number; message?: string }) => {
    if (err.status === 409 || err.status === 400) throw new CliError(err.message ?? "refused");
    throw err;
  });
  process.stdout.write(`added alert policy ${p.id} "${p.name}"\n`);
  return 0;
}

function shown(kind: string, v: number): string {
  return CONDITIONS[kind as ConditionKind]?.unit === "percent" ? `${+(v * 100).toFixed(4)} %` : String(v);
}

async function list(args: string[]): Promise<number> {
  const { values } = parseCliArgs(args, { json: { type: "boolean" } });
  const policies = await listPolicies();
  if (values.json) {
    process.stdout.write(JSON.stringify(policies, null, 2) + "\n");
    return 0;
  }
  if (!policies.length) process.stdout.write("no alert policies: add one with `osprey alerts add`\n");
  for (const p of policies) {
    const crit = p.criticalThreshold === null ? "" : ` (critical ≥ ${shown(p.conditionKind, p.criticalThreshold)})`;
    process.stdout.write(
      `${String(p.id).padStart(4)}  ${p.name}${p.enabled ? "" : " (disabled)"}  ${p.conditionKind} ≥ ${shown(p.conditionKind, p.threshold)}${crit} over ${p.windowMinutes} min, ${p.severity}, scope ${p.scopeKind}; ${p.openIncidents} open incident${p.openIncidents === 1 ? "" : "s"}\n`,
    );
  }
  return 0;
}

async function remove(args: string[]): Promise<number> {
  const { positionals } = parseCliArgs(args, {}, true);
  const id = Number(positionals[0]);
  if (!Number.isInteger(id) || id <= 0) throw new CliError("usage: osprey alerts remove ID", 2);
  await deletePolicy(id).catch((err: { status?: number; message?: string }) => {
    if (err.status === 404) throw new CliError(err.message ?? "not found");
    throw err;
  });
  process.stdout.write(`removed alert policy ${id} and its incidents\n`);
  return 0;
}
