import type { IncidentNotice } from "@/lib/analysis/alerts/notice";
import { facts, headline, links, topErrorLines, truncate } from "./common";

// Events API v2 limits: summary 1024 characters, dedup_key 255.
const SUMMARY_MAX = 1024;
const DEDUP_MAX = 255;

export interface PagerDutyEvent {
  routing_key: string;
  event_action: "trigger" | "acknowledge" | "resolve";
  dedup_key: string;
  payload?: {
    summary: string;
    source: string;
    severity: "critical" | "error" | "warning" | "info";
    timestamp: string;
    component?: string;
    group?: string;
    class?: string;
    custom_details: Record<string, unknown>;
  };
  links?: { href: string; text: string }[];
  client?: string;
  client_url?: string;
}

/** One PagerDuty alert per incident: the dedup key names the incident, so trigger, acknowledge and resolve meet, and a resend merges. */
export function pagerDutyDedupKey(n: IncidentNotice, idempotencyKey: string): string {
  return truncate(n.incidentId !== null ? `osprey-incident-${n.incidentId}` : `osprey-${idempotencyKey}`, DEDUP_MAX);
}

const ACTION = { opened: "trigger", escalated: "trigger", test: "trigger", acknowledged: "acknowledge", resolved: "resolve" } as const;

/** An Events API v2 event: opened and escalated trigger (the payload carries the new severity), acknowledged and resolved close the loop. */
export function renderPagerDuty(n: IncidentNotice, opts: { routingKey: string; idempotencyKey: string }): PagerDutyEvent {
  const action = ACTION[n.event];
  const base = { routing_key: opts.routingKey, event_action: action, dedup_key: pagerDutyDedupKey(n, opts.idempotencyKey) };
  if (action !== "trigger") return base;
  const l = links(n);
  return {
    ...base,
    payload: {
      summary: truncate(headline(n), SUMMARY_MAX),
      source: n.resource?.arn || n.resource?.name || "osprey",
      severity: n.severity,
      timestamp: new Date(n.at).toISOString(),
      ...(n.resource ? { component: n.resource.name, group: n.resource.accountName } : {}),
      class: n.condition.kind,
      custom_details: {
        ...Object.fromEntries(facts(n).map((f) => [f.label, f.value])),
        ...(n.topError ? { "Top error": topErrorLines(n).join("\n"), ...(n.topError.url ? { "Top error group": n.topError.url } : {}) } : {}),
        ...(n.policy ? { policyId: n.policy.id } : {}),
        ...(n.incidentId !== null ? { incidentId: n.incidentId } : {}),
      },
    },
    links: l.map((x) => ({ href: x.url, text: x.label })),
    client: "Osprey",
    ...(n.links.incident ? { client_url: n.links.incident } : {}),
  };
}
