import { LOCAL_ACTOR } from "@/lib/db/audit";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IncidentNotice } from "@/lib/analysis/alerts/notice";
import { parseLambdaLogEvents, type LogEventInput } from "@/lib/ingest/lambda-logs";
import { ChannelInput } from "@/lib/api/schemas/channels";
import { evaluateAlerts } from "@/lib/db/alerts/evaluate-alerts";
import { ensureDefaultPolicies } from "@/lib/db/alerts/default-policies";
import { writeLambdaBatch, type LambdaWriteTarget } from "@/lib/db/lambda-writer";
import { createChannel } from "@/lib/db/notifications/channels";
import { deliverDueNotifications } from "@/lib/notify/deliver";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { json, startReceiver, verifyOspreySignature, type Receiver } from "@/test/receivers";
import { requestAs, signIn } from "@/test/auth";

// The handlers need a signed-in user: an owner may do everything.
let asOwner: ReturnType<typeof requestAs>;

const MIN = 60_000;
const T = Date.UTC(2026, 11, 3, 10, 0, 0);
const GROUP = "/aws/lambda/checkout";
const STREAM = "2026/12/03/[$LATEST]0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const SECRET = "whsec_alerts_0123456789abcdef";
const BASE = "http://osprey.test";

let tdb: TestDatabase;
let db: pg.Pool;
let hook: Receiver;
let target: LambdaWriteTarget;
let policyId: number;

beforeAll(async () => {
  tdb = await createTestDatabase();
  process.env.DATABASE_URL = tdb.url;
  db = new pg.Pool({ connectionString: tdb.url, max: 3 });
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = db;
  hook = await startReceiver((_r, res) => json(res, 200, { ok: true }));
  const { rows: a } = await db.query("INSERT INTO accounts (name, regions, updated_at) VALUES ('prod', '{us-east-1}', now()) RETURNING id");
  const { rows: r } = await db.query(
    `INSERT INTO resources (account_id, region, kind, arn, name, config) VALUES ($1, 'us-east-1', 'lambda',
      'arn:aws:lambda:us-east-1:123456789012:function:checkout', 'checkout', '{"logGroup": "/aws/lambda/checkout"}') RETURNING id`,
    [a[0].id],
  );
  target = { resourceId: r[0].id, region: "us-east-1", architecture: "x86_64" };
  const channelId = (await createChannel(ChannelInput.parse({ name: "hook", kind: "webhook", url: `${hook.url}/osprey`, signingSecret: SECRET }), LOCAL_ACTOR, db)).id;
  const { rows: p } = await db.query(
    `INSERT INTO alert_policies (name, condition_kind, threshold, window_minutes, min_invocations, severity, channel_ids, resolve_after_minutes, flap_minutes)
     VALUES ('Checkout error rate', 'error_rate', 0.05, 10, 10, 'warning', $1, 5, 10) RETURNING id`,
    [[channelId]],
  );
  policyId = p[0].id;
  asOwner = requestAs(await signIn("owner"));
});

afterAll(async () => {
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = undefined;
  const { closeDb } = await import("@/lib/db/prisma");
  await closeDb();
  await hook?.stop();
  await db?.end();
  await tdb?.drop();
});

let seq = 0;
const event = (timestamp: number, message: string): LogEventInput => ({
  eventId: `3777777777777777777777777777777777${String(timestamp).padStart(13, "0")}0420${String(++seq).padStart(5, "0")}`,
  logGroupName: GROUP,
  logStreamName: STREAM,
  timestamp,
  message,
});

