import { CONDITIONS, isConditionKind } from "@/lib/analysis/alerts/evaluate";
import { DASH, formatCount, formatDateTime, formatMs, formatPercent, formatUsd } from "../format";
import type { IncidentWithTimeline } from "./use-incidents";

type TimelineEvent = IncidentWithTimeline["timeline"][number];

const SEVERITY_BY_RANK = ["info", "warning", "critical"];

/** A condition's value or threshold in the condition's unit (the catalogue's, lib/analysis/alerts/evaluate.ts). */
export function formatConditionValue(kind: string, v: number | null | undefined): string {
  if (v == null) return DASH;
  const unit = isConditionKind(kind) ? CONDITIONS[kind].unit : "count";
  switch (unit) {
    case "percent":
      return formatPercent(v);
    case "pct":
      return `${v.toLocaleString("en-US", { maximumFractionDigits: 1 })} %`;
    case "ms":
      return formatMs(v);
    case "seconds":
      return `${formatCount(v)} s`;
    case "minutes":
      return `${formatCount(v)} min`;
    case "usd":
      return `${formatUsd(v)}/h`;
    case "severity":
      return SEVERITY_BY_RANK[v] ?? formatCount(v);
    default:
      return formatCount(v);
  }
}

export function conditionLabel(kind: string): string {
  return isConditionKind(kind) ? CONDITIONS[kind].label : kind.replace(/_/g, " ");
}

function detailOf(e: TimelineEvent): Record<string, unknown> {
  return e.detail && typeof e.detail === "object" ? (e.detail as Record<string, unknown>) : {};
}

/** One timeline entry in words: who did what, through which channel. */
export function describeEvent(e: TimelineEvent, kind: string): string {
  const d = detailOf(e);
  const v = (x: unknown) => formatConditionValue(kind, typeof x === "number" ? x : null);
  switch (e.kind) {
    case "opened":
      return `Opened: ${v(d.value)} against a threshold of ${v(d.threshold)}${d.severity ? ` (${String(d.severity)})` : ""}`;
    case "escalated":
      return `Escalated to ${String(d.severity ?? "critical")}: ${v(d.value)}`;
    case "notified":
      return `Notified via ${String(d.channel ?? "a channel")}${d.channelKind ? ` (${String(d.channelKind)})` : ""}${d.event ? `: ${String(d.event)}` : ""}`;
    case "delivery_failed":
      return `Delivery via ${String(d.channel ?? "a channel")} failed${d.error ? `: ${String(d.error)}` : ""}`;
    case "acknowledged":
      return `Acknowledged by ${e.actor}`;
    case "snoozed":
      return `Snoozed by ${e.actor}${typeof d.minutes === "number" ? ` for ${d.minutes >= 60 ? `${d.minutes / 60} h` : `${d.minutes} min`}` : ""}${d.until ? ` (notifications held until ${formatDateTime(String(d.until))})` : ""}`;
    case "resolved":
      return e.actor === "osprey" ? `Resolved: back under the threshold${d.value !== undefined ? ` (${v(d.value)})` : ""}` : `Resolved by ${e.actor}`;
    case "flapped":
      return "Reopened soon after resolving (flapping)";
    default:
      return `${e.kind.replace(/_/g, " ")} by ${e.actor}`;
  }
}

/** The API query of the URL's filters; the resource filter applies to the answer, whose resources it offers. */
export function incidentsApiQuery(params: URLSearchParams): string {
  const q = new URLSearchParams();
  const state = params.get("state") ?? "";
  if (state !== "all") q.set("state", state || "active");
  for (const k of ["severity", "policy"]) {
    const v = params.get(k);
    if (v) q.set(k, v);
  }
  return q.toString();
}
