import type { Task } from "graphile-worker";
import type pg from "pg";
import { pruneNotifications } from "../../lib/db/notifications/delivery";
import { deliverDueNotifications } from "../../lib/notify/deliver";

/**
 * What an incident change asks for, in its own transaction (lib/db/notifications/outbox.ts): one queue
 * and one job key, so a burst of changes folds into one run.
 */
export const DELIVER_JOB = { task: "deliver-notifications", queueName: "notifications", jobKey: "deliver-notifications" } as const;

// The minute's sweep (retries that came due, rows whose worker died mid-send, anything a request
// missed) runs outside the named queue: a worker killed while holding that queue cannot hold up
// delivery, and claims with SKIP LOCKED keep two runs from sending the same row.
export const SWEEP_JOB = { task: "deliver-notifications", jobKey: "deliver-notifications-sweep" } as const;

/** Sends the outbox rows that are due (a failing receiver never fails the job), and forgets those done past the retention. */
export function deliverNotificationsTask(db: pg.Pool, retentionDays: number): Task {
  return async () => {
    await deliverDueNotifications(db);
    await pruneNotifications(db, retentionDays, Date.now());
  };
}
