import { CONDITIONS, type ConditionKind } from "../analysis/alerts/evaluate";
import { PolicyInput } from "../api/schemas/alerts";
import { BacktestInput, type BacktestView } from "../api/schemas/alerts-backtest";
import { backtestPolicy } from "../db/alerts/backtest";
import { createPolicy, deletePolicy, getPolicy, listPolicies } from "../db/alerts/policies";
import { CLI_ACTOR } from "../db/audit";
import { env } from "../env";
import { closeDb, pool } from "../db/prisma";
import { parseCliArgs } from "./args";
import { CliError } from "./main";

const USAGE = `usage:
  osprey alerts list [--json]
  osprey alerts add --name NAME --condition KIND --threshold N [--critical N] [--window MINUTES] [--min-invocations N]
                    [--severity critical|warning|info] [--resolve-after MINUTES] [--channels ID,ID]
                    [--account ID | --region REGION [--account ID] | --tag KEY=VALUE | --resources ID,ID]
     KIND: ${Object.keys(CONDITIONS).join(", ")}
     rates take a share or a percentage: --threshold 0.05 or --threshold 5%
  osprey alerts remove ID
  osprey alerts backtest ID [--json]
  osprey alerts backtest --kind KIND --threshold N [the options of add, name optional] [--json]
     the incidents the policy would have opened in the last 7 days, replayed over the minute rollups`;

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

const BACKTEST_OPTIONS = { ...OPTIONS, kind: { type: "string" }, json: { type: "boolean" } } as const;

export async function alertsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  try {
    if (sub === "list") return await list(rest);
    if (sub === "add") return await add(rest);
    if (sub === "remove") return await remove(rest);
    if (sub === "backtest") return await backtestCommand(rest);
    throw new CliError(USAGE, 2);
  } finally {
    await closeDb();
  }
}

/** "5%" is 0.05 (a share), or 5 for a kind measured in percent (p95_timeout_pct); anything else is read as typed (zod then refuses what is not a number). */
function amount(v: string | undefined, kind: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  if (!t.endsWith("%")) return Number(t);
  return CONDITIONS[kind as ConditionKind]?.unit === "pct" ? Number(t.slice(0, -1)) : Number(t.slice(0, -1)) / 100;
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

/** A policy from the flags of `add`, as the API would take it (undefined flags left to the defaults). */
function inputFromFlags(values: Record<string, string | boolean | undefined>): Record<string, unknown> {
  const s = (k: string) => (typeof values[k] === "string" ? (values[k] as string) : undefined);
  return Object.fromEntries(
    Object.entries({
      name: s("name"),
      conditionKind: s("condition") ?? s("kind"),
      threshold: amount(s("threshold"), s("condition") ?? s("kind")),
      criticalThreshold: amount(s("critical"), s("condition") ?? s("kind")),
      windowMinutes: int(s("window")),
      minInvocations: int(s("min-invocations")),
      severity: s("severity"),
      resolveAfterMinutes: int(s("resolve-after")),
      channelIds: ids(s("channels")),
      ...scope(values),
    }).filter(([, v]) => v !== undefined),
  );
}

function refused(error: { issues: { path: PropertyKey[]; message: string }[] }): never {
  const i = error.issues[0];
  throw new CliError(`${i.path.map(String).join(".") || "input"}: ${i.message}`, 2);
}

async function add(args: string[]): Promise<number> {
  const { values } = parseCliArgs(args, OPTIONS);
  const parsed = PolicyInput.safeParse(inputFromFlags(values));
  if (!parsed.success) refused(parsed.error);
  const p = await createPolicy(parsed.data, pool(), CLI_ACTOR).catch((err: { status?: number; message?: string }) => {
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
  await deletePolicy(id, pool(), CLI_ACTOR).catch((err: { status?: number; message?: string }) => {
    if (err.status === 404) throw new CliError(err.message ?? "not found");
    throw err;
  });
  process.stdout.write(`removed alert policy ${id} and its incidents\n`);
  return 0;
}

function backtestReport(kind: string, r: BacktestView): string {
  const day = (iso: string) => iso.slice(0, 16).replace("T", " ");
  if (!r.evaluable) return `not backtestable: ${r.reason ?? kind}\n`;
  const lines = [`would have opened ${r.incidents} incident${r.incidents === 1 ? "" : "s"} from ${day(r.from)} to ${day(r.to)} UTC`];
  if (r.coveredFrom !== r.from) lines.push(`  (minute rollups start ${day(r.coveredFrom)} UTC: before it only hour rollups are kept, so the replay starts there)`);
  for (const x of r.resources) {
    const peak = x.peakValue === null ? "–" : shown(kind, x.peakValue);
    lines.push(`${String(x.incidents).padStart(5)}  ${x.name}  first ${day(x.firstOpenedAt)}, last ${day(x.lastOpenedAt)}, peak ${peak}`);
  }
  return lines.join("\n") + "\n";
}

async function backtestCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs(args, BACKTEST_OPTIONS, true);
  let input: BacktestInput;
  if (positionals.length) {
    const id = Number(positionals[0]);
    if (!Number.isInteger(id) || id <= 0) throw new CliError("usage: osprey alerts backtest ID | --kind KIND --threshold N", 2);
    const p = await getPolicy(id).catch((err: { status?: number; message?: string }) => {
      if (err.status === 404) throw new CliError(err.message ?? "not found");
      throw err;
    });
    const { id: _i, isDefault: _d, openIncidents: _o, createdAt: _c, updatedAt: _u, ...stored } = p;
    input = BacktestInput.parse(stored);
  } else {
    const parsed = BacktestInput.safeParse(inputFromFlags(values));
    if (!parsed.success) refused(parsed.error);
    input = parsed.data;
  }
  const r = await backtestPolicy(input, { retentionDays: env().OSPREY_RETENTION_DAYS });
  process.stdout.write(values.json ? JSON.stringify({ data: r }, null, 2) + "\n" : backtestReport(input.conditionKind, r));
  return 0;
}
