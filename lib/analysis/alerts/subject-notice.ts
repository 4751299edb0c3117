/**
 * The IncidentNotice of an incident that has no resource (ingest_stale: an account and region), pure.
 * Incidents of a resource use composeNotice (compose-notice.ts); this one links to the overview's
 * ingest health of that account and region instead of a function page.
 */
import type { NoticeBase } from "./compose-notice";
import { CONDITIONS } from "./evaluate";
import type { IncidentNotice } from "./notice";

export interface SubjectNoticeInput extends NoticeBase {
  subject: { accountId: number; accountName: string; region: string };
}

export function composeSubjectNotice(n: SubjectNoticeInput): IncidentNotice {
  const c = CONDITIONS[n.kind];
  const where = `${n.subject.accountName} ${n.subject.region}`;
  const since = n.value === null ? "no successful ingest run" : `last successful ingest ${n.value} min ago`;
  const title =
    n.event === "resolved"
      ? `${where}: ingest is fresh again; resolved`
      : `${where}: ingest stale, ${since} (≥ ${n.windowMinutes} min)`;
  const overview = `${n.baseUrl}/?account=${n.subject.accountId}&region=${encodeURIComponent(n.subject.region)}`;
  return {
    event: n.event,
    incidentId: n.incidentId,
    policy: n.policy,
    severity: n.severity,
    title,
    condition: { kind: n.kind, label: c.label, value: n.value, threshold: n.windowMinutes, unit: c.unit, windowMinutes: n.windowMinutes },
    resource: null,
    topError: null,
    links: { incident: `${n.baseUrl}/incidents/${n.incidentId}`, resource: overview, logs: null },
    at: n.at,
  };
}
