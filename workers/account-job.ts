import type { JobHelpers, Task } from "graphile-worker";
import type pg from "pg";
import { z } from "zod";
import { awsCallsAborted } from "../lib/aws/clients";
import { finishIngestRun, startIngestRun, type RunStatus } from "../lib/db/ingest-runs";

export const AccountJobPayload = z.object({ accountId: z.number().int().positive(), region: z.string().min(1) });
export type AccountJobPayload = z.infer<typeof AccountJobPayload>;

export interface AccountJobResult {
  counts: Record<string, number>;
  /** Problems that did not stop the job: the run is recorded as partial. */
  problems?: string[];
}

export type AccountJobHandler = (payload: AccountJobPayload, ctx: { db: pg.Pool; helpers: JobHelpers }) => Promise<AccountJobResult>;

// One queue per job, account and region: graphile-worker runs the jobs of a named
// queue one at a time across every worker process, so the same job never runs twice
// at once for the same account and region.
export function accountQueueName(job: string, p: AccountJobPayload): string {
  return `${job}:${p.accountId}:${p.region}`;
}

/** Wraps a handler so every run is recorded in ingest_runs; a throw is recorded, then rethrown for retry with backoff (unless the worker is stopping). */
export function accountJob(job: string, db: pg.Pool, handler: AccountJobHandler): Task {
  return async (raw, helpers) => {
    const payload = AccountJobPayload.parse(raw);
    const runId = await startIngestRun(db, { job, accountId: payload.accountId, region: payload.region, workerId: helpers.job.locked_by });
    try {
      const result = await handler(payload, { db, helpers });
      const status: RunStatus = result.problems?.length ? "partial" : "ok";
      await finishIngestRun(db, runId, status, result.counts, result.problems?.length ? result.problems.join("\n").slice(0, 4000) : null);
    } catch (err) {
      if (awsCallsAborted()) {
        // The worker is stopping and cut this pass short: nothing failed. What it committed stays with
        // its cursors; the schedule runs the job again after the restart and it reads the rest.
        await finishIngestRun(db, runId, "interrupted", {}, "stopped with its worker; the next pass reads the rest").catch(() => {});
        return;
      }
      await finishIngestRun(db, runId, "failed", {}, String((err as Error)?.message ?? err).slice(0, 4000)).catch(() => {});
      throw err;
    }
  };
}

export async function enqueueAccountJob(
  addJob: JobHelpers["addJob"],
  job: string,
  payload: AccountJobPayload,
  opts: { maxAttempts?: number; runAt?: Date } = {},
): Promise<void> {
  const queueName = accountQueueName(job, payload);
  // The job key keeps at most one pending job per queue: a tick while one waits does not pile up work
  // (and the one already waiting keeps its time, so whichever asked first sets when it runs).
  await addJob(job, payload, { queueName, jobKey: queueName, jobKeyMode: "preserve_run_at", maxAttempts: opts.maxAttempts ?? 5, runAt: opts.runAt });
}
