import type { AlertSeverity, IncidentNotice } from "@/lib/analysis/alerts/notice";

/** Several notices of one channel sent as one message, when a burst goes past the channel's rate limit. */
export interface DigestNotice {
  event: "digest";
  title: string;
  /** How many notices the digest stands for; `notices` holds at most DIGEST_KEEP of them. */
  total: number;
  notices: IncidentNotice[];
  at: number;
}

/** What an outbox row carries: one notice, or a digest of several. */
export type OutboxPayload = IncidentNotice | DigestNotice;

export const DIGEST_KEEP = 50;

export const isDigest = (p: OutboxPayload): p is DigestNotice => p.event === "digest";

const RANK: Record<AlertSeverity, number> = { critical: 3, warning: 2, info: 1 };

export function makeDigest(notices: IncidentNotice[], at: number): DigestNotice {
  const worst = notices.reduce<AlertSeverity>((w, n) => (RANK[n.severity] > RANK[w] ? n.severity : w), "info");
  return {
    event: "digest",
    title: `${notices.length} notifications (${worst} at worst) folded into one message by the channel's rate limit`,
    total: notices.length,
    notices: notices.slice(0, DIGEST_KEEP),
    at,
  };
}

/** The worst severity of a payload: a digest is as severe as its worst notice. */
export function severityOf(p: OutboxPayload): AlertSeverity {
  if (!isDigest(p)) return p.severity;
  return p.notices.reduce<AlertSeverity>((w, n) => (RANK[n.severity] > RANK[w] ? n.severity : w), "info");
}
