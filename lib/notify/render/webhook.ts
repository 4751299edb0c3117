import { createHmac } from "node:crypto";
import { isDigest, type OutboxPayload } from "../payload";

export interface WebhookRequest {
  body: string;
  headers: Record<string, string>;
}

/** The signature a receiver recomputes: hex HMAC-SHA256 of "<timestamp>.<raw body>" under the channel's signing secret. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/**
 * The webhook's JSON body and headers. The body is the notice (or digest) with what a receiver needs
 * to deduplicate; X-Osprey-Signature carries `t=<unix seconds>,v1=<hex>` so a receiver can refuse a
 * forged or replayed call (README: "Verifying webhook signatures").
 */
export function renderWebhook(p: OutboxPayload, opts: { idempotencyKey: string; notificationId: number; secret: string; now: number }): WebhookRequest {
  const t = Math.floor(opts.now / 1000);
  const body = JSON.stringify({
    type: isDigest(p) ? "digest" : `incident.${p.event}`,
    idempotencyKey: opts.idempotencyKey,
    notificationId: opts.notificationId,
    sentAt: new Date(opts.now).toISOString(),
    ...(isDigest(p) ? { digest: p } : { notice: p, topError: p.topError }),
  });
  return {
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": "Osprey-Webhook/1",
      "x-osprey-event": isDigest(p) ? "digest" : p.event,
      "x-osprey-idempotency-key": opts.idempotencyKey,
      "x-osprey-timestamp": String(t),
      "x-osprey-signature": `t=${t},v1=${webhookSignature(opts.secret, t, body)}`,
    },
  };
}
