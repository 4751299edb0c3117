import { readdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLES, hasRole, type Role } from "@/lib/auth/roles";
import { signIn, type TestSession } from "@/test/auth";
import { createTestDatabase, type TestDatabase } from "@/test/db";

// Walks every route handler under app/api for an anonymous client and a real signed-in user of each role.
// A route or method that this table does not name fails the test: a new handler needs a rule first.

type Rule = Role | "public" | "own-key";
const EXPECTED: Record<string, Rule> = {
  "GET /api/health": "public",
  "GET /api/auth/[...all]": "public",
  "POST /api/auth/[...all]": "public",
  "POST /api/setup": "public",
  "POST /api/v1/ingest/firehose": "own-key",

  "GET /api/v1/[...path]": "viewer",
  "POST /api/v1/[...path]": "viewer",
  "PUT /api/v1/[...path]": "viewer",
  "PATCH /api/v1/[...path]": "viewer",
  "DELETE /api/v1/[...path]": "viewer",
  "GET /api/v1/openapi.json": "viewer",
  "GET /api/v1/overview": "viewer",
  "GET /api/v1/cost": "viewer",
  "GET /api/v1/search": "viewer",
  "GET /api/v1/search/histogram": "viewer",
  "GET /api/v1/search/context": "viewer",
  "GET /api/v1/tail": "viewer",
  "GET /api/v1/saved-searches": "viewer",
  "POST /api/v1/saved-searches": "member",
  "DELETE /api/v1/saved-searches/[id]": "member",
  "GET /api/v1/resources": "viewer",
  "GET /api/v1/resources/[id]": "viewer",
  "GET /api/v1/resources/[id]/series": "viewer",
  "GET /api/v1/resources/[id]/totals": "viewer",
  "GET /api/v1/resources/[id]/performance": "viewer",
  "GET /api/v1/resources/[id]/deploys": "viewer",
  "GET /api/v1/resources/[id]/invocations": "viewer",
  "GET /api/v1/resources/[id]/invocations/[requestId]": "viewer",
  "GET /api/v1/errors": "viewer",
  "GET /api/v1/errors/[id]": "viewer",
  "PATCH /api/v1/errors/[id]": "member",
  "GET /api/v1/insights": "viewer",
  "GET /api/v1/review": "viewer",
  "PATCH /api/v1/insights/[id]": "member",
  "GET /api/v1/insights/rules": "viewer",
  "PUT /api/v1/insights/rules": "admin",
  "GET /api/v1/incidents": "viewer",
  "GET /api/v1/incidents/[id]": "viewer",
  "GET /api/v1/incidents/[id]/evidence": "viewer",
  "POST /api/v1/incidents/[id]/acknowledge": "member",
  "POST /api/v1/incidents/[id]/resolve": "member",
  "POST /api/v1/incidents/[id]/snooze": "member",
  "GET /api/v1/accounts": "viewer",
  "POST /api/v1/accounts": "admin",
  "GET /api/v1/accounts/[id]": "viewer",
  "DELETE /api/v1/accounts/[id]": "admin",
  "POST /api/v1/accounts/[id]/test": "admin",
  "POST /api/v1/accounts/[id]/firehose-key": "admin",
  "GET /api/v1/channels": "viewer",
  "POST /api/v1/channels": "admin",
  "GET /api/v1/channels/[id]": "viewer",
  "PATCH /api/v1/channels/[id]": "admin",
  "DELETE /api/v1/channels/[id]": "admin",
  "POST /api/v1/channels/[id]/test": "admin",
  "GET /api/v1/channels/[id]/notifications": "viewer",
  "GET /api/v1/alert-policies": "viewer",
  "POST /api/v1/alert-policies": "admin",
  "GET /api/v1/alert-policies/[id]": "viewer",
  "PATCH /api/v1/alert-policies/[id]": "admin",
  "DELETE /api/v1/alert-policies/[id]": "admin",
  "POST /api/v1/alert-policies/backtest": "admin",
  "GET /api/v1/settings/sandbox": "viewer",
  "GET /api/v1/storage": "viewer",
  "PUT /api/v1/settings/sandbox": "admin",
  "GET /api/v1/settings/sso": "owner",
  "PUT /api/v1/settings/sso": "owner",
  "POST /api/v1/settings/sso/discovery": "owner",
  "GET /api/v1/sandbox/drill": "viewer",
  "POST /api/v1/sandbox/drill": "admin",
  "POST /api/v1/sandbox/stacks": "admin",
  "POST /api/v1/onboarding": "admin",
  "GET /api/v1/onboarding/template": "admin",
  "POST /api/v1/onboarding/verify": "admin",
  "GET /api/v1/audit": "admin",
  "GET /api/v1/tokens": "viewer",
  "POST /api/v1/tokens": "viewer",
  "DELETE /api/v1/tokens/[id]": "viewer",
  "GET /api/v1/users": "admin",
  "POST /api/v1/users": "owner",
  "PATCH /api/v1/users/[userId]": "owner",
  "DELETE /api/v1/users/[userId]": "owner",
  "POST /api/v1/users/[userId]/password-link": "owner",
};

