import { RESOURCE_KINDS } from "@/lib/resource-kinds";
import type { InsightView } from "@/lib/api/schemas/insights";
import { formatCount, formatMb, formatMs, formatUsd } from "../format";

export type Severity = InsightView["severity"];
export type Pillar = InsightView["pillar"];
export type InsightService = InsightView["service"];
export type InsightState = InsightView["state"];

export const SEVERITIES: readonly Severity[] = ["critical", "warning", "info"];
export const PILLARS: readonly Pillar[] = ["reliability", "performance", "cost", "security", "operational_excellence"];
export const SERVICES: readonly InsightService[] = RESOURCE_KINDS;

export const SEVERITY_LABEL: Record<Severity, string> = { critical: "Critical", warning: "Warning", info: "Info" };
/** Text, not colour alone, tells the severity apart. */
export const SEVERITY_ICON: Record<Severity, string> = { critical: "✖", warning: "▲", info: "ℹ" };
export const SEVERITY_BORDER: Record<Severity, string> = {
  critical: "border-l-red-500",
  warning: "border-l-amber-500",
  info: "border-l-sky-500",
};
export const SEVERITY_BADGE: Record<Severity, string> = {
  critical: "bg-red-100 text-red-800 dark:bg-red-500/15 dark:text-red-300",
  warning: "bg-amber-100 text-amber-900 dark:bg-amber-500/15 dark:text-amber-300",
  info: "bg-sky-100 text-sky-900 dark:bg-sky-500/15 dark:text-sky-300",
};

export const PILLAR_LABEL: Record<Pillar, string> = {
  reliability: "Reliability",
  performance: "Performance",
  cost: "Cost",
  security: "Security",
  operational_excellence: "Operational excellence",
};
export const SERVICE_LABEL: Record<InsightService, string> = {
  lambda: "Lambda",
  sqs: "SQS",
  apigateway: "API Gateway",
  dynamodb: "DynamoDB",
  kinesis: "Kinesis",
  firehose: "Firehose",
  stepfunctions: "Step Functions",
  sns: "SNS",
  eventbridge: "EventBridge",
};
export const STATE_LABEL: Record<InsightState, string> = { open: "Open", acknowledged: "Acknowledged", muted: "Muted", resolved: "Resolved" };

/** Where a resource of this service has its page; only functions have one so far. */
// Every kind of resource has its page under /functions/[id]: queues, APIs and tables show their CloudWatch metrics there.
export function resourceHref(i: Pick<InsightView, "service" | "resourceId">): string | null {
  return i.resourceId !== null ? `/functions/${i.resourceId}` : null;
}

const UNITS: [RegExp, (v: number) => string][] = [
  [/Pct$/, (v) => `${+v.toFixed(2)}%`],
  [/Usd$/, (v) => formatUsd(v)],
  [/Ms$/, (v) => formatMs(v)],
  [/MB$/, (v) => formatMb(v)],
  [/Hours$/, (v) => `${formatCount(v)} h`],
  [/Days$/, (v) => `${formatCount(v)} d`],
  [/[a-z]S$/, (v) => `${formatCount(v)} s`],
];

function words(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(" ")
    .map((w) => (/^[A-Z]{2,}$/.test(w) ? w : w.toLowerCase()))
    .join(" ");
}

/** An evidence or threshold key as words, with its unit suffix dropped: `timeoutRatePct` -> "timeout rate". */
export function keyLabel(key: string): string {
  const stripped = key.replace(/(Pct|Usd|Ms|MB|Hours|Days)$/, "").replace(/([a-z])S$/, "$1");
  const label = words(stripped || key);
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** The unit a threshold is measured in, for the label of its input. */
export function keyUnit(key: string): string | null {
  if (/Pct$/.test(key)) return "%";
  if (/Usd$/.test(key)) return "USD";
  if (/Ms$/.test(key)) return "ms";
  if (/MB$/.test(key)) return "MB";
  if (/Hours$/.test(key)) return "hours";
  if (/Days$/.test(key)) return "days";
  if (/[a-z]S$/.test(key)) return "s";
  return null;
}

export function formatEvidence(key: string, value: number | string | boolean): string {
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string") return value;
  for (const [re, fmt] of UNITS) if (re.test(key)) return fmt(value);
  if (/ratio$/i.test(key)) return `${+value.toFixed(2)}×`;
  return Number.isInteger(value) ? formatCount(value) : String(+value.toFixed(3));
}
