import { randomUUID } from "node:crypto";
import type pg from "pg";
import { DEFAULT_RATE_LIMIT, foldsBursts, type ChannelKind } from "@/lib/notify/channel-kinds";
import { makeDigest, type OutboxPayload } from "@/lib/notify/payload";
import { planChannel, RATE_WINDOW_MS, type NextStep } from "@/lib/notify/policy";
import type { IncidentNotice } from "@/lib/analysis/alerts/notice";
import { inTransaction } from "../transaction";

/** A row this worker holds (status 'sending') until it records the outcome or the claim runs out. */
export interface ClaimedNotification {
  id: number;
  channelId: number;
  incidentId: number | null;
  event: string;
  idempotencyKey: string;
  payload: OutboxPayload;
  attempts: number;
  createdAt: number;
  claimToken: string;
}

export interface ClaimOptions {
  now: number;
  /** how long a claim holds before another worker may take the row again (a worker killed mid-send) */
  leaseMs: number;
  /** rows per channel per claim */
  batch: number;
  /** channels per claim */
  channels: number;
}

interface OutRow {
  id: string;
  channel_id: number;
  incident_id: string | null;
  event: string;
  idempotency_key: string;
  notice: OutboxPayload;
  attempts: number;
  created_at: Date;
  claim_token: string;
}

const toClaimed = (r: OutRow): ClaimedNotification => ({
  id: Number(r.id),
  channelId: r.channel_id,
  incidentId: r.incident_id === null ? null : Number(r.incident_id),
  event: r.event,
  idempotencyKey: r.idempotency_key,
  payload: r.notice,
  attempts: r.attempts,
  createdAt: r.created_at.getTime(),
  claimToken: r.claim_token,
});

const RETURNING = "id, channel_id, incident_id, event, idempotency_key, notice, attempts, created_at, claim_token";

/**
 * Claims what is due, channel by channel, under each channel's rate limit. Channels and rows are
 * locked with SKIP LOCKED, so several workers share the work and never plan the same channel at once;
 * a row whose earlier claim ran out (its worker died mid-send) is due again and keeps its key.
 * Folding a burst writes the digest as a row of its own, in the same transaction, so it too is sent
 * once, with retries, under a key of its own.
 */
export async function claimDueNotifications(db: pg.Pool, opts: ClaimOptions): Promise<ClaimedNotification[]> {
  const now = new Date(opts.now);
  return inTransaction(db, async (c) => {
    const { rows: channels } = await c.query<{ id: number; kind: ChannelKind; enabled: boolean; rate_limit: number | null }>(
      `SELECT ch.id, ch.kind, ch.enabled, (ch.config->>'rateLimitPerMinute')::int AS rate_limit FROM channels ch
        WHERE EXISTS (SELECT 1 FROM notification_outbox o WHERE o.channel_id = ch.id AND o.status IN ('pending', 'sending') AND o.next_attempt_at <= $1)
        ORDER BY ch.id LIMIT $2 FOR NO KEY UPDATE SKIP LOCKED`,
      [now, opts.channels],
    );
    const claimed: ClaimedNotification[] = [];
    for (const ch of channels) {
      if (!ch.enabled) {
        await c.query(
          `UPDATE notification_outbox SET status = 'failed', last_error = 'channel disabled', claim_token = NULL
            WHERE channel_id = $1 AND status IN ('pending', 'sending') AND next_attempt_at <= $2`,
          [ch.id, now],
        );
        continue;
      }
      const { rows: due } = await c.query<{ id: string; attempts: number; event: string }>(
        `SELECT id, attempts, event FROM notification_outbox
          WHERE channel_id = $1 AND status IN ('pending', 'sending') AND next_attempt_at <= $2
          ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED`,
        [ch.id, now, opts.batch],
      );
      if (!due.length) continue;
      const { rows: recent } = await c.query<{ t: Date }>(
        `SELECT last_attempt_at AS t FROM notification_outbox WHERE channel_id = $1 AND last_attempt_at > $2 AND status <> 'folded'`,
        [ch.id, new Date(opts.now - RATE_WINDOW_MS)],
      );
      const plan = planChannel(
        due.map((r) => ({ id: Number(r.id), attempts: r.attempts, digest: r.event === "digest" })),
        { limit: ch.rate_limit ?? DEFAULT_RATE_LIMIT, recentAttempts: recent.map((r) => r.t.getTime()), now: opts.now, folds: foldsBursts(ch.kind) },
      );
      const token = randomUUID();
      const send = [...plan.send];
      if (plan.fold.length) {
        const { rows: notices } = await c.query<{ notice: IncidentNotice }>("SELECT notice FROM notification_outbox WHERE id = ANY($1::bigint[]) ORDER BY id", [plan.fold]);
        const digest = makeDigest(notices.map((r) => r.notice), opts.now);
        const { rows: d } = await c.query<{ id: string }>(
          `INSERT INTO notification_outbox (channel_id, event, notice, idempotency_key, created_at, next_attempt_at) VALUES ($1, 'digest', $2::jsonb, $3, $4, $4) RETURNING id`,
          [ch.id, JSON.stringify(digest), `digest:${ch.id}:${plan.fold[0]}-${plan.fold[plan.fold.length - 1]}`, now],
        );
        await c.query(`UPDATE notification_outbox SET status = 'folded', folded_into = $2, claim_token = NULL WHERE id = ANY($1::bigint[])`, [plan.fold, d[0].id]);
        send.push(Number(d[0].id));
      }
      if (plan.wait.length && plan.until !== null) {
        await c.query(`UPDATE notification_outbox SET status = 'pending', claim_token = NULL, next_attempt_at = $2 WHERE id = ANY($1::bigint[])`, [plan.wait, new Date(plan.until)]);
      }
      if (send.length) {
        const { rows } = await c.query<OutRow>(
          `UPDATE notification_outbox SET status = 'sending', attempts = attempts + 1, claim_token = $2, last_attempt_at = $3, next_attempt_at = $4
            WHERE id = ANY($1::bigint[]) RETURNING ${RETURNING}`,
          [send, token, now, new Date(opts.now + opts.leaseMs)],
        );
        const order = new Map(send.map((id, i) => [id, i]));
        claimed.push(...rows.map(toClaimed).sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0)));
      }
    }
    return claimed;
  });
}

