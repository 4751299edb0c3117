import { LOCAL_ACTOR } from "@/lib/db/audit";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IncidentNotice } from "@/lib/analysis/alerts/notice";
import { ChannelInput } from "@/lib/api/schemas/channels";
import { createChannel } from "@/lib/db/notifications/channels";
import { pruneNotifications } from "@/lib/db/notifications/delivery";
import { enqueueNotices } from "@/lib/db/notifications/outbox";
import { SANDBOX_ACCOUNT_ID, SANDBOX_SNS_TOPIC, startSandbox, type Sandbox } from "@/lib/sandbox";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { makeNotice } from "@/test/notices";
import { json, startReceiver, startSmtpReceiver, verifyOspreySignature, type Receiver, type SmtpReceiver } from "@/test/receivers";
import { createSandboxAccount } from "@/test/sandbox-account";
import { sendChannelTest } from "./channel-test";
import { deliverDueNotifications } from "./deliver";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SIGNING_SECRET = "whsec_int_0123456789abcdef";
const ROUTING_KEY = "R0ut1ngKeyR0ut1ngKeyR0ut1ngKey32";
const SMTP_PASSWORD = "smtp-pa55word-for-tests";

let tdb: TestDatabase;
let db: pg.Pool;
let sandbox: Sandbox;
let slack: Receiver;
let pagerduty: Receiver;
let webhook: Receiver;
let smtp: SmtpReceiver;
let sequence = 0;

/** Writes a notice for channels in a transaction of its own, as alert evaluation does. */
async function enqueue(notice: IncidentNotice, channelIds: number[]): Promise<void> {
  const c = await db.connect();
  try {
    await c.query("BEGIN");
    await enqueueNotices(c, notice, channelIds, ++sequence);
    await c.query("COMMIT");
  } finally {
    c.release();
  }
}

const addChannel = async (input: Record<string, unknown>) => (await createChannel(ChannelInput.parse(input), LOCAL_ACTOR, db)).id;
const rows = async (channelId: number) =>
  (await db.query("SELECT id::int, status, attempts, idempotency_key, folded_into::int, event, last_error, delivery_info FROM notification_outbox WHERE channel_id = $1 ORDER BY id", [channelId])).rows;

/** A webhook consumer that verifies the signature and processes each idempotency key once. */
const processedKeys = new Map<string, number>();
function webhookReply(r: { body: string; headers: Json }, res: import("node:http").ServerResponse) {
  if (!verifyOspreySignature(r.body, r.headers["x-osprey-signature"], SIGNING_SECRET)) return json(res, 401, { error: "bad signature" });
  const key = String(r.headers["x-osprey-idempotency-key"]);
  processedKeys.set(key, (processedKeys.get(key) ?? 0) + 1);
  json(res, 200, { ok: true, duplicate: (processedKeys.get(key) ?? 0) > 1 });
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  process.env.DATABASE_URL = tdb.url;
  db = new pg.Pool({ connectionString: tdb.url, max: 6 });
  sandbox = await startSandbox({ port: 0, backfillMs: 60_000 });
  slack = await startReceiver((r, res) => {
    const body = JSON.parse(r.body);
    const ok = r.path === "/services/T000/B000/XXXXsecretXXXX" && typeof body.text === "string" && Array.isArray(body.blocks) && body.blocks[0]?.type === "header";
    res.writeHead(ok ? 200 : 400, { "content-type": "text/plain" });
    res.end(ok ? "ok" : "invalid_payload");
  });
  pagerduty = await startReceiver((r, res) => {
    const e = JSON.parse(r.body);
    const valid = r.path === "/v2/enqueue" && e.routing_key?.length === 32 && ["trigger", "acknowledge", "resolve"].includes(e.event_action) && (e.event_action !== "trigger" || (e.payload?.summary && e.payload?.source && e.payload?.severity));
    if (!valid) return json(res, 400, { status: "invalid event", message: "Event object is invalid" });
    json(res, 202, { status: "success", message: "Event processed", dedup_key: e.dedup_key });
  });
  webhook = await startReceiver(webhookReply);
  smtp = await startSmtpReceiver("osprey", SMTP_PASSWORD);
});

