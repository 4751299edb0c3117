// Every /api/v1 route, found by walking app/api/v1/**/route.ts (a new route is covered without editing
// this file), given what a careless or hostile client sends: ids that are not plain positive integers
// or are out of the column's range, NUL characters in the query, path and body, a body that is not
// application/json. Each must be refused with a 4xx and a JSON error, never a 500, never a surprise.
import { readdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { requestAs, signIn } from "@/test/auth";

// The handlers need a signed-in user: an owner may do everything.
let asOwner: ReturnType<typeof requestAs>;

const ROOT = path.join(__dirname);
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];
type RouteHandler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

interface Route {
  /** e.g. accounts/[id]/test */
  pattern: string;
  segments: string[];
  handlers: Partial<Record<Method, RouteHandler>>;
}

function routeFiles(dir: string, rel = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return routeFiles(path.join(dir, e.name), rel ? `${rel}/${e.name}` : e.name);
    return e.name === "route.ts" ? [rel] : [];
  });
}

// A valid-looking value for each dynamic segment other than the id under attack; 987654 names no row.
const FILLER: Record<string, string> = { id: "987654", requestId: "req-1" };

function build(route: Route, overrides: Record<string, string>, query = ""): { url: string; params: Record<string, string | string[]> } {
  const params: Record<string, string | string[]> = {};
  const parts = route.segments.map((seg) => {
    const catchAll = /^\[\.\.\.(\w+)\]$/.exec(seg);
    if (catchAll) {
      const v = overrides[catchAll[1]] ?? "nothing-here";
      params[catchAll[1]] = [v];
      return encodeURIComponent(v);
    }
    const dyn = /^\[(\w+)\]$/.exec(seg);
    if (!dyn) return seg;
    const v = overrides[dyn[1]] ?? FILLER[dyn[1]] ?? "x";
    params[dyn[1]] = v;
    return encodeURIComponent(v);
  });
  return { url: `http://127.0.0.1/api/v1/${parts.join("/")}${query}`, params };
}

async function call(route: Route, method: Method, init: { overrides?: Record<string, string>; query?: string; body?: string; contentType?: string } = {}) {
  const { url, params } = build(route, init.overrides ?? {}, init.query);
  const headers: Record<string, string> = {};
  if (init.contentType) headers["content-type"] = init.contentType;
  const req = asOwner(url, { method, headers, body: method === "GET" ? undefined : init.body });
  const res = await route.handlers[method]!(req, { params: Promise.resolve(params) });
  const text = await res.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, json, text, what: `${method} /api/v1/${route.pattern} ${init.query ?? ""} ${JSON.stringify(init.overrides ?? {})}` };
}

/** A refusal a client can read: 4xx, JSON, saying what is wrong (the API's `error`, or Firehose's `errorMessage`). */
function expectRefused(r: Awaited<ReturnType<typeof call>>, status?: number) {
  expect(r.status, `${r.what} -> ${r.status} ${r.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(r.status, `${r.what} -> ${r.status} ${r.text.slice(0, 300)}`).toBeLessThan(500);
  if (status !== undefined) expect(r.status, `${r.what} -> ${r.text.slice(0, 300)}`).toBe(status);
  expect(r.json, `${r.what}: not JSON: ${r.text.slice(0, 200)}`).not.toBeNull();
  const message = (r.json!.error as { message?: unknown } | undefined)?.message ?? r.json!.errorMessage;
  expect(typeof message, `${r.what}: no error message in ${r.text.slice(0, 200)}`).toBe("string");
}

const HOSTILE_IDS = ["0x1", "1e3", "-1", "0", "1.0", " 1", "1 ", "+1", "01", String(2 ** 31), "9223372036854775808", "99999999999999999999", "1%00"];

let tdb: TestDatabase;
let db: pg.Pool;
let routes: Route[];
let accountId: number;

beforeAll(async () => {
  tdb = await createTestDatabase();
  process.env.DATABASE_URL = tdb.url;
  db = new pg.Pool({ connectionString: tdb.url, max: 2 });
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = db;
  // Account 1 is what `0x1`, `1.0`, ` 1` and friends used to reach; its endpoint is a closed local port so nothing leaves this machine.
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO accounts (id, name, regions, credential_method, endpoint_url, updated_at) VALUES (1, 'target', '{us-east-1}', 'default_chain', 'http://127.0.0.1:9', now()) RETURNING id`,
  );
  accountId = rows[0].id;
  await db.query("SELECT setval(pg_get_serial_sequence('accounts', 'id'), 100)");
  routes = [];
  for (const rel of routeFiles(ROOT)) {
    const mod = (await import(/* @vite-ignore */ path.join(ROOT, rel, "route.ts"))) as Record<string, unknown>;
    const handlers: Route["handlers"] = {};
    for (const m of METHODS) if (typeof mod[m] === "function") handlers[m] = mod[m] as RouteHandler;
    routes.push({ pattern: rel, segments: rel.split("/"), handlers });
  }
  asOwner = requestAs(await signIn("owner"));
}, 120_000);

afterAll(async () => {
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = undefined;
  const { closeDb } = await import("@/lib/db/prisma");
  await closeDb();
  await db?.end();
  await tdb?.drop();
});

