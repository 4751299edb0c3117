import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestAs, signIn, type TestSession } from "@/test/auth";
import { createTestDatabase, type TestDatabase } from "@/test/db";

// API tokens end to end through the real route handlers: made with a session, used with Authorization: Bearer.

let tdb: TestDatabase;
let dataDir: string;
let db: pg.Pool;
let owner: TestSession;
let member: TestSession;
let r: {
  tokens: typeof import("@/app/api/v1/tokens/route");
  token: typeof import("@/app/api/v1/tokens/[id]/route");
  channels: typeof import("@/app/api/v1/channels/route");
  audit: typeof import("@/app/api/v1/audit/route");
};

const ORIGIN = "http://127.0.0.1:3000";
const ctx = (id: number | string) => ({ params: Promise.resolve({ id: String(id) }) });
const jsonInit = (method: string, body?: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { "content-type": "application/json", ...headers },
  body: body === undefined ? undefined : JSON.stringify(body),
});
const bearer = (token: string, path: string, method = "GET", body?: unknown, headers: Record<string, string> = {}) =>
  new Request(`${ORIGIN}${path}`, jsonInit(method, body, { authorization: `Bearer ${token}`, ...headers }));

interface Created {
  token: string;
  data: { id: number; name: string; scope: string; hint: string; lastUsedAt: string | null; expiresAt: string | null; revokedAt: string | null };
}
async function makeToken(as: TestSession, body: Record<string, unknown>): Promise<Created> {
  const res = await r.tokens.POST(requestAs(as)(`${ORIGIN}/api/v1/tokens`, jsonInit("POST", body)), undefined as never);
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json();
}
const newChannel = (n: string) => ({ name: n, kind: "webhook", url: "http://127.0.0.1:9/hook", signingSecret: "token-test-signing-secret" });
const addChannel = (token: string, name: string) => r.channels.POST(bearer(token, "/api/v1/channels", "POST", newChannel(name)), undefined as never);
const listChannels = (token: string) => r.channels.GET(bearer(token, "/api/v1/channels"), undefined as never);
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

beforeAll(async () => {
  // Channel secrets are encrypted at rest under a key file kept here.
  dataDir = mkdtempSync(path.join(tmpdir(), "osprey-tokens-"));
  process.env.OSPREY_DATA_DIR = dataDir;
  tdb = await createTestDatabase();
  process.env.DATABASE_URL = tdb.url;
  db = new pg.Pool({ connectionString: tdb.url, max: 2 });
  r = {
    tokens: await import("@/app/api/v1/tokens/route"),
    token: await import("@/app/api/v1/tokens/[id]/route"),
    channels: await import("@/app/api/v1/channels/route"),
    audit: await import("@/app/api/v1/audit/route"),
  };
  owner = await signIn("owner");
  member = await signIn("member");
}, 60_000);