afterAll(async () => {
  await Promise.all([slack?.stop(), pagerduty?.stop(), webhook?.stop(), smtp?.stop(), sandbox?.close()]);
  const { closeDb } = await import("@/lib/db/prisma");
  await closeDb();
  await db?.end();
  await tdb?.drop();
});

describe("one real receiver per kind", () => {
  it("Slack: a Block Kit message posted to the incoming webhook", async () => {
    const id = await addChannel({ name: "slack", kind: "slack", webhookUrl: `${slack.url}/services/T000/B000/XXXXsecretXXXX` });
    await enqueue(makeNotice(), [id]);
    const results = await deliverDueNotifications(db);
    expect(results).toMatchObject([{ status: "sent", info: "HTTP 200" }]);
    const body = JSON.parse(slack.received.at(-1)!.body);
    expect(body.blocks.find((b: Json) => b.type === "actions").elements.map((e: Json) => e.url)).toEqual([
      "http://osprey.test/incidents/4242",
      expect.stringContaining("errors=1"),
      expect.stringContaining("/search?"),
    ]);
    expect((await rows(id))[0]).toMatchObject({ status: "sent", attempts: 1, delivery_info: "HTTP 200" });
  });

  it("e-mail: plain text and HTML through a real SMTP server, with the password", async () => {
    const id = await addChannel({ name: "mail", kind: "email", host: "127.0.0.1", port: smtp.port, tls: "none", username: "osprey", password: SMTP_PASSWORD, from: "osprey@example.com", to: ["oncall@example.com"] });
    await enqueue(makeNotice(), [id]);
    expect(await deliverDueNotifications(db)).toMatchObject([{ status: "sent", info: expect.stringMatching(/^SMTP 250/) }]);
    const { mail, user } = smtp.mails.at(-1)!;
    expect(user).toBe("osprey");
    expect(mail.subject).toBe("[Osprey] [CRITICAL] Opened: checkout: error rate 12.5% ≥ 5% over the last 10 min (40 invocations)");
    expect(mail.text).toContain("Failing invocations: http://osprey.test/functions/31?errors=1");
    expect(mail.html).toContain('<a href="http://osprey.test/incidents/4242"');
    expect(mail.html).toContain("&lt;script&gt;");
    expect(mail.headers.get("x-osprey-idempotency-key")).toBe((await rows(id))[0].idempotency_key);
  });

  it("e-mail: a refused login is permanent, not retried", async () => {
    const id = await addChannel({ name: "mail-bad", kind: "email", host: "127.0.0.1", port: smtp.port, tls: "none", username: "osprey", password: "wrong-password", from: "osprey@example.com", to: ["oncall@example.com"] });
    await enqueue(makeNotice(), [id]);
    expect(await deliverDueNotifications(db)).toMatchObject([{ status: "failed", error: expect.stringMatching(/EAUTH/) }]);
  });

  it("webhook: JSON signed over timestamp and body, with the idempotency key", async () => {
    const id = await addChannel({ name: "hook", kind: "webhook", url: `${webhook.url}/osprey`, signingSecret: SIGNING_SECRET });
    await enqueue(makeNotice(), [id]);
    expect(await deliverDueNotifications(db)).toMatchObject([{ status: "sent", info: "HTTP 200" }]);
    const r = webhook.received.at(-1)!;
    expect(verifyOspreySignature(r.body, r.headers["x-osprey-signature"] as string, SIGNING_SECRET)).toBe(true);
    expect(verifyOspreySignature(r.body.replace("critical", "warning"), r.headers["x-osprey-signature"] as string, SIGNING_SECRET)).toBe(false);
    expect(JSON.parse(r.body)).toMatchObject({ type: "incident.opened", notice: { incidentId: 4242 }, idempotencyKey: (await rows(id))[0].idempotency_key });
  });

  it("PagerDuty: trigger then resolve of the same alert, by the incident's dedup key", async () => {
    const id = await addChannel({ name: "pd", kind: "pagerduty", routingKey: ROUTING_KEY, eventsUrl: `${pagerduty.url}/v2/enqueue` });
    await enqueue(makeNotice({ incidentId: 77 }), [id]);
    await enqueue(makeNotice({ incidentId: 77, event: "resolved" }), [id]);
    expect((await deliverDueNotifications(db)).map((r) => r.info)).toEqual(["HTTP 202", "HTTP 202"]);
    const events = pagerduty.received.slice(-2).map((r) => JSON.parse(r.body));
    expect(events.map((e) => [e.event_action, e.dedup_key])).toEqual([
      ["trigger", "osprey-incident-77"],
      ["resolve", "osprey-incident-77"],
    ]);
  });

  it("SNS: published through the SDK to the sandbox with the sandbox account's endpoint", async () => {
    const account = await createSandboxAccount(db, sandbox.url);
    const topicArn = `arn:aws:sns:us-east-1:${SANDBOX_ACCOUNT_ID}:${SANDBOX_SNS_TOPIC}`;
    const id = await addChannel({ name: "sns", kind: "sns", topicArn, accountId: account.id });
    await enqueue(makeNotice(), [id]);
    const [result] = await deliverDueNotifications(db);
    expect(result).toMatchObject({ status: "sent", info: expect.stringMatching(/^SNS MessageId [0-9a-f-]{36}$/) });
    const [m] = sandbox.sns.messages({ topicArn });
    expect(m.subject).toMatch(/^\[Osprey\] \[CRITICAL\] Opened: checkout/);
    expect(JSON.parse(JSON.parse(m.message).sqs)).toMatchObject({ type: "incident.opened", notice: { incidentId: 4242 } });
    expect(m.attributes).toEqual({ "osprey.event": "opened", "osprey.severity": "critical" });
  });
});