/** One invocation as Lambda logs it (START, END, REPORT; a timeout with its line and Status: timeout). */
function invocation(at: number, timedOut: boolean): LogEventInput[] {
  const id = `c0ffee00-1111-4222-8333-${String(++seq).padStart(12, "0")}`;
  const duration = timedOut ? "3000.00" : "42.00";
  return [
    event(at, `START RequestId: ${id} Version: $LATEST\n`),
    ...(timedOut ? [event(at + 3000, `${new Date(at + 3000).toISOString()} ${id} Task timed out after 3.00 seconds\n`)] : []),
    event(at + Number(duration), `END RequestId: ${id}\n`),
    event(at + Number(duration), `REPORT RequestId: ${id}\tDuration: ${duration} ms\tBilled Duration: ${Math.ceil(Number(duration))} ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB${timedOut ? "\tStatus: timeout" : "\t"}\n`),
  ];
}

async function write(events: LogEventInput[]) {
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    await writeLambdaBatch(client, target, parseLambdaLogEvents(events, { functionName: "checkout" }));
    await client.query("COMMIT");
  } finally {
    client.release();
  }
}

const noCtx = { params: Promise.resolve({}) };
const notices = () => hook.received.map((r) => (JSON.parse(r.body) as { notice: IncidentNotice }).notice);