// Only a browser session may make or revoke API tokens: a token gets 403 here, whatever its scope.
const SESSION_ONLY = new Set(["POST /api/v1/tokens", "DELETE /api/v1/tokens/[id]"]);

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const API_DIR = path.join(process.cwd(), "app/api");

interface Endpoint {
  key: string;
  file: string;
  method: (typeof METHODS)[number];
  route: string;
}

// Values for the dynamic segments: any well-formed value; what they name need not exist.
const SEGMENT_VALUES: Record<string, string | string[]> = { id: "1", userId: "u-1", requestId: "r-1", path: ["nothing-here"], all: ["get-session"] };

function concrete(route: string): { url: string; params: Record<string, string | string[]> } {
  const params: Record<string, string | string[]> = {};
  const url = route.replace(/\[(\.\.\.)?(\w+)\]/g, (_m, _rest, name: string) => {
    const value = SEGMENT_VALUES[name];
    if (value === undefined) throw new Error(`no test value for the path segment [${name}] of ${route}: add one to SEGMENT_VALUES`);
    params[name] = value;
    return Array.isArray(value) ? value.join("/") : value;
  });
  return { url, params };
}

async function listEndpoints(): Promise<Endpoint[]> {
  const files = (readdirSync(API_DIR, { recursive: true }) as string[]).filter((f) => path.basename(f) === "route.ts").sort();
  const endpoints: Endpoint[] = [];
  for (const f of files) {
    const route = `/api/${path.dirname(f).split(path.sep).join("/")}`;
    const mod = (await import(path.join(API_DIR, f))) as Record<string, unknown>;
    for (const method of METHODS) if (typeof mod[method] === "function") endpoints.push({ key: `${method} ${route}`, file: f, method, route });
  }
  return endpoints;
}

const ORIGIN = "http://127.0.0.1:3000";

async function call(e: Endpoint, cookie: string | null, token?: string): Promise<Response> {
  const mod = (await import(path.join(API_DIR, e.file))) as Record<string, (req: Request, ctx: unknown) => Promise<Response>>;
  const { url, params } = concrete(e.route);
  const headers = new Headers({ origin: ORIGIN, accept: "application/json" });
  if (cookie) headers.set("cookie", cookie);
  if (token) headers.set("authorization", `Bearer ${token}`);
  const withBody = e.method !== "GET" && e.method !== "DELETE";
  if (withBody) headers.set("content-type", "application/json");
  const req = new Request(`${ORIGIN}${url}`, { method: e.method, headers, body: withBody ? "{}" : undefined });
  return mod[e.method](req, { params: Promise.resolve(params) });
}

const statusClass = (status: number) => (status === 401 ? "401" : status === 403 ? "403" : "allowed");

let tdb: TestDatabase;
let db: pg.Pool;
const sessions = {} as Record<Role, TestSession>;
// API tokens: a read token of the owner (acts as a viewer) and write tokens of a member and an admin (act with their role).
const TOKEN_HOLDERS = [
  ["read token of an owner", "owner", "read", "viewer"],
  ["write token of a member", "member", "write", "member"],
  ["write token of an admin", "admin", "write", "admin"],
] as const;
let endpoints: Endpoint[];

