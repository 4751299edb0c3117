/** Builds the IncidentNotice of an incident change (pure): the title, the figure as pages show it, the links. */
import { CONDITIONS, type ConditionKind } from "./evaluate";
import type { AlertSeverity, IncidentNotice, NoticeEvent } from "./notice";

/** What every incident notice is made from, whatever the incident is about. */
export interface NoticeBase {
  event: NoticeEvent;
  incidentId: number;
  policy: { id: number; name: string };
  severity: AlertSeverity;
  kind: ConditionKind;
  /** As evaluated: shares 0..1 for rates. */
  value: number | null;
  threshold: number;
  windowMinutes: number;
  at: number;
  baseUrl: string;
}

export interface NoticeInput extends NoticeBase {
  invocations: number;
  resource: { id: number; name: string; kind: string; arn: string; region: string; accountName: string };
  /** The resource's most frequent error group in the window (lib/db/alerts/top-errors.ts), if any. */
  topError?: { groupId: number; errorType: string; message: string; topFrame: string | null } | null;
}

/** Rates are shown as percentages, as pages show them; everything else as evaluated. */
export function displayed(kind: ConditionKind, v: number): number {
  return CONDITIONS[kind].unit === "percent" ? v * 100 : v;
}

function format(kind: ConditionKind, v: number): string {
  const unit = CONDITIONS[kind].unit;
  if (unit === "percent") return `${(v * 100).toFixed(1)} %`;
  if (unit === "ms") return `${Math.round(v)} ms`;
  if (unit === "usd") return `$${v.toFixed(2)}/h`;
  return String(v);
}

export function composeNotice(n: NoticeInput): IncidentNotice {
  const c = CONDITIONS[n.kind];
  const what = c.label.replace(/ \(.*\)$/, "").toLowerCase();
  const value = n.value === null ? "no data" : format(n.kind, n.value);
  const verb = n.event === "resolved" ? "back to" : n.event === "escalated" ? "rose to" : "";
  const title =
    n.event === "resolved"
      ? `${n.resource.name}: ${what} ${verb} ${value} (threshold ${format(n.kind, n.threshold)}); resolved`
      : `${n.resource.name}: ${what} ${verb ? `${verb} ` : ""}${value} ≥ ${format(n.kind, n.threshold)} over the last ${n.windowMinutes} min (${n.invocations} invocations)`;
  const from = n.at - n.windowMinutes * 60_000;
  // ISO instants: the pages' time range reads them (lib: components/hooks/use-time-range.ts).
  const range = `from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(n.at).toISOString())}`;
  return {
    event: n.event,
    incidentId: n.incidentId,
    policy: n.policy,
    severity: n.severity,
    title,
    condition: { kind: n.kind, label: c.label, value: n.value === null ? null : displayed(n.kind, n.value), threshold: displayed(n.kind, n.threshold), unit: c.unit, windowMinutes: n.windowMinutes },
    resource: n.resource,
    topError: n.topError
      ? { groupId: n.topError.groupId, errorType: n.topError.errorType, message: n.topError.message, topFrame: n.topError.topFrame, url: `${n.baseUrl}/errors/${n.topError.groupId}` }
      : null,
    links: {
      incident: `${n.baseUrl}/incidents/${n.incidentId}`,
      resource: `${n.baseUrl}/functions/${n.resource.id}?errors=1&${range}`,
      logs: `${n.baseUrl}/search?q=level%3AERROR&resource=${n.resource.id}&${range}`,
    },
    at: n.at,
  };
}
