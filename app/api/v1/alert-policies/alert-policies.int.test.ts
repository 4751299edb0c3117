import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { requestAs, signIn } from "@/test/auth";

// The handlers need a signed-in user: an owner may do everything.
let asOwner: ReturnType<typeof requestAs>;

let tdb: TestDatabase;
let db: pg.Pool;
let routes: { list: typeof import("./route"); one: typeof import("./[id]/route") };

const ctx = (id: number | string) => ({ params: Promise.resolve({ id: String(id) }) });
const req = (method: string, body?: unknown) => asOwner("http://127.0.0.1/api/v1/alert-policies", { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 2 });
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = db;
  routes = { list: await import("./route"), one: await import("./[id]/route") };
  asOwner = requestAs(await signIn("owner"));
});

afterAll(async () => {
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = undefined;
  const { closeDb } = await import("@/lib/db/prisma");
  await closeDb();
  await db?.end();
  await tdb?.drop();
});

describe("/api/v1/alert-policies", () => {
  it("adds a policy with defaults, changes it, refuses an incomplete scope or a taken name, and removes it", async () => {
    const created = await routes.list.POST(req("POST", { name: "p99 over 2 s", conditionKind: "p99_duration", threshold: 2000 }), ctx(""));
    expect(created.status).toBe(201);
    const p = ((await created.json()) as { data: Record<string, unknown> & { id: number } }).data;
    expect(p).toMatchObject({ name: "p99 over 2 s", enabled: true, windowMinutes: 10, minInvocations: 10, severity: "warning", scopeKind: "all", openIncidents: 0, channelIds: [] });

    expect((await routes.list.POST(req("POST", { name: "p99 over 2 s", conditionKind: "p99_duration", threshold: 1 }), ctx(""))).status).toBe(409);
    expect((await routes.list.POST(req("POST", { name: "acct", conditionKind: "error_rate", threshold: 0.1, scopeKind: "account" }), ctx(""))).status).toBe(400);
    expect((await routes.list.POST(req("POST", { name: "bad kind", conditionKind: "lambda_vibes", threshold: 1 }), ctx(""))).status).toBe(400);
    // Per-kind thresholds: a rate is a share 0..1.
    expect((await routes.list.POST(req("POST", { name: "5xx as percent", conditionKind: "api_5xx_rate", threshold: 5 }), ctx(""))).status).toBe(400);

    const patched = await routes.one.PATCH(req("PATCH", { threshold: 3000, severity: "critical" }), ctx(p.id));
    expect(((await patched.json()) as { data: unknown }).data).toMatchObject({ threshold: 3000, severity: "critical", windowMinutes: 10 });
    expect((await routes.one.PATCH(req("PATCH", { scopeKind: "tag" }), ctx(p.id))).status).toBe(400);

    const list = (await (await routes.list.GET(req("GET"), ctx(""))).json()) as { data: { id: number }[] };
    expect(list.data.map((x) => x.id)).toContain(p.id);

    expect((await routes.one.DELETE(req("DELETE"), ctx(p.id))).status).toBe(204);
    expect((await routes.one.GET(req("GET"), ctx(p.id))).status).toBe(404);
  });
});