beforeAll(async () => {
  tdb = await createTestDatabase();
  process.env.DATABASE_URL = tdb.url;
  process.env.PORT = "3000";
  db = new pg.Pool({ connectionString: tdb.url, max: 4 });
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = db;
  for (const role of ROLES) sessions[role] = await signIn(role);
  endpoints = await listEndpoints();
}, 120_000);

afterAll(async () => {
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = undefined;
  await db?.end();
  await tdb?.drop();
});

describe("who may call what", () => {
  it("has a rule for every route handler and method, and no rule for one that is gone", () => {
    const found = endpoints.map((e) => e.key).sort();
    expect(found.filter((k) => !(k in EXPECTED)), "route handlers without a rule in EXPECTED").toEqual([]);
    expect(Object.keys(EXPECTED).filter((k) => !found.includes(k)), "rules for route handlers that no longer exist").toEqual([]);
  });

  it("answers every route as the table says, for anonymous clients and each role", async () => {
    const got: Record<string, Record<string, string>> = {};
    const want: Record<string, Record<string, string>> = {};
    for (const e of endpoints) {
      const rule = EXPECTED[e.key];
      if (!rule) continue;
      got[e.key] = {};
      want[e.key] = {};
      for (const who of ["anonymous", ...ROLES] as const) {
        const res = await call(e, who === "anonymous" ? null : sessions[who].cookie);
        got[e.key][who] = statusClass(res.status);
        want[e.key][who] =
          rule === "public" ? "allowed" : rule === "own-key" ? "401" : who === "anonymous" ? "401" : hasRole(who, rule) ? "allowed" : "403";
        if (res.status === 401 || res.status === 403) {
          const body = (await res.json()) as { error?: { code?: string } };
          if (rule !== "own-key") expect(body.error?.code, `${who} ${e.key}`).toBe(res.status === 401 ? "unauthenticated" : "forbidden");
        }
      }
    }
    expect(got).toEqual(want);
  }, 120_000);

  it("answers every route for an API token as for its user's role, capped at viewer for a read token", async () => {
    // Made here: the table's walk above revokes token 1 (DELETE /api/v1/tokens/1 as an owner).
    const { createApiToken } = await import("@/lib/db/api-tokens");
    const tokens: Record<string, string> = {};
    for (const [who, role, scope] of TOKEN_HOLDERS) tokens[who] = (await createApiToken({ userId: sessions[role].user.id, name: who, scope }, { name: "test" })).token;
    const got: Record<string, Record<string, string>> = {};
    const want: Record<string, Record<string, string>> = {};
    for (const e of endpoints) {
      const rule = EXPECTED[e.key];
      if (!rule || rule === "public" || rule === "own-key") continue;
      got[e.key] = {};
      want[e.key] = {};
      for (const [who, , , acts] of TOKEN_HOLDERS) {
        got[e.key][who] = statusClass((await call(e, null, tokens[who])).status);
        want[e.key][who] = SESSION_ONLY.has(e.key) || !hasRole(acts, rule) ? "403" : "allowed";
      }
    }
    expect(got).toEqual(want);
  }, 120_000);

  it("refuses a tampered or revoked session cookie, and reads the role afresh on every request", async () => {
    const route = (await import("./audit/route")).GET;
    const get = (cookie: string) => route(new Request(`${ORIGIN}/api/v1/audit`, { headers: { cookie } }), {} as never);
    const s = await signIn("viewer");
    const [name, value] = s.cookie.split("=");
    expect((await get(`${name}=${value.slice(0, -3)}abc`)).status).toBe(401);
    expect((await get(s.cookie)).status).toBe(403);

    const { setUserRole, revokeSessions } = await import("@/lib/auth/users");
    await setUserRole(s.user.email, "admin");
    expect((await get(s.cookie)).status).toBe(200);
    await revokeSessions(s.user.id);
    expect((await get(s.cookie)).status).toBe(401);
  });
});
