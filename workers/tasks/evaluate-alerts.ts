import type { Task } from "graphile-worker";
import type pg from "pg";
import { ensureDefaultPolicies } from "../../lib/db/alerts/default-policies";
import { evaluateAlerts } from "../../lib/db/alerts/evaluate-alerts";
import { publicUrl } from "../../lib/env";
import { childLog } from "../../lib/log";
import { DELIVER_JOB } from "./deliver-notifications";

const log = childLog("evaluate-alerts");

/** One queue and one job key: evaluations never run side by side, and requests while one waits fold into it. */
export const ALERTS_JOB = { task: "evaluate-alerts", queueName: "alerts", jobKey: "evaluate-alerts" } as const;

/** Evaluates every policy; when notices were written, asks for their delivery now rather than at the next sweep. */
export function evaluateAlertsTask(db: pg.Pool): Task {
  return async (_payload, helpers) => {
    const started = Date.now();
    await ensureDefaultPolicies(db);
    const s = await evaluateAlerts(db, { baseUrl: publicUrl() });
    if (s.notices) await helpers.addJob(DELIVER_JOB.task, {}, { queueName: DELIVER_JOB.queueName, jobKey: DELIVER_JOB.jobKey, maxAttempts: 1 });
    if (s.opened || s.resolved || s.escalated) log.info({ ...s, ms: Date.now() - started }, "alerts evaluated");
  };
}