describe("delivery that loses nothing and sends nothing twice", () => {
  it("retries while the receiver is down, and delivers once when it is back", async () => {
    const down = await startReceiver(webhookReply);
    const id = await addChannel({ name: "flaky", kind: "webhook", url: `${down.url}/osprey`, signingSecret: SIGNING_SECRET });
    await down.stop();
    await enqueue(makeNotice({ incidentId: 901 }), [id]);
    let clock = Date.now();
    const first = await deliverDueNotifications(db, { now: () => clock, random: () => 1 });
    expect(first).toMatchObject([{ status: "pending", error: expect.stringMatching(/ECONNREFUSED/) }]);
    clock += 10_000;
    expect(await deliverDueNotifications(db, { now: () => clock })).toEqual([]);
    clock += 25_000;
    expect(await deliverDueNotifications(db, { now: () => clock, random: () => 1 })).toMatchObject([{ status: "pending" }]);
    await down.start();
    clock += 65_000;
    expect(await deliverDueNotifications(db, { now: () => clock })).toMatchObject([{ status: "sent" }]);
    expect(await deliverDueNotifications(db, { now: () => clock + 3_600_000 })).toEqual([]);
    expect(down.received).toHaveLength(1);
    expect((await rows(id))[0]).toMatchObject({ status: "sent", attempts: 3 });
    await down.stop();
  });

  it("gives up after 24 hours of a receiver down, marked failed with the last error", async () => {
    const gone = await startReceiver(webhookReply);
    await gone.stop();
    const id = await addChannel({ name: "gone", kind: "webhook", url: `${gone.url}/osprey`, signingSecret: SIGNING_SECRET });
    await enqueue(makeNotice({ incidentId: 902 }), [id]);
    let clock = Date.now();
    for (let i = 0; i < 60; i++) {
      await deliverDueNotifications(db, { now: () => clock, random: () => 1 });
      const [row] = await rows(id);
      if (row.status === "failed") break;
      clock = (await db.query("SELECT next_attempt_at FROM notification_outbox WHERE channel_id = $1", [id])).rows[0].next_attempt_at.getTime();
    }
    const [row] = await rows(id);
    expect(row).toMatchObject({ status: "failed", last_error: expect.stringMatching(/ECONNREFUSED/) });
    expect(clock - Date.now()).toBeGreaterThanOrEqual(24 * 3_600_000 - 60_000);
    // 30 s, 1, 2, 4, 8, 16, 32 min, then hourly (no jitter drawn here), and a last try at the 24-hour mark.
    expect(row.attempts).toBeGreaterThanOrEqual(30);
    expect(row.attempts).toBeLessThanOrEqual(33);
  });

  it("two workers claiming at once send each notification once", async () => {
    const id = await addChannel({ name: "shared", kind: "webhook", url: `${webhook.url}/shared`, signingSecret: SIGNING_SECRET, rateLimitPerMinute: 100 });
    for (let i = 0; i < 12; i++) await enqueue(makeNotice({ incidentId: 1000 + i }), [id]);
    const [a, b] = await Promise.all([deliverDueNotifications(db), deliverDueNotifications(db)]);
    expect(a.length + b.length).toBe(12);
    const keys = webhook.received.filter((r) => r.path === "/shared").map((r) => r.headers["x-osprey-idempotency-key"]);
    expect(new Set(keys).size).toBe(12);
    expect(keys).toHaveLength(12);
  });

  it("folds a burst past the rate limit into one digest, and holds what comes next until the minute frees up", async () => {
    const id = await addChannel({ name: "burst", kind: "webhook", url: `${webhook.url}/burst`, signingSecret: SIGNING_SECRET, rateLimitPerMinute: 3 });
    for (let i = 0; i < 10; i++) await enqueue(makeNotice({ incidentId: 2000 + i, title: `fn-${i}: errors` }), [id]);
    const clock = Date.now();
    await deliverDueNotifications(db, { now: () => clock });
    const got = webhook.received.filter((r) => r.path === "/burst").map((r) => JSON.parse(r.body));
    expect(got.map((b) => b.type)).toEqual(["incident.opened", "incident.opened", "digest"]);
    expect(got[2].digest.total).toBe(8);
    expect(got[2].digest.notices.map((n: IncidentNotice) => n.incidentId)).toEqual([2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009]);
    const r = await rows(id);
    const digest = r.find((x) => x.event === "digest")!;
    expect(digest.status).toBe("sent");
    expect(r.filter((x) => x.status === "folded").every((x) => x.folded_into === digest.id)).toBe(true);
    expect(r.filter((x) => x.status === "folded")).toHaveLength(8);

    await enqueue(makeNotice({ incidentId: 2100 }), [id]);
    expect(await deliverDueNotifications(db, { now: () => clock + 5_000 })).toEqual([]);
    expect(await deliverDueNotifications(db, { now: () => clock + 61_000 })).toMatchObject([{ status: "sent" }]);
  });

  it("a channel test answers with the receiver's reply, and with why it failed", async () => {
    const id = await addChannel({ name: "test-ok", kind: "slack", webhookUrl: `${slack.url}/services/T000/B000/XXXXsecretXXXX` });
    expect(await sendChannelTest(db, id, LOCAL_ACTOR)).toMatchObject({ ok: true, status: "sent", info: "HTTP 200" });
    expect(JSON.parse(slack.received.at(-1)!.body).blocks[0].text.text).toBe("Osprey test notification");
    const bad = await addChannel({ name: "test-bad", kind: "slack", webhookUrl: `${slack.url}/services/T000/B000/wrongwrongwrong` });
    expect(await sendChannelTest(db, bad, LOCAL_ACTOR)).toMatchObject({ ok: false, status: "failed", error: "HTTP 400: invalid_payload" });
  });

  it("forgets notifications done past the retention, never one still waiting", async () => {
    const id = await addChannel({ name: "old", kind: "webhook", url: `${webhook.url}/old`, signingSecret: SIGNING_SECRET });
    await enqueue(makeNotice({ incidentId: 3000 }), [id]);
    await enqueue(makeNotice({ incidentId: 3001 }), [id]);
    await deliverDueNotifications(db);
    await enqueue(makeNotice({ incidentId: 3002 }), [id]);
    await db.query("UPDATE notification_outbox SET created_at = now() - interval '31 days' WHERE channel_id = $1", [id]);
    expect(await pruneNotifications(db, 30, Date.now())).toBe(2);
    expect((await rows(id)).map((r) => r.status)).toEqual(["pending"]);
  });
});
