import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { requestAs, signIn } from "@/test/auth";

// The handlers need a signed-in user: an owner may do everything.
let asOwner: ReturnType<typeof requestAs>;

let tdb: TestDatabase;
let db: pg.Pool;
let incidentId: number;

const ctx = (id: number | string) => ({ params: Promise.resolve({ id: String(id) }) });
const post = (body: unknown) => asOwner("http://127.0.0.1/x", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
type Detail = { state: string; snoozedUntil: string | null; resolvedAt: string | null; timeline: { kind: string; actor: string; detail: unknown }[] };

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 2 });
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = db;
  const { rows: a } = await db.query("INSERT INTO accounts (name, regions, updated_at) VALUES ('prod', '{us-east-1}', now()) RETURNING id");
  const { rows: r } = await db.query("INSERT INTO resources (account_id, region, kind, arn, name) VALUES ($1, 'us-east-1', 'lambda', 'arn:aws:lambda:us-east-1:1:function:cart', 'cart') RETURNING id", [a[0].id]);
  const { rows: p } = await db.query("INSERT INTO alert_policies (name, condition_kind, threshold) VALUES ('cart errors', 'error_rate', 0.05) RETURNING id");
  const { rows: i } = await db.query(
    "INSERT INTO incidents (policy_id, resource_id, state, severity, value, threshold, opened_at, last_evaluated_at) VALUES ($1, $2, 'open', 'warning', 0.12, 0.05, now(), now()) RETURNING id",
    [p[0].id, r[0].id],
  );
  incidentId = Number(i[0].id);
  asOwner = requestAs(await signIn("owner"));
});

afterAll(async () => {
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = undefined;
  await db?.end();
  await tdb?.drop();
});

describe("/api/v1/incidents", () => {
  it("snoozes and resolves by hand with who in the timeline; a resolved incident cannot be acknowledged", async () => {
    const snooze = await import("./[id]/snooze/route");
    const resolve = await import("./[id]/resolve/route");
    const ack = await import("./[id]/acknowledge/route");
    const one = await import("./[id]/route");
    const list = await import("./route");

    expect((await snooze.POST(post({ minutes: 0 }), ctx(incidentId))).status).toBe(400);
    // Who acts is the signed-in user: a body cannot name someone else.
    expect((await snooze.POST(post({ by: "someone else", minutes: 30 }), ctx(incidentId))).status).toBe(400);
    const before = Date.now();
    const s = ((await (await snooze.POST(post({ minutes: 30 }), ctx(incidentId))).json()) as { data: Detail }).data;
    expect(Date.parse(s.snoozedUntil!) - before).toBeGreaterThanOrEqual(30 * 60_000 - 1000);
    expect(s.timeline).toEqual([{ kind: "snoozed", actor: "Test owner", at: expect.any(String), detail: { minutes: 30, until: s.snoozedUntil } }]);

    const r = ((await (await resolve.POST(post({}), ctx(incidentId))).json()) as { data: Detail }).data;
    expect(r.state).toBe("resolved");
    expect(r.timeline.map((e) => [e.kind, e.actor])).toEqual([["snoozed", "Test owner"], ["resolved", "Test owner"]]);
    expect((await ack.POST(post({}), ctx(incidentId))).status).toBe(409);

    const resolved = (await (await list.GET(asOwner("http://127.0.0.1/api/v1/incidents?state=resolved"), ctx(""))).json()) as { data: { id: number }[] };
    expect(resolved.data.map((x) => x.id)).toEqual([incidentId]);
    const open = (await (await list.GET(asOwner("http://127.0.0.1/api/v1/incidents?state=open"), ctx(""))).json()) as { data: unknown[] };
    expect(open.data).toEqual([]);
    expect((await one.GET(asOwner("http://127.0.0.1/x"), ctx(987654))).status).toBe(404);
  });
});
