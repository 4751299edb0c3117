import { LOCAL_ACTOR } from "@/lib/db/audit";
import type { JobHelpers } from "graphile-worker";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ChannelInput } from "@/lib/api/schemas/channels";
import { createChannel } from "@/lib/db/notifications/channels";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { DELIVER_JOB } from "./deliver-notifications";
import { evaluateAlertsTask } from "./evaluate-alerts";

let tdb: TestDatabase;
let db: pg.Pool;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 3 });
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = db;
});

afterAll(async () => {
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = undefined;
  await db?.end();
  await tdb?.drop();
});

describe("evaluate-alerts task", () => {
  it("creates the default policies, opens incidents on failing functions, and asks for delivery when it wrote notices", async () => {
    const { rows: a } = await db.query("INSERT INTO accounts (name, regions, updated_at) VALUES ('prod', '{us-east-1}', now()) RETURNING id");
    const { rows: r } = await db.query("INSERT INTO resources (account_id, region, kind, arn, name) VALUES ($1, 'us-east-1', 'lambda', 'arn:aws:lambda:us-east-1:1:function:pay', 'pay') RETURNING id", [a[0].id]);
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    await db.query("INSERT INTO rollup_minute (resource_id, bucket_start, invocations, successes, errors, out_of_memory) VALUES ($1, $2, 30, 20, 9, 1)", [r[0].id, new Date(minute)]);

    const addJob = vi.fn(async () => ({}) as never);
    const task = evaluateAlertsTask(db);
    await task({}, { addJob } as unknown as JobHelpers);
    const { rows: incidents } = await db.query("SELECT p.name, i.severity FROM incidents i JOIN alert_policies p ON p.id = i.policy_id ORDER BY p.id");
    // 10 of 30 failed: 33 %, past the default's critical 25 %; and one out of memory.
    expect(incidents).toEqual([
      { name: "Error rate ≥ 5 % over 10 min", severity: "critical" },
      { name: "Out of memory", severity: "warning" },
    ]);
    // The defaults notify no channel: nothing to deliver.
    expect(addJob).not.toHaveBeenCalled();

    const channelId = (await createChannel(ChannelInput.parse({ name: "hook", kind: "webhook", url: "http://127.0.0.1:9/osprey", signingSecret: "whsec_task_0123456789abcd" }), LOCAL_ACTOR, db)).id;
    await db.query("INSERT INTO alert_policies (name, condition_kind, threshold, window_minutes, min_invocations, channel_ids) VALUES ('any failure', 'failed_invocations', 1, 5, 1, $1)", [[channelId]]);
    await task({}, { addJob } as unknown as JobHelpers);
    expect(addJob).toHaveBeenCalledWith(DELIVER_JOB.task, {}, expect.objectContaining({ queueName: DELIVER_JOB.queueName, jobKey: DELIVER_JOB.jobKey }));
    expect((await db.query("SELECT count(*)::int AS n FROM alert_policies WHERE is_default")).rows[0].n).toBe(2);
  });
});
