import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestAs, signIn } from "@/test/auth";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { json as reply, startReceiver, type Receiver } from "@/test/receivers";

let tdb: TestDatabase;
let db: pg.Pool;
let slack: Receiver;
let routes: {
  list: typeof import("./route");
  one: typeof import("./[id]/route");
  test: typeof import("./[id]/test/route");
  notifications: typeof import("./[id]/notifications/route");
};

const SLACK_TOKEN = "SeCrEtToKeN0123456789wxyz";
const ctx = (id: number | string) => ({ params: Promise.resolve({ id: String(id) }) });
let asAdmin: ReturnType<typeof requestAs>;
const req = (method: string, body?: unknown) => asAdmin("http://127.0.0.1/api/v1/channels", { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });

beforeAll(async () => {
  tdb = await createTestDatabase();
  process.env.DATABASE_URL = tdb.url;
  db = new pg.Pool({ connectionString: tdb.url, max: 2 });
  slack = await startReceiver((r, res) => (r.path.endsWith(SLACK_TOKEN) || r.path.endsWith("NewToken0123456789abcd") ? reply(res, 200, "ok") : reply(res, 404, "no_service")));
  routes = {
    list: await import("./route"),
    one: await import("./[id]/route"),
    test: await import("./[id]/test/route"),
    notifications: await import("./[id]/notifications/route"),
  };
  asAdmin = requestAs(await signIn("admin"));
});

afterAll(async () => {
  const { closeDb } = await import("@/lib/db/prisma");
  await closeDb();
  await slack.stop();
  await db.end();
  await tdb.drop();
});

describe("/api/v1/channels", () => {
  let id: number;

  it("adds a channel and never answers with its secret, only the last four characters", async () => {
    const res = await routes.list.POST(req("POST", { name: "ops", kind: "slack", webhookUrl: `${slack.url}/services/T0/B0/${SLACK_TOKEN}` }), undefined as never);
    expect(res.status).toBe(201);
    const text = await res.text();
    expect(text).not.toContain(SLACK_TOKEN);
    const body = JSON.parse(text);
    id = body.data.id;
    expect(body.data).toMatchObject({ name: "ops", kind: "slack", enabled: true, secrets: { webhookUrl: "…wxyz" }, target: "Slack webhook …wxyz", config: { rateLimitPerMinute: 10 } });
    for (const r of [await routes.list.GET(req("GET"), undefined as never), await routes.one.GET(req("GET"), ctx(id))]) {
      expect(r.status).toBe(200);
      expect(await r.text()).not.toContain(SLACK_TOKEN);
    }
    const stored = (await db.query("SELECT config::text, secrets FROM channels WHERE id = $1", [id])).rows[0];
    expect(stored.config).not.toContain(SLACK_TOKEN);
    expect(stored.secrets).not.toContain(SLACK_TOKEN);
    expect(stored.secrets).toMatch(/^v1:[0-9a-f]{8}:/);
  });

  it("keeps the stored secret when a change leaves it out, and replaces it when one is given", async () => {
    const renamed = await routes.one.PATCH(req("PATCH", { name: "ops-alerts", rateLimitPerMinute: 5, webhookUrl: "" }), ctx(id));
    expect(renamed.status).toBe(200);
    expect((await renamed.json()).data).toMatchObject({ name: "ops-alerts", secrets: { webhookUrl: "…wxyz" }, config: { rateLimitPerMinute: 5 } });
    const test = await (await routes.test.POST(req("POST"), ctx(id))).json();
    expect(test.data).toMatchObject({ ok: true, status: "sent", info: "HTTP 200" });
    expect(slack.received.at(-1)!.path).toBe(`/services/T0/B0/${SLACK_TOKEN}`);

    const changed = await (await routes.one.PATCH(req("PATCH", { webhookUrl: `${slack.url}/services/T0/B0/NewToken0123456789abcd` }), ctx(id))).json();
    expect(changed.data.secrets.webhookUrl).toBe("…abcd");
    await routes.test.POST(req("POST"), ctx(id));
    expect(slack.received.at(-1)!.path).toBe("/services/T0/B0/NewToken0123456789abcd");
  });

  it("shows the channel's last delivery and its notifications, the failed ones with why", async () => {
    await db.query("UPDATE channels SET secrets = jsonb_build_object('webhookUrl', $2::text)::text WHERE id = $1", [id, `${slack.url}/services/T0/B0/gone0123456789`]);
    const failed = await (await routes.test.POST(req("POST"), ctx(id))).json();
    expect(failed.data).toMatchObject({ ok: false, status: "failed", error: expect.stringMatching(/^HTTP 404/) });
    const view = (await (await routes.one.GET(req("GET"), ctx(id))).json()).data;
    expect(view.delivery).toMatchObject({ lastStatus: "failed", lastError: expect.stringMatching(/HTTP 404/), failed: 1, sent24h: 2 });
    const list = await (await routes.notifications.GET(asAdmin(`http://127.0.0.1/api/v1/channels/${id}/notifications?status=failed`), ctx(id))).json();
    expect(list.data).toMatchObject([{ event: "test", status: "failed", attempts: 1, lastError: expect.stringMatching(/HTTP 404/) }]);
  });

  it("says what is wrong with a bad channel, refuses a kind change, and answers 404 for a missing one", async () => {
    const bad = await routes.list.POST(req("POST", { name: "pd", kind: "pagerduty", routingKey: "short" }), undefined as never);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.issues[0].path).toBe("routingKey");
    const noMail = await routes.list.POST(req("POST", { name: "mail", kind: "email", host: "smtp.example.com", from: "osprey@example.com", to: [] }), undefined as never);
    expect((await noMail.json()).error.issues[0].path).toBe("to");
    const kind = await routes.one.PATCH(req("PATCH", { kind: "webhook" }), ctx(id));
    expect(kind.status).toBe(400);
    const badUrl = await routes.one.PATCH(req("PATCH", { webhookUrl: "not a url" }), ctx(id));
    expect(badUrl.status).toBe(400);
    expect((await routes.one.GET(req("GET"), ctx(999_999))).status).toBe(404);
    expect((await routes.test.POST(req("POST"), ctx(999_999))).status).toBe(404);
    const dup = await routes.list.POST(req("POST", { name: "ops-alerts", kind: "sns", topicArn: "arn:aws:sns:us-east-1:123456789012:alerts" }), undefined as never);
    expect(dup.status).toBe(409);
  });

  it("removes a channel with its notifications", async () => {
    expect((await routes.one.DELETE(req("DELETE"), ctx(id))).status).toBe(204);
    expect((await routes.one.GET(req("GET"), ctx(id))).status).toBe(404);
    expect((await db.query("SELECT count(*)::int AS n FROM notification_outbox WHERE channel_id = $1", [id])).rows[0].n).toBe(0);
  });
});
