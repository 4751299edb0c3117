import type pg from "pg";

export interface DeliveryTimelineEntry {
  incidentId: number;
  outboxId: number;
  event: string;
  channel: { id: number; name: string; kind: string };
  status: "sent" | "failed";
  detail: string | null;
  at: number;
}

/**
 * Appends "notified" (or "delivery_failed") to each incident's timeline (alerts-core's incident_events:
 * incident_id, at, kind, actor, detail). Nothing while that table does not exist, and nothing for a
 * notice whose incident is gone (or never was: the outbox has no foreign key to incidents).
 */
export async function recordDeliveryInTimeline(db: Pick<pg.Pool, "query">, entries: readonly DeliveryTimelineEntry[]): Promise<void> {
  if (!entries.length) return;
  const { rows } = await db.query<{ t: string | null }>("SELECT to_regclass('incident_events')::text AS t");
  if (!rows[0]?.t) return;
  await db.query(
    `INSERT INTO incident_events (incident_id, at, kind, actor, detail)
     SELECT e.incident_id, e.at, e.kind, 'osprey', e.detail
       FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::jsonb[]) AS e(incident_id, at, kind, detail)
      WHERE EXISTS (SELECT 1 FROM incidents i WHERE i.id = e.incident_id)`,
    [
      entries.map((e) => e.incidentId),
      entries.map((e) => new Date(e.at)),
      entries.map((e) => (e.status === "sent" ? "notified" : "delivery_failed")),
      entries.map((e) => JSON.stringify({ channelId: e.channel.id, channel: e.channel.name, channelKind: e.channel.kind, notificationId: e.outboxId, event: e.event, [e.status === "sent" ? "info" : "error"]: e.detail })),
    ],
  );
}
