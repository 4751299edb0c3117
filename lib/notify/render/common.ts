import type { IncidentNotice, NoticeEvent } from "@/lib/analysis/alerts/notice";
import { formatCount, formatMs, formatPercent, formatUsd } from "@/components/format";

export const EVENT_LABEL: Record<NoticeEvent, string> = {
  opened: "Opened",
  escalated: "Escalated",
  resolved: "Resolved",
  acknowledged: "Acknowledged",
  test: "Test",
};

export const SEVERITY_LABEL = { critical: "CRITICAL", warning: "WARNING", info: "INFO" } as const;

export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, Math.max(0, max - 1))}…`;
}

/** A figure as the pages show it. Notices give percentages in percent points (12.5 is 12.5 %). */
export function formatFigure(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return "–";
  switch (unit) {
    case "percent":
      return formatPercent(value / 100);
    case "usd_per_hour":
      return `${formatUsd(value)}/h`;
    case "usd_per_day":
      return `${formatUsd(value)}/day`;
    case "minutes":
      return `${formatCount(value)} min`;
    case "ms":
      return formatMs(value);
    case "seconds":
      return formatMs(value * 1000);
    case "usd":
      return formatUsd(value);
    case "count":
      return formatCount(value);
    default:
      return `${formatCount(value)} ${unit}`.trim();
  }
}

/** One line: "[CRITICAL] Opened: checkout: error rate 12.5 % ≥ 5 % …". */
export function headline(n: IncidentNotice): string {
  if (n.event === "test") return `[TEST] ${n.title}`;
  return `[${SEVERITY_LABEL[n.severity]}] ${EVENT_LABEL[n.event]}: ${n.title}`;
}

export interface Fact {
  label: string;
  value: string;
}

/** The facts every message shows, in order, as plain text. */
export function facts(n: IncidentNotice): Fact[] {
  const out: Fact[] = [{ label: "Severity", value: n.severity }];
  const c = n.condition;
  if (c.value !== null || c.threshold !== null) {
    out.push({ label: c.label || "Value", value: c.threshold !== null ? `${formatFigure(c.value, c.unit)} (threshold ${formatFigure(c.threshold, c.unit)})` : formatFigure(c.value, c.unit) });
  }
  if (c.windowMinutes) out.push({ label: "Window", value: `last ${c.windowMinutes} min` });
  if (n.resource) out.push({ label: "Resource", value: `${n.resource.name} (${n.resource.kind}, ${n.resource.region}, ${n.resource.accountName})` });
  if (n.policy) out.push({ label: "Policy", value: n.policy.name });
  out.push({ label: "At", value: new Date(n.at).toISOString() });
  return out;
}

export function topErrorLines(n: IncidentNotice): string[] {
  if (!n.topError) return [];
  const e = n.topError;
  return [`${e.errorType}: ${truncate(e.message, 500)}`, ...(e.topFrame ? [`at ${truncate(e.topFrame, 300)}`] : [])];
}

export interface Link {
  label: string;
  url: string;
}

/** The incident, its failing invocations, their logs and the top error group: whichever the notice has. */
export function links(n: IncidentNotice): Link[] {
  const out: Link[] = [];
  if (n.links.incident) out.push({ label: "Open incident", url: n.links.incident });
  if (n.links.resource) out.push({ label: "Failing invocations", url: n.links.resource });
  if (n.links.logs) out.push({ label: "Logs", url: n.links.logs });
  if (n.topError?.url) out.push({ label: "Error group", url: n.topError.url });
  return out;
}

/** The whole notice as plain text (e-mail text part, SNS default message). */
export function plainText(n: IncidentNotice): string {
  const f = facts(n);
  const width = Math.max(...f.map((x) => x.label.length), "Top error".length) + 2;
  const lines = [headline(n), "", ...f.map((x) => `${`${x.label}:`.padEnd(width)}${x.value}`)];
  const err = topErrorLines(n);
  if (err.length) lines.push(`${"Top error:".padEnd(width)}${err[0]}`, ...err.slice(1).map((l) => `${"".padEnd(width)}${l}`));
  const l = links(n);
  if (l.length) lines.push("", ...l.map((x) => `${x.label}: ${x.url}`));
  return lines.join("\n");
}
