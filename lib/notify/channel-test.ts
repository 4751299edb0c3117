import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { IncidentNotice } from "@/lib/analysis/alerts/notice";
import { NotFoundError, ValidationError } from "@/lib/api/errors";
import type { TestResult } from "@/lib/api/schemas/channels";
import { recordAudit, type Actor } from "@/lib/db/audit";
import { enqueueNotices } from "@/lib/db/notifications/outbox";
import { publicUrl } from "@/lib/env";
import { deliverNotificationNow } from "./deliver";

export function testNotice(channelName: string, base: string, at: number): IncidentNotice {
  return {
    event: "test",
    incidentId: null,
    policy: null,
    severity: "info",
    title: `Test notification for channel "${channelName}"`,
    condition: { kind: "test", label: "Test", value: null, threshold: null, unit: "count", windowMinutes: null },
    resource: null,
    topError: null,
    links: { incident: `${base}/incidents`, resource: `${base}/functions`, logs: `${base}/search` },
    at,
  };
}

/** Writes a test notice to the outbox and sends it at once (past the rate limit, no retries), answering with what the receiver said. */
export async function sendChannelTest(db: pg.Pool, channelId: number, actor: Actor, now: () => number = Date.now): Promise<TestResult> {
  const { rows } = await db.query<{ name: string; enabled: boolean }>("SELECT name, enabled FROM channels WHERE id = $1", [channelId]);
  if (!rows[0]) throw new NotFoundError("Channel");
  if (!rows[0].enabled) throw new ValidationError("The channel is disabled: enable it to send a test");
  const client = await db.connect();
  let outboxId: number;
  try {
    await client.query("BEGIN");
    const sequence = randomUUID();
    await enqueueNotices(client, testNotice(rows[0].name, publicUrl(), now()), [channelId], sequence);
    // enqueueNotices' key: "<incident or test>:<event>:<sequence>:<channel>".
    const { rows: ids } = await client.query<{ id: string }>("SELECT id FROM notification_outbox WHERE idempotency_key = $1", [`test:test:${sequence}:${channelId}`]);
    if (!ids[0]) throw new ValidationError("The channel is disabled: enable it to send a test");
    outboxId = Number(ids[0].id);
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
  const r = await deliverNotificationNow(db, outboxId, { now });
  await recordAudit(db, actor, "channel.tested", { kind: "channel", id: channelId, name: rows[0].name }, { status: r?.status ?? "pending" });
  if (!r) return { ok: false, status: "pending", info: null, error: "another worker is sending it", ms: 0 };
  return { ok: r.status === "sent", status: r.status, info: r.info, error: r.error, ms: r.ms };
}
