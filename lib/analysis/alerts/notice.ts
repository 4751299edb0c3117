/**
 * What a notification says: the contract between alert evaluation (which writes it into the
 * notification outbox in the same transaction as the incident change it announces) and delivery
 * (which renders it for each channel: Slack, e-mail, webhook, PagerDuty, SNS). Plain data, so it
 * is stored in the outbox as JSON and rendered by pure functions.
 */

export const ALERT_SEVERITIES = ["critical", "warning", "info"] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/**
 * - opened: a new incident.
 * - escalated: its severity rose (a re-notification).
 * - resolved: the condition has been clear for the policy's resolve delay, or someone resolved it.
 * - acknowledged: someone took it.
 * - test: the "send test" button of a channel; no incident behind it.
 */
export const NOTICE_EVENTS = ["opened", "escalated", "resolved", "acknowledged", "test"] as const;
export type NoticeEvent = (typeof NOTICE_EVENTS)[number];

export interface IncidentNotice {
  event: NoticeEvent;
  /** null for a channel test */
  incidentId: number | null;
  policy: { id: number; name: string } | null;
  severity: AlertSeverity;
  /** One line: "checkout: error rate 12.5 % ≥ 5 % over the last 10 min (40 invocations)". */
  title: string;
  /** What the condition measured, as the page it links to shows it (same definition, same number). */
  condition: {
    /** e.g. "error_rate", "p95_duration", "new_error_group" */
    kind: string;
    /** Human label of the figure, e.g. "Error rate (failed / invocations)". */
    label: string;
    value: number | null;
    threshold: number | null;
    /** How value and threshold are shown, e.g. "percent", "ms", "usd", "count", "seconds". */
    unit: string;
    windowMinutes: number | null;
  };
  resource: { id: number; name: string; kind: string; arn: string; region: string; accountName: string } | null;
  /** The top error group of the incident's window, when there is one. */
  topError: { groupId: number; errorType: string; message: string; topFrame: string | null; /** The error group's page. */ url?: string } | null;
  /** Absolute links into Osprey (the base URL is configuration): the incident, the resource filtered to the failing invocations, their logs. */
  links: { incident: string | null; resource: string | null; logs: string | null };
  /** When the change happened (ms since the epoch). */
  at: number;
}
