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
 * Appends "notified" (or "notification failed") to each incident's timeline.
 * Hook for the incident timeline of alerts-core: until its table is in main this records nothing.
 */
export async function recordDeliveryInTimeline(_db: Pick<pg.Pool, "query">, _entries: readonly DeliveryTimelineEntry[]): Promise<void> {}
