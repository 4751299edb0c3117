import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "@/lib/sandbox";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { createSandboxAccount } from "@/test/sandbox-account";
import { requestAs, signIn } from "@/test/auth";

// The handlers need a signed-in user: an owner may do everything.
let asOwner: ReturnType<typeof requestAs>;

let tdb: TestDatabase;
let db: pg.Pool;
let sandbox: Sandbox;
let routes: {
  list: typeof import("./route");
  one: typeof import("./[id]/route");
  test: typeof import("./[id]/test/route");
};

const ctx = (id: number | string) => ({ params: Promise.resolve({ id: String(id) }) });
const json = (body: unknown) => asOwner("http://127.0.0.1/api/v1/accounts", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

beforeAll(async () => {
  tdb = await createTestDatabase();
  process.env.DATABASE_URL = tdb.url;
  db = new pg.Pool({ connectionString: tdb.url, max: 2 });
  sandbox = await startSandbox({ port: 0, seed: 2, backfillMs: 60_000, externalId: "expected-external-id" });
  routes = { list: await import("./route"), one: await import("./[id]/route"), test: await import("./[id]/test/route") };
  asOwner = requestAs(await signIn("owner"));
});

afterAll(async () => {
  const { closeDb } = await import("@/lib/db/prisma");
  await closeDb();
  await sandbox.close();
  await db.end();
  await tdb.drop();
});

describe("/api/v1/accounts", () => {
  it("connects an account with an assumed role, never showing its external id", async () => {
    const res = await routes.list.POST(
      json({ name: "prod", regions: ["us-east-1"], credentialMethod: "assume_role", roleArn: "arn:aws:iam::210987654321:role/OspreyReadOnly", externalId: "s3cr3t-external" }),
      undefined as never,
    );
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.data).toMatchObject({ name: "prod", credentialMethod: "assume_role", hasExternalId: true });
    expect(JSON.stringify(body)).not.toContain("s3cr3t-external");
  });

  it("explains what is wrong with a bad account, and refuses a duplicate name", async () => {
    const bad = await routes.list.POST(json({ name: "x", regions: ["us-east-1"], credentialMethod: "assume_role" }), undefined as never);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.issues[0].path).toBe("roleArn");
    const dup = await routes.list.POST(json({ name: "prod", regions: ["eu-west-1"] }), undefined as never);
    expect(dup.status).toBe(409);
  });

  it("tests the connection: the sandbox answers with its account id; an unreachable endpoint says why", async () => {
    const sb = await createSandboxAccount(db, sandbox.url);
    const ok = await (await routes.test.POST(asOwner("http://x", { method: "POST" }), ctx(sb.id))).json();
    expect(ok.data).toMatchObject({ ok: true, awsAccountId: "123456789012" });

    await db.query("UPDATE accounts SET endpoint_url = 'http://127.0.0.1:9' WHERE id = $1", [sb.id]);
    const down = await (await routes.test.POST(asOwner("http://x", { method: "POST" }), ctx(sb.id))).json();
    expect(down.data.ok).toBe(false);
    expect(down.data.error).toMatch(/ECONNREFUSED|connect/i);
  });

  it("removes an account and everything stored for it", async () => {
    const { rows } = await db.query("SELECT id FROM accounts WHERE name = 'prod'");
    const id = rows[0].id;
    const { rows: r } = await db.query(
      "INSERT INTO resources (account_id, region, kind, arn, name) VALUES ($1, 'us-east-1', 'lambda', 'arn:aws:lambda:us-east-1:210987654321:function:f', 'f') RETURNING id",
      [id],
    );
    await db.query("INSERT INTO invocations (day, resource_id, request_id, log_stream) VALUES (current_date, $1, 'r', 's')", [r[0].id]);
    expect((await routes.one.DELETE(asOwner("http://x", { method: "DELETE" }), ctx(id))).status).toBe(204);
    expect((await db.query("SELECT count(*)::int AS n FROM invocations WHERE resource_id = $1", [r[0].id])).rows[0].n).toBe(0);
    expect((await routes.one.GET(asOwner("http://x"), ctx(id))).status).toBe(404);
    expect((await routes.one.GET(asOwner("http://x"), ctx("abc"))).status).toBe(400);
  });
});
