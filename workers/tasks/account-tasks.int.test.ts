import type { JobHelpers } from "graphile-worker";
import { describe, expect, it } from "vitest";
import { sandboxWorld } from "../../test/sandbox-world";
import { ALERTS_JOB } from "./evaluate-alerts";
import { LOGS_PASS_MIN_GAP_MS } from "../ingest/logs";
import { accountTasks } from "./account-tasks";

const REGION = "us-east-1";

const w = sandboxWorld({ seed: 5, backfillMs: 30 * 60_000, regions: [REGION] });

describe("the logs job and alert evaluation", () => {
  it("asks for an alert evaluation as soon as a function's new failures are committed, not only when the pass over every function ends", async () => {
    // A drill on the function the pass reads first, so its failures are committed while the others wait.
    const { rows: first } = await w.db.query<{ name: string }>("SELECT name FROM resources WHERE kind = 'lambda' AND region = $1 ORDER BY id LIMIT 1", [REGION]);
    w.sandbox.workload.startDrill(first[0].name, "error", 5, REGION);
    await new Promise((r) => setTimeout(r, 15_000));

    // Each request notes how many functions had stored invocations when it was made.
    const requests: { task: string; functionsStored: number; runAt?: Date; queueName?: string }[] = [];
    const helpers = {
      job: { locked_by: "test" },
      addJob: async (task: string, _payload: unknown, spec: { runAt?: Date; queueName?: string } = {}) => {
        const { rows } = await w.db.query<{ n: number }>("SELECT count(DISTINCT resource_id)::int AS n FROM invocations");
        requests.push({ task, functionsStored: rows[0].n, runAt: spec.runAt, queueName: spec.queueName });
        return {};
      },
    } as unknown as JobHelpers;
    const started = Date.now();
    await accountTasks(w.db).logs({ accountId: w.account.id, region: REGION }, helpers);

    const { rows: stored } = await w.db.query<{ n: number }>("SELECT count(DISTINCT resource_id)::int AS n FROM invocations");
    const evaluations = requests.filter((r) => r.task === ALERTS_JOB.task);
    expect(stored[0].n).toBeGreaterThan(3);
    // The early request: made while functions were still unread, and one at the end of the pass.
    expect(evaluations.length).toBeGreaterThanOrEqual(2);
    expect(evaluations[0].functionsStored).toBeLessThan(stored[0].n);
    expect(evaluations.at(-1)!.functionsStored).toBe(stored[0].n);
    // Requests are spaced: one pass over a few functions asks a handful of times at most.
    expect(evaluations.length).toBeLessThanOrEqual(5);
    // The next pass is asked for at once, on the same queue, to start when this one ends but no sooner
    // than LOGS_PASS_MIN_GAP_MS after it began: passes back to back, not one a minute.
    const next = requests.filter((r) => r.task === "logs");
    expect(next).toHaveLength(1);
    expect(next[0].queueName).toBe(`logs:${w.account.id}:${REGION}`);
    expect(next[0].runAt!.getTime()).toBeGreaterThanOrEqual(started + LOGS_PASS_MIN_GAP_MS);
    expect(next[0].runAt!.getTime()).toBeLessThan(Date.now() + LOGS_PASS_MIN_GAP_MS);
  }, 120_000);
});