afterAll(async () => {
  const { closeDb } = await import("@/lib/db/prisma");
  await closeDb();
  await db?.end();
  await tdb?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("API tokens", () => {
  it("a write token reads and changes with its user's role; the token is shown once and stored only as a hash", async () => {
    const made = await makeToken(owner, { name: "deploy script", scope: "write" });
    expect(made.token).toMatch(/^osp_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(made.data).toMatchObject({ name: "deploy script", scope: "write", lastUsedAt: null, expiresAt: null, revokedAt: null });
    expect(made.token.startsWith(made.data.hint.replace("…", ""))).toBe(true);

    const { rows } = await db.query("SELECT row_to_json(t)::text AS line FROM api_tokens t");
    expect(rows).toHaveLength(1);
    const secret = made.token.split("_").slice(2).join("_");
    expect(rows[0].line).not.toContain(secret);
    expect(rows[0].line).not.toContain(made.token);

    const listed = await r.tokens.GET(requestAs(owner)(`${ORIGIN}/api/v1/tokens`), undefined as never);
    const listText = await listed.text();
    expect(listText).not.toContain(secret);
    expect(listText).not.toMatch(/hash/i);

    expect((await listChannels(made.token)).status).toBe(200);
    const added = await addChannel(made.token, "from a token");
    expect(added.status).toBe(201);
    const audit = await r.audit.GET(bearer(made.token, "/api/v1/audit?action=channel.added"), undefined as never);
    const entries = (await audit.json()).data as { actor: string; target: { name: string } }[];
    expect(entries[0]).toMatchObject({ actor: `${owner.user.email} (API token ${made.data.hint})`, target: { name: "from a token" } });
  });

  it("a read token reads, and is refused any change (403), even its owner's; an admin-only read too", async () => {
    const { token } = await makeToken(owner, { name: "dashboard", scope: "read" });
    expect((await listChannels(token)).status).toBe(200);
    const refused = await addChannel(token, "nope");
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).code).toBe("forbidden");
    expect((await r.audit.GET(bearer(token, "/api/v1/audit"), undefined as never)).status).toBe(403);
    expect((await db.query("SELECT 1 FROM channels WHERE name = 'nope'")).rowCount).toBe(0);
  });

  it("a member's write token acts as a member: no admin routes", async () => {
    const { token } = await makeToken(member, { name: "member script", scope: "write" });
    expect((await addChannel(token, "member's")).status).toBe(403);
    expect((await listChannels(token)).status).toBe(200);
  });

  it("refuses unknown, malformed, revoked and expired tokens, and those of a removed user, with 401 and a reason", async () => {
    const made = await makeToken(owner, { name: "short-lived", scope: "write", expiresInDays: 30 });
    expect(Date.parse(made.data.expiresAt!) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect((await listChannels(made.token)).status).toBe(200);

    const flipped = made.token.slice(0, -1) + (made.token.endsWith("A") ? "B" : "A");
    const cases: [string, RegExp][] = [
      [flipped, /unknown/i],
      [`osp_00000000_${"A".repeat(43)}`, /unknown/i],
      ["not-a-token", /not an osprey api token/i],
      ["", /not an osprey api token/i],
    ];
    for (const [token, message] of cases) {
      const res = await listChannels(token);
      expect(res.status, token).toBe(401);
      const err = await errorOf(res);
      expect(err.code).toBe("unauthenticated");
      expect(err.message).toMatch(message);
    }

    await db.query("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1", [made.data.id]);
    const expired = await listChannels(made.token);
    expect(expired.status).toBe(401);
    expect((await errorOf(expired)).message).toMatch(/expired/);
    const states = (await (await r.tokens.GET(requestAs(owner)(`${ORIGIN}/api/v1/tokens`), undefined as never)).json()).data as { id: number; state: string }[];
    expect(states.find((t) => t.id === made.data.id)!.state).toBe("expired");

    const other = await makeToken(owner, { name: "to revoke", scope: "write" });
    const revoked = await r.token.DELETE(requestAs(owner)(`${ORIGIN}/api/v1/tokens/${other.data.id}`, { method: "DELETE" }), ctx(other.data.id));
    expect(revoked.status).toBe(200);
    expect((await revoked.json()).data.revokedAt).not.toBeNull();
    const afterRevoke = await listChannels(other.token);
    expect(afterRevoke.status).toBe(401);
    expect((await errorOf(afterRevoke)).message).toMatch(/revoked/);

    const leaving = await signIn("admin");
    const theirs = await makeToken(leaving, { name: "leaver", scope: "write" });
    expect((await listChannels(theirs.token)).status).toBe(200);
    const { removeUser } = await import("@/lib/auth/users");
    await removeUser(leaving.user.email);
    expect((await listChannels(theirs.token)).status).toBe(401);
  });

  it("a Bearer header wins over a session cookie: a bad token is not rescued by the cookie", async () => {
    const res = await r.channels.GET(bearer("osp_00000000_x", "/api/v1/channels", "GET", undefined, { cookie: owner.cookie }), undefined as never);
    expect(res.status).toBe(401);
  });

  it("records the last use at most once a minute", async () => {
    const made = await makeToken(owner, { name: "poller", scope: "read" });
    const lastUsed = async () => (await db.query<{ last_used_at: Date | null }>("SELECT last_used_at FROM api_tokens WHERE id = $1", [made.data.id])).rows[0].last_used_at;
    expect(await lastUsed()).toBeNull();
    await listChannels(made.token);
    const first = await lastUsed();
    expect(first).not.toBeNull();
    await listChannels(made.token);
    expect(await lastUsed()).toEqual(first);
    await db.query("UPDATE api_tokens SET last_used_at = now() - interval '61 seconds' WHERE id = $1", [made.data.id]);
    const old = await lastUsed();
    await listChannels(made.token);
    expect((await lastUsed())!.getTime()).toBeGreaterThan(old!.getTime());
    const listed = (await (await r.tokens.GET(requestAs(owner)(`${ORIGIN}/api/v1/tokens`), undefined as never)).json()).data as Created["data"][];
    expect(listed.find((t) => t.id === made.data.id)!.lastUsedAt).not.toBeNull();
  });

  it("a token can neither make nor revoke tokens: that needs a session", async () => {
    const write = await makeToken(owner, { name: "leaked", scope: "write" });
    const mint = await r.tokens.POST(bearer(write.token, "/api/v1/tokens", "POST", { name: "more", scope: "write" }), undefined as never);
    expect(mint.status).toBe(403);
    expect((await errorOf(mint)).message).toMatch(/session/);
    const revoke = await r.token.DELETE(bearer(write.token, `/api/v1/tokens/${write.data.id}`, "DELETE"), ctx(write.data.id));
    expect(revoke.status).toBe(403);
    expect((await db.query("SELECT 1 FROM api_tokens WHERE name = 'more'")).rowCount).toBe(0);
    // Reading its own list is fine.
    expect((await r.tokens.GET(bearer(write.token, "/api/v1/tokens"), undefined as never)).status).toBe(200);
  });

  it("lists one's own tokens; admins may list and revoke everyone's, others may not touch another's", async () => {
    const mine = await makeToken(member, { name: "member's own", scope: "read" });
    const ownersToken = await makeToken(owner, { name: "owner's own", scope: "read" });
    const names = async (as: TestSession, q = "") =>
      ((await (await r.tokens.GET(requestAs(as)(`${ORIGIN}/api/v1/tokens${q}`), undefined as never)).json()).data as Created["data"][]).map((t) => t.name);
    expect(await names(member)).toContain("member's own");
    expect(await names(member)).not.toContain("owner's own");
    expect((await r.tokens.GET(requestAs(member)(`${ORIGIN}/api/v1/tokens?all=1`), undefined as never)).status).toBe(403);
    expect(await names(owner, "?all=1")).toEqual(expect.arrayContaining(["member's own", "owner's own"]));

    const notYours = await r.token.DELETE(requestAs(member)(`${ORIGIN}/api/v1/tokens/${ownersToken.data.id}`, { method: "DELETE" }), ctx(ownersToken.data.id));
    expect(notYours.status).toBe(404);
    expect((await listChannels(ownersToken.token)).status).toBe(200);
    const byOwner = await r.token.DELETE(requestAs(owner)(`${ORIGIN}/api/v1/tokens/${mine.data.id}`, { method: "DELETE" }), ctx(mine.data.id));
    expect(byOwner.status).toBe(200);
    expect((await listChannels(mine.token)).status).toBe(401);
  });

  it("audits making and revoking, without the token", async () => {
    const made = await makeToken(member, { name: "audited", scope: "write" });
    await r.token.DELETE(requestAs(member)(`${ORIGIN}/api/v1/tokens/${made.data.id}`, { method: "DELETE" }), ctx(made.data.id));
    const { rows } = await db.query("SELECT actor, action, target_kind, target_id, target_name, detail FROM audit_events WHERE target_kind = 'api_token' AND target_id = $1 ORDER BY id", [String(made.data.id)]);
    expect(rows).toEqual([
      expect.objectContaining({ actor: member.user.email, action: "api_token.created", target_name: "audited", detail: expect.objectContaining({ scope: "write", user: member.user.email }) }),
      expect.objectContaining({ actor: member.user.email, action: "api_token.revoked", target_name: "audited" }),
    ]);
    expect(JSON.stringify(rows)).not.toContain(made.token.split("_").slice(2).join("_"));
  });

  it("validates what makes a token", async () => {
    for (const body of [{ name: "", scope: "read" }, { name: "x", scope: "admin" }, { name: "x", scope: "read", expiresInDays: 0 }, { name: "x", scope: "read", extra: 1 }]) {
      const res = await r.tokens.POST(requestAs(owner)(`${ORIGIN}/api/v1/tokens`, jsonInit("POST", body)), undefined as never);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });
});

type NextInit = ConstructorParameters<typeof NextRequest>[1];

describe("the cross-site check (proxy.ts)", () => {
  it("still refuses a cookie POST from another origin, but lets a Bearer one through to the handler", async () => {
    const { proxy } = await import("@/proxy");
    const { token } = await makeToken(owner, { name: "cross-site", scope: "write" });
    const evil = { origin: "https://evil.example", "sec-fetch-site": "cross-site" };
    const cookiePost = new NextRequest(`${ORIGIN}/api/v1/channels`, jsonInit("POST", newChannel("csrf"), { ...evil, cookie: owner.cookie, host: "127.0.0.1:3000" }) as NextInit);
    const refused = proxy(cookiePost);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe("cross_site");

    const bearerPost = new NextRequest(`${ORIGIN}/api/v1/channels`, jsonInit("POST", newChannel("scripted"), { ...evil, authorization: `Bearer ${token}`, host: "127.0.0.1:3000" }) as NextInit);
    const passed = proxy(bearerPost);
    expect(passed.headers.get("x-middleware-next")).toBe("1");
    expect((await addChannel(token, "scripted")).status).toBe(201);
  });
});