/** Claims one row by id, whatever the rate limit (a channel test the user asked for). Null when someone else holds it. */
export async function claimNotification(db: pg.Pool, id: number, opts: { now: number; leaseMs: number }): Promise<ClaimedNotification | null> {
  return inTransaction(db, async (c) => {
    const { rows } = await c.query<{ id: string }>(`SELECT id FROM notification_outbox WHERE id = $1 AND status IN ('pending', 'sending') AND next_attempt_at <= $2 FOR UPDATE SKIP LOCKED`, [id, new Date(opts.now)]);
    if (!rows.length) return null;
    const { rows: out } = await c.query<OutRow>(
      `UPDATE notification_outbox SET status = 'sending', attempts = attempts + 1, claim_token = $2, last_attempt_at = $3, next_attempt_at = $4 WHERE id = $1 RETURNING ${RETURNING}`,
      [id, randomUUID(), new Date(opts.now), new Date(opts.now + opts.leaseMs)],
    );
    return toClaimed(out[0]);
  });
}

/** Records what happened to a claimed row; nothing when the claim was lost meanwhile (another worker took the row over). */
export async function recordDelivery(
  db: Pick<pg.Pool, "query">,
  n: ClaimedNotification,
  step: NextStep,
  result: { info: string | null; error: string | null; now: number },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE notification_outbox
        SET status = $3, delivery_info = COALESCE($4, delivery_info), last_error = $5,
            sent_at = CASE WHEN $3 = 'sent' THEN $6 ELSE sent_at END,
            next_attempt_at = COALESCE($7, next_attempt_at), claim_token = NULL
      WHERE id = $1 AND claim_token = $2 AND status = 'sending'`,
    [n.id, n.claimToken, step.status, result.info, result.error, new Date(result.now), step.status === "pending" ? new Date(step.nextAttemptAt) : null],
  );
  return (rowCount ?? 0) > 0;
}

/** The incidents a delivered row speaks for: its own, or those of the notices a digest carried. */
export async function incidentsOf(db: Pick<pg.Pool, "query">, n: ClaimedNotification): Promise<{ outboxId: number; incidentId: number; event: string }[]> {
  if (n.event !== "digest") return n.incidentId === null ? [] : [{ outboxId: n.id, incidentId: n.incidentId, event: n.event }];
  const { rows } = await db.query<{ id: string; incident_id: string; event: string }>(
    "SELECT id, incident_id, event FROM notification_outbox WHERE folded_into = $1 AND incident_id IS NOT NULL ORDER BY id",
    [n.id],
  );
  return rows.map((r) => ({ outboxId: Number(r.id), incidentId: Number(r.incident_id), event: r.event }));
}

/** Forgets notifications that are done (sent, folded, failed) once older than the retention, as raw data is. */
export async function pruneNotifications(db: Pick<pg.Pool, "query">, retentionDays: number, now: number): Promise<number> {
  const { rowCount } = await db.query("DELETE FROM notification_outbox WHERE status IN ('sent', 'folded', 'failed') AND created_at < $1", [new Date(now - retentionDays * 86_400_000)]);
  return rowCount ?? 0;
}
