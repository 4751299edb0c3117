import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type TestSession } from "@/test/auth";
import { createTestDatabase, type TestDatabase } from "@/test/db";

// Sign-in through the real /api/auth route handler (better-auth behind the lockout), from addresses a proxy reports.
let tdb: TestDatabase;
let db: pg.Pool;
let user: TestSession;
let POST: (req: Request) => Promise<Response>;

const attempt = (password: string, ip: string, email = user.user.email) =>
  POST(
    new Request("http://127.0.0.1:3000/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://127.0.0.1:3000", "x-forwarded-for": ip },
      body: JSON.stringify({ email, password }),
    }),
  );

beforeAll(async () => {
  tdb = await createTestDatabase();
  process.env.DATABASE_URL = tdb.url;
  process.env.PORT = "3000";
  db = new pg.Pool({ connectionString: tdb.url, max: 2 });
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = db;
  user = await signIn("member");
  ({ POST } = await import("@/app/api/auth/[...all]/route"));
});

afterAll(async () => {
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = undefined;
  await db.end();
  await tdb.drop();
});

describe("failed sign-ins", () => {
  it("lock an address out for an email after five, even with the right password; another address still signs in", async () => {
    for (let i = 0; i < 5; i++) expect((await attempt(`wrong-password-${i}`, "198.51.100.1")).status).toBe(401);
    const locked = await attempt(user.password, "198.51.100.1");
    expect(locked.status).toBe(429);
    const body = (await locked.json()) as { code: string; message: string; retryAfter: number };
    expect(body.code).toBe("LOCKED_OUT");
    expect(body.retryAfter).toBeGreaterThan(14 * 60);
    expect(body.message).toBe("Too many failed sign-ins: try again in 15 minutes");

    const elsewhere = await attempt(user.password, "198.51.100.2");
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.headers.getSetCookie().join(";")).toMatch(/osprey\.session_token=/);

    const { rows } = await db.query<{ action: string; actor: string; ip: string }>("SELECT action, actor, ip FROM audit_events ORDER BY id");
    expect(rows.filter((r) => r.action === "auth.sign_in_failed")).toHaveLength(5);
    expect(rows.at(-1)).toEqual({ action: "auth.signed_in", actor: user.user.email, ip: "198.51.100.2" });
  });

  it("lock an email out from every address after twenty, however many addresses a client claims", async () => {
    const other = await signIn("viewer");
    for (let i = 0; i < 20; i++) expect((await attempt(`wrong-${i}`, `203.0.113.${i + 1}`, other.user.email)).status).toBe(401);
    expect((await attempt(other.password, "203.0.113.200", other.user.email)).status).toBe(429);
    // Another user is not affected.
    expect((await attempt(user.password, "203.0.113.201")).status).toBe(200);
  }, 60_000);

  it("lets the lockout lapse after fifteen minutes", async () => {
    const { lockedOutFor } = await import("./lockout");
    const now = Date.now();
    expect(await lockedOutFor("198.51.100.1", user.user.email, now)).toBeGreaterThan(0);
    expect(await lockedOutFor("198.51.100.1", user.user.email, now + 15 * 60_000 + 1_000)).toBeNull();
  });
});