describe("alert evaluation end to end", () => {
  it("a burst of failures opens one incident, notifies once with the figure SQL gives over the raw invocations, then resolves", async () => {
    // Two minutes of traffic: 40 invocations, 9 of them time out.
    const events: LogEventInput[] = [];
    for (let i = 0; i < 40; i++) events.push(...invocation(T + i * 2500, i % 4 === 1 && i < 36));
    await write(events);
    const now = T + 3 * MIN + 10_000;

    const first = await evaluateAlerts(db, { now, baseUrl: BASE });
    expect(first).toMatchObject({ opened: 1, notices: 1 });
    await deliverDueNotifications(db);

    const { rows } = await db.query<{ pct: number; n: number }>(
      `SELECT (100.0 * count(*) FILTER (WHERE status <> 'success') / count(*))::float8 AS pct, count(*)::int AS n
         FROM invocations WHERE resource_id = $1 AND started_at >= $2 AND started_at <= $3`,
      [target.resourceId, new Date(Math.floor(now / MIN) * MIN - 9 * MIN), new Date(now)],
    );
    expect(rows[0].n).toBe(40);
    expect(notices()).toHaveLength(1);
    const opened = notices()[0];
    expect(opened.event).toBe("opened");
    expect(opened.condition.value).toBeCloseTo(rows[0].pct, 9);
    expect(opened.condition.value).toBeCloseTo(22.5, 9);
    expect(opened.title).toContain("checkout");
    expect(opened.links.incident).toBe(`${BASE}/incidents/${opened.incidentId}`);
    expect(verifyOspreySignature(hook.received[0].body, hook.received[0].headers["x-osprey-signature"] as string | undefined, SECRET, hook.received[0].at)).toBe(true);

    // Evaluated again while it holds: the same incident, no second notice.
    for (const t of [now + MIN, now + 2 * MIN]) expect(await evaluateAlerts(db, { now: t, baseUrl: BASE })).toMatchObject({ opened: 0, notices: 0 });
    await deliverDueNotifications(db);
    expect(notices()).toHaveLength(1);
    expect((await db.query("SELECT count(*)::int AS n FROM incidents WHERE policy_id = $1", [policyId])).rows[0].n).toBe(1);

    // The window slides past the burst at T + 12 min; five minutes clear later it resolves.
    const clearFrom = T + 12 * MIN;
    expect(await evaluateAlerts(db, { now: clearFrom, baseUrl: BASE })).toMatchObject({ resolved: 0 });
    expect(await evaluateAlerts(db, { now: clearFrom + 4 * MIN, baseUrl: BASE })).toMatchObject({ resolved: 0 });
    expect(await evaluateAlerts(db, { now: clearFrom + 5 * MIN, baseUrl: BASE })).toMatchObject({ resolved: 1, notices: 1 });
    await deliverDueNotifications(db);
    expect(notices().map((n) => n.event)).toEqual(["opened", "resolved"]);

    const { rows: inc } = await db.query("SELECT state, resolved_at FROM incidents WHERE id = $1", [opened.incidentId]);
    expect(inc[0]).toEqual({ state: "resolved", resolved_at: new Date(clearFrom + 5 * MIN) });
    const { rows: timeline } = await db.query("SELECT kind, actor FROM incident_events WHERE incident_id = $1 ORDER BY id", [opened.incidentId]);
    // By id: the evaluations ran on a simulated clock, the deliveries on the real one.
    expect(timeline.map((e) => e.kind)).toEqual(["opened", "notified", "resolved", "notified"]);
  });

  it("the API lists policies with their open incidents, filters incidents, and an acknowledgement records who and when and notifies", async () => {
    const events: LogEventInput[] = [];
    const T2 = T + 60 * MIN;
    for (let i = 0; i < 20; i++) events.push(...invocation(T2 + i * 1000, i % 2 === 0));
    await write(events);
    expect(await evaluateAlerts(db, { now: T2 + MIN, baseUrl: BASE })).toMatchObject({ opened: 1 });

    const policies = await import("@/app/api/v1/alert-policies/route");
    const listRes = await policies.GET(asOwner("http://127.0.0.1/api/v1/alert-policies"), noCtx);
    const list = (await listRes.json()) as { data: { id: number; openIncidents: number }[] };
    expect(listRes.status, JSON.stringify(list)).toBe(200);
    expect(list.data.find((p) => p.id === policyId)?.openIncidents).toBe(1);

    const incidents = await import("@/app/api/v1/incidents/route");
    const open = (await (await incidents.GET(asOwner(`http://127.0.0.1/api/v1/incidents?state=open&resourceId=${target.resourceId}`), noCtx)).json()) as { data: { id: number; value: number }[] };
    expect(open.data).toHaveLength(1);
    expect(open.data[0].value).toBe(0.5);

    const ack = await import("@/app/api/v1/incidents/[id]/acknowledge/route");
    const before = Date.now();
    const res = await ack.POST(asOwner("http://127.0.0.1/x", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }), { params: Promise.resolve({ id: String(open.data[0].id) }) });
    expect(res.status).toBe(200);
    const detail = ((await res.json()) as { data: { state: string; acknowledgedBy: string; acknowledgedAt: string; timeline: { kind: string; actor: string; at: string }[] } }).data;
    expect(detail.state).toBe("acknowledged");
    // The signed-in user who acted, as the timeline names them.
    expect(detail.acknowledgedBy).toBe("Test owner");
    const entry = detail.timeline.find((e) => e.kind === "acknowledged");
    expect(entry?.actor).toBe("Test owner");
    expect(Date.parse(entry!.at)).toBeGreaterThanOrEqual(before - 5);

    await deliverDueNotifications(db);
    expect(notices().filter((n) => n.incidentId === open.data[0].id).map((n) => n.event)).toEqual(["opened", "acknowledged"]);
    const asMember = requestAs(await signIn("member"));
    const again = await ack.POST(asMember("http://127.0.0.1/x", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }), { params: Promise.resolve({ id: String(open.data[0].id) }) });
    expect(((await again.json()) as { data: { acknowledgedBy: string } }).data.acknowledgedBy).toBe("Test owner");
  });

  it("default policies are created once, and a deleted default stays deleted", async () => {
    expect(await ensureDefaultPolicies(db)).toBeGreaterThan(0);
    const names = (await db.query("SELECT name FROM alert_policies WHERE is_default ORDER BY id")).rows.map((r) => r.name);
    expect(names).toContain("Error rate ≥ 5 % over 10 min");
    await db.query("DELETE FROM alert_policies WHERE name = $1", [names[0]]);
    expect(await ensureDefaultPolicies(db)).toBe(0);
    expect((await db.query("SELECT count(*)::int AS n FROM alert_policies WHERE is_default")).rows[0].n).toBe(names.length - 1);
  });
});
