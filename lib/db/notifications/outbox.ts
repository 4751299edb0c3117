import type pg from "pg";
import type { IncidentNotice } from "@/lib/analysis/alerts/notice";

/**
 * Writes a notice into the outbox for each channel, on the caller's client, so it commits or rolls
 * back with the incident change it announces. The idempotency key names the notice (incident,
 * event, and a sequence the caller keeps, e.g. the incident event's id) and the channel: writing
 * the same notice twice inserts nothing the second time, and receivers that honour a key (a
 * webhook header, PagerDuty's dedup_key) see the same key on every retry.
 */
export async function enqueueNotices(client: pg.PoolClient, notice: IncidentNotice, channelIds: readonly number[], sequence: string | number): Promise<number> {
  if (channelIds.length === 0) return 0;
  const base = `${notice.incidentId ?? "test"}:${notice.event}:${sequence}`;
  const { rowCount } = await client.query(
    `INSERT INTO notification_outbox (channel_id, incident_id, event, notice, idempotency_key)
     SELECT c.id, $2, $3, $4::jsonb, $5 || ':' || c.id
       FROM channels c WHERE c.id = ANY($1::int[]) AND c.enabled
     ON CONFLICT (idempotency_key) DO NOTHING`,
    [channelIds, notice.incidentId, notice.event, JSON.stringify(notice), base],
  );
  return rowCount ?? 0;
}
