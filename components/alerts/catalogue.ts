/**
 * The condition catalogue (lib/analysis/alerts/evaluate.ts CONDITIONS) as the Alerts UI reads it:
 * the kind picker, units, help text and "the condition in words" come from each entry's spec
 * (label, unit, appliesTo, source, usesMinInvocations, usesThreshold), so a kind added to the
 * catalogue appears here with no change.
 */
import { CONDITION_KINDS, CONDITIONS, type ConditionSpec, type ConditionTarget } from "@/lib/analysis/alerts/evaluate";

export interface KindInfo {
  kind: string;
  label: string;
  /** The label without its "(how it is computed)" tail, for sentences. */
  short: string;
  unit: string;
  group: string;
  /** What it is evaluated on: the resource kind the scope picker lists, any resource, or an account and region. */
  appliesTo: ConditionTarget;
  /** The resource kind the picker lists (lambda for kinds about any resource). */
  resourceKind: string;
  help: string | null;
  usesMinInvocations: boolean;
  /** False for kinds that fire on the window alone (no invocations, stale ingest): no threshold to type. */
  hasThreshold: boolean;
  /** Kinds that may look back up to a week (a daily schedule); others a day. */
  maxWindowMinutes: number;
}

const GROUP_LABEL: Record<ConditionTarget, string> = {
  lambda: "Functions (Lambda)",
  sqs: "Queues (SQS)",
  apigateway: "APIs (API Gateway)",
  dynamodb: "Tables (DynamoDB)",
  any: "Insights",
  account_region: "Osprey itself",
};

const SOURCE_HELP: Record<ConditionSpec["source"], string> = {
  rollups: "Measured from the invocations Osprey ingested (minute rollups).",
  cloudwatch: "Measured from CloudWatch metrics; no data in the window never fires.",
  events: "Fires on events: error groups, insights or ingest runs.",
};

const WEEK_WINDOW_KINDS = new Set(["no_invocations", "ingest_stale"]);

export function kindInfo(kind: string): KindInfo {
  const e: ConditionSpec = (CONDITIONS as Record<string, ConditionSpec | undefined>)[kind] ?? {
    label: kind.replace(/_/g, " "), unit: "count", appliesTo: "lambda", source: "rollups", usesMinInvocations: true, usesThreshold: true,
  };
  return {
    kind,
    label: e.label,
    short: e.label.replace(/\s*\([^)]*\)\s*$/, ""),
    unit: e.unit,
    group: GROUP_LABEL[e.appliesTo],
    appliesTo: e.appliesTo,
    resourceKind: e.appliesTo === "any" || e.appliesTo === "account_region" ? "lambda" : e.appliesTo,
    help: SOURCE_HELP[e.source],
    usesMinInvocations: e.usesMinInvocations,
    hasThreshold: e.usesThreshold,
    maxWindowMinutes: WEEK_WINDOW_KINDS.has(kind) ? 7 * 1440 : 1440,
  };
}

/** Insight severities as the insight_opened threshold stores them (a rank). */
export const SEVERITY_RANKS = [
  { rank: 0, label: "info" },
  { rank: 1, label: "warning" },
  { rank: 2, label: "critical" },
] as const;

/** Every kind, in catalogue order, grouped (groups in order of first appearance). */
export function kindGroups(): { group: string; kinds: KindInfo[] }[] {
  const out: { group: string; kinds: KindInfo[] }[] = [];
  for (const k of CONDITION_KINDS as readonly string[]) {
    const info = kindInfo(k);
    let g = out.find((x) => x.group === info.group);
    if (!g) out.push((g = { group: info.group, kinds: [] }));
    g.kinds.push(info);
  }
  return out;
}

/** What the threshold field's unit is called next to the input. */
export function unitSuffix(unit: string): string {
  switch (unit) {
    case "percent":
      return "%";
    case "count":
      return "";
    case "usd":
      return "USD";
    case "ms":
      return "ms";
    case "minutes":
      return "min";
    case "seconds":
      return "s";
    case "pct":
      return "%";
    case "severity":
      return "";
    default:
      return unit;
  }
}

/** A stored value as the user types it: percent is stored as a share 0..1 and shown ×100. */
export function toDisplay(unit: string, stored: number): number {
  return unit === "percent" ? Number((stored * 100).toPrecision(12)) : stored;
}

/** A typed value as the API stores it. */
export function toStored(unit: string, shown: number): number {
  return unit === "percent" ? Number((shown / 100).toPrecision(12)) : shown;
}

/** A stored value in words with its unit: "5 %", "1,500 ms", "$0.50", "3". */
export function formatValue(unit: string, stored: number): string {
  const n = toDisplay(unit, stored);
  const num = n.toLocaleString("en-US", { maximumFractionDigits: unit === "usd" ? 4 : 3 });
  switch (unit) {
    case "percent":
    case "pct":
      return `${num} %`;
    case "severity":
      return SEVERITY_RANKS.find((r) => r.rank === n)?.label ?? num;
    case "usd":
      return `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 4 })}`;
    case "count":
      return num;
    default:
      return `${num} ${unitSuffix(unit)}`;
  }
}

export interface ConditionFields {
  conditionKind: string;
  threshold: number;
  criticalThreshold: number | null;
  windowMinutes: number;
  minInvocations: number;
}

/** "Error rate ≥ 5 % over 10 min, at least 10 invocations; critical at 25 %". */
export function conditionInWords(p: ConditionFields): string {
  const k = kindInfo(p.conditionKind);
  if (k.unit === "severity") return `An insight of ${formatValue(k.unit, p.threshold)} or higher opened in the last ${p.windowMinutes} min`;
  let out = k.hasThreshold ? `${k.short} ≥ ${formatValue(k.unit, p.threshold)} over ${p.windowMinutes} min` : `${k.short} (checked over ${p.windowMinutes} min)`;
  if (k.usesMinInvocations && p.minInvocations > 0) out += `, at least ${p.minInvocations.toLocaleString("en-US")} invocation${p.minInvocations === 1 ? "" : "s"}`;
  if (k.hasThreshold && p.criticalThreshold !== null) out += `; critical at ${formatValue(k.unit, p.criticalThreshold)}`;
  return out;
}

export interface ScopeFields {
  scopeKind: string;
  accountId: number | null;
  region: string | null;
  tagKey: string | null;
  tagValue: string | null;
  resourceIds: number[];
}

/** "Everything", "Account prod", "Region eu-west-1", "Tag team=payments", "2 resources: a, b". */
export function scopeInWords(s: ScopeFields, names: { account?: (id: number) => string | undefined; resource?: (id: number) => string | undefined } = {}): string {
  switch (s.scopeKind) {
    case "all":
      return "Everything";
    case "account":
      return `Account ${(s.accountId !== null && names.account?.(s.accountId)) || `#${s.accountId}`}`;
    case "region":
      return `Region ${s.region}`;
    case "tag":
      return `Tag ${s.tagKey}${s.tagValue ? `=${s.tagValue}` : ""}`;
    case "resources": {
      const shown = s.resourceIds.slice(0, 3).map((id) => names.resource?.(id) ?? `#${id}`);
      const more = s.resourceIds.length - shown.length;
      const n = s.resourceIds.length;
      return `${n === 1 ? "1 resource" : `${n} resources`}: ${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
    }
    default:
      return s.scopeKind;
  }
}
