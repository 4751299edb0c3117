import { LOCAL_ACTOR } from "@/lib/db/audit";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IncidentNotice } from "@/lib/analysis/alerts/notice";
import { ChannelInput } from "@/lib/api/schemas/channels";
import { evaluateAlerts } from "@/lib/db/alerts/evaluate-alerts";
import { createChannel } from "@/lib/db/notifications/channels";
import { deliverDueNotifications } from "@/lib/notify/deliver";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { json, startReceiver, type Receiver } from "@/test/receivers";

const MIN = 60_000;
const T = Date.UTC(2026, 11, 3, 8, 0, 0);

let tdb: TestDatabase;
let db: pg.Pool;
let hook: Receiver;
let resourceId: number;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 3 });
  hook = await startReceiver((_r, res) => json(res, 200, { ok: true }));
  const { rows: a } = await db.query("INSERT INTO accounts (name, regions, updated_at) VALUES ('prod', '{us-east-1}', now()) RETURNING id");
  const { rows: r } = await db.query("INSERT INTO resources (account_id, region, kind, arn, name) VALUES ($1, 'us-east-1', 'lambda', 'arn:aws:lambda:us-east-1:1:function:orders', 'orders') RETURNING id", [a[0].id]);
  resourceId = r[0].id;
  const channelId = (await createChannel(ChannelInput.parse({ name: "hook", kind: "webhook", url: `${hook.url}/osprey`, signingSecret: "whsec_lifecycle_0123456789" }), LOCAL_ACTOR, db)).id;
  await db.query(
    `INSERT INTO alert_policies (name, condition_kind, threshold, critical_threshold, window_minutes, min_invocations, severity, channel_ids, resolve_after_minutes, flap_minutes)
     VALUES ('Orders error rate', 'error_rate', 0.05, 0.25, 10, 10, 'warning', $1, 5, 10)`,
    [[channelId]],
  );
});

afterAll(async () => {
  await hook?.stop();
  await db?.end();
  await tdb?.drop();
});

/** A minute of the rollups, as ingestion writes them. */
const minute = (at: number, invocations: number, errors: number) =>
  db.query("INSERT INTO rollup_minute (resource_id, bucket_start, invocations, successes, errors) VALUES ($1, $2, $3, $4, $5)", [resourceId, new Date(at), invocations, invocations - errors, errors]);

const evaluate = (now: number) => evaluateAlerts(db, { now, baseUrl: "http://osprey.test" });

async function sent(): Promise<{ event: string; severity: string }[]> {
  await deliverDueNotifications(db);
  return hook.received.map((r) => (JSON.parse(r.body) as { notice: IncidentNotice }).notice).map((n) => ({ event: n.event, severity: n.severity }));
}

describe("incident lifecycle in the database", () => {
  it("escalates once when the rate crosses the critical threshold, resolves, and holds back a flap on the same incident", async () => {
    await minute(T, 20, 2); // 10 %: warning
    expect(await evaluate(T + 30_000)).toMatchObject({ opened: 1 });
    await minute(T + MIN, 20, 18); // 20 of 40 over the window: 50 %, critical
    expect(await evaluate(T + MIN + 30_000)).toMatchObject({ escalated: 1 });
    expect(await evaluate(T + MIN + 40_000)).toMatchObject({ escalated: 0, opened: 0 });
    expect(await sent()).toEqual([
      { event: "opened", severity: "warning" },
      { event: "escalated", severity: "critical" },
    ]);

    // The window leaves the failures behind at T + 11 min; clear for 5 minutes, it resolves.
    await evaluate(T + 11 * MIN);
    expect(await evaluate(T + 16 * MIN)).toMatchObject({ resolved: 1 });
    // Failing again 2 minutes after the resolve: the same incident re-opens without a page.
    await minute(T + 18 * MIN, 20, 10);
    expect(await evaluate(T + 18 * MIN + 30_000)).toMatchObject({ opened: 0, notices: 0 });
    expect((await sent()).map((n) => n.event)).toEqual(["opened", "escalated", "resolved"]);

    const { rows } = await db.query("SELECT id, state, flaps FROM incidents");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: "open", flaps: 1 });
    const { rows: timeline } = await db.query("SELECT kind FROM incident_events WHERE incident_id = $1 AND kind <> 'notified' ORDER BY id", [rows[0].id]);
    expect(timeline.map((e) => e.kind)).toEqual(["opened", "escalated", "resolved", "flapped"]);

    // Clear again: it resolves without a second "resolved" notice (the re-open was never announced).
    await evaluate(T + 29 * MIN);
    expect(await evaluate(T + 34 * MIN)).toMatchObject({ resolved: 1, notices: 0 });
    expect((await sent()).map((n) => n.event)).toEqual(["opened", "escalated", "resolved"]);
  });
});