const each = (fn: (route: Route, method: Method) => Promise<void>) => async () => {
  for (const route of routes) for (const method of Object.keys(route.handlers) as Method[]) await fn(route, method);
};

describe("every /api/v1 route refuses hostile input with a 4xx JSON error", () => {
  it("finds the routes it walks", () => {
    const patterns = routes.map((r) => r.pattern);
    expect(patterns).toEqual(expect.arrayContaining(["accounts/[id]", "channels/[id]", "resources/[id]/invocations/[requestId]", "ingest/firehose", "search"]));
    expect(routes.length).toBeGreaterThanOrEqual(20);
  });

  it(
    "ids that are not plain positive integers within int4 are a 400, and reach no row",
    each(async (route, method) => {
      if (!route.segments.includes("[id]")) return;
      for (const id of HOSTILE_IDS) expectRefused(await call(route, method, { overrides: { id }, body: "{}", contentType: "application/json" }), 400);
    }),
  );

  it("DELETE /accounts/0x1 deletes nothing", async () => {
    const { rows } = await db.query("SELECT id FROM accounts WHERE id = $1", [accountId]);
    expect(rows).toHaveLength(1);
  });

  it(
    "ids in query filters are as strict",
    each(async (route, method) => {
      if (method !== "GET" || route.segments.some((s) => s.startsWith("["))) return;
      for (const id of ["0x1", "1e3", String(2 ** 31), "-1"]) {
        const r = await call(route, method, { query: `?account=${encodeURIComponent(id)}&resource=${encodeURIComponent(id)}&q=x` });
        // Routes that take neither filter ignore them; none may fail.
        expect(r.status, `${r.what} -> ${r.text.slice(0, 300)}`).toBeLessThan(500);
      }
    }),
  );

  it(
    "a NUL in a query parameter (value or name) is a 400",
    each(async (route, method) => {
      for (const query of ["?q=a%00b&name=a%00b&region=us-east-1%00&state=open%00&cursor=%00&tag=a:%00&metric=%00", "?x%00=1"]) {
        const r = await call(route, method, { query, body: "{}", contentType: "application/json" });
        // Firehose authenticates first: without a valid access key it refuses (401/403) before looking at anything else.
        expectRefused(r, route.pattern === "ingest/firehose" ? undefined : 400);
      }
    }),
  );

  it(
    "a NUL in a path parameter is a 400",
    each(async (route, method) => {
      const dynamic = route.segments.map((s) => /^\[(\w+)\]$/.exec(s)?.[1]).filter((s): s is string => !!s);
      for (const name of dynamic) expectRefused(await call(route, method, { overrides: { [name]: "a\0b" } }), 400);
    }),
  );

  it(
    "a NUL in a JSON body is a 400 (or the route reads no body and refuses otherwise), never a 500",
    each(async (route, method) => {
      if (method === "GET" || method === "DELETE") return;
      for (const body of [`{"name":"a\\u0000b","state":"open","enabled":true,"regions":["us-east-1"],"ruleId":"x","thresholds":{}}`, `{"a\\u0000":1}`, `["\\u0000"]`]) {
        expectRefused(await call(route, method, { body, contentType: "application/json" }));
      }
    }),
  );

  it(
    "a body that is not application/json is a 415 where a JSON body is read, and never a 500",
    each(async (route, method) => {
      if (method === "GET" || method === "DELETE") return;
      for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "application/jsonx"]) {
        const r = await call(route, method, { body: `{"state":"open","enabled":true}`, contentType });
        expectRefused(r);
      }
    }),
  );
});

describe("bodies the API reads", () => {
  const route = async (pattern: string) => routes.find((r) => r.pattern === pattern)!;

  it("a JSON body without the application/json type is refused with 415 and changes nothing", async () => {
    const accounts = await route("accounts");
    const r = await call(accounts, "POST", { body: JSON.stringify({ name: "plain", regions: ["us-east-1"] }), contentType: "text/plain;charset=UTF-8" });
    expectRefused(r, 415);
    const ok = await call(accounts, "POST", { body: JSON.stringify({ name: "typed", regions: ["us-east-1"] }), contentType: "application/json; charset=utf-8" });
    expect(ok.status, ok.text).toBe(201);
    const { rows } = await db.query("SELECT name FROM accounts WHERE name IN ('plain', 'typed')");
    expect(rows.map((r) => r.name)).toEqual(["typed"]);
  });

  it("a NUL in an account name is a 400 that names the field", async () => {
    const r = await call(await route("accounts"), "POST", { body: `{"name":"a\\u0000b","regions":["us-east-1"]}`, contentType: "application/json" });
    expectRefused(r, 400);
    expect(JSON.stringify(r.json)).toContain("name");
  });

  it("a body over 1 MiB is refused with 413 while it streams, even without a Content-Length", async () => {
    const accounts = await route("accounts");
    let sent = 0;
    const chunk = new TextEncoder().encode(`{"name":"${"x".repeat(65_000)}`);
    // An endless chunked body: the route must stop reading it, not wait for its end.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const req = asOwner("http://127.0.0.1/api/v1/accounts", { method: "POST", headers: { "content-type": "application/json" }, body, duplex: "half" } as RequestInit);
    const res = await accounts.handlers.POST!(req, { params: Promise.resolve({}) });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("payload_too_large");
    expect(sent).toBeLessThan(2 * 1024 * 1024);
  });
});
