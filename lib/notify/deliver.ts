import type pg from "pg";
import { loadAccount } from "@/lib/db/account-access";
import { loadChannel, loadChannels, type Channel } from "@/lib/db/notifications/channels";
import { claimDueNotifications, claimNotification, incidentsOf, recordDelivery, type ClaimedNotification } from "@/lib/db/notifications/delivery";
import { recordDeliveryInTimeline } from "@/lib/db/notifications/timeline";
import { childLog } from "@/lib/log";
import { mapLimit } from "@/lib/util/map-limit";
import { nextStep, type NextStep, type SendOutcome } from "./policy";
import { sendNotification } from "./send/dispatch";

const log = childLog("notifications");

/** A claim outlasts the slowest send (10 s HTTP, 40 s SMTP at worst) many times over. */
export const LEASE_MS = 120_000;

export interface DeliverOptions {
  now?: () => number;
  leaseMs?: number;
  /** sends in flight at once */
  concurrency?: number;
  random?: () => number;
}

export interface DeliveryResult {
  id: number;
  channelId: number;
  status: NextStep["status"];
  info: string | null;
  error: string | null;
  ms: number;
}

async function deliverOne(db: pg.Pool, channel: Channel | undefined, n: ClaimedNotification, opts: Required<Pick<DeliverOptions, "now" | "random">>): Promise<DeliveryResult> {
  const started = opts.now();
  const outcome: SendOutcome = channel
    ? await sendNotification(channel, { id: n.id, idempotencyKey: n.idempotencyKey, payload: n.payload }, { now: opts.now, loadAccount: (id) => loadAccount(db, id) })
    : { ok: false, permanent: true, error: "channel removed" };
  const now = opts.now();
  const step = nextStep(outcome, { attempts: n.attempts, createdAt: n.createdAt, retries: n.event !== "test" }, now, opts.random);
  const info = outcome.ok ? outcome.info : null;
  const error = outcome.ok ? null : outcome.error;
  const recorded = await recordDelivery(db, n, step, { info, error, now });
  // Ids, kind and outcome only: never the channel's settings, its URL or the payload.
  const fields = { notificationId: n.id, channelId: n.channelId, kind: channel?.kind, event: n.event, attempt: n.attempts, status: step.status, ms: now - started };
  if (!recorded) log.warn(fields, "claim lost before the outcome was recorded (another worker took the notification over)");
  else if (step.status === "sent") log.info({ ...fields, info }, "notification delivered");
  else log.warn({ ...fields, error, ...(step.status === "pending" ? { nextAttemptAt: new Date(step.nextAttemptAt).toISOString() } : {}) }, step.status === "failed" ? "notification failed for good" : "notification will be retried");
  if (recorded && channel && (step.status === "sent" || step.status === "failed")) {
    const incidents = await incidentsOf(db, n);
    if (incidents.length) {
      await recordDeliveryInTimeline(
        db,
        incidents.map((i) => ({ ...i, channel: { id: channel.id, name: channel.name, kind: channel.kind }, status: step.status as "sent" | "failed", detail: info ?? error, at: now })),
      ).catch((err: unknown) => log.warn({ err, notificationId: n.id }, "could not append the delivery to the incident timeline"));
    }
  }
  return { id: n.id, channelId: n.channelId, status: step.status, info, error, ms: now - started };
}

/** Sends everything due, claim after claim, until nothing is left that may go now. */
export async function deliverDueNotifications(db: pg.Pool, options: DeliverOptions = {}): Promise<DeliveryResult[]> {
  const opts = { now: options.now ?? Date.now, random: options.random ?? Math.random };
  const results: DeliveryResult[] = [];
  for (let round = 0; round < 20; round++) {
    const claimed = await claimDueNotifications(db, { now: opts.now(), leaseMs: options.leaseMs ?? LEASE_MS, batch: 20, channels: 20 });
    if (!claimed.length) break;
    const channels = await loadChannels([...new Set(claimed.map((c) => c.channelId))], db);
    results.push(...(await mapLimit(claimed, options.concurrency ?? 5, (n) => deliverOne(db, channels.get(n.channelId), n, opts))));
  }
  return results;
}

/** Sends one notification now, past the rate limit (a channel test); null when another worker holds it. */
export async function deliverNotificationNow(db: pg.Pool, id: number, options: DeliverOptions = {}): Promise<DeliveryResult | null> {
  const opts = { now: options.now ?? Date.now, random: options.random ?? Math.random };
  const n = await claimNotification(db, id, { now: opts.now(), leaseMs: options.leaseMs ?? LEASE_MS });
  if (!n) return null;
  return deliverOne(db, (await loadChannel(n.channelId, db)) ?? undefined, n, opts);
}
