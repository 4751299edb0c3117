import { execFile } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cookieHeader } from "@/test/auth";
import { createTestDatabase, type TestDatabase } from "@/test/db";

// `osprey users` as an operator runs it, against this file's own database; what it does is then
// checked through better-auth's own sign-in and session lookup, as the web server would see it.
const ROOT = path.resolve(import.meta.dirname, "../..");
const OSPREY = path.join(ROOT, "bin/osprey");

let tdb: TestDatabase;
let db: pg.Pool;

function osprey(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(OSPREY, ["users", ...args], { env: { ...process.env, DATABASE_URL: tdb.url, LOG_LEVEL: "warn" }, cwd: ROOT }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin ?? "");
  });
}

async function signInStatus(email: string, password: string): Promise<{ status: number; cookie: string }> {
  const { auth } = await import("@/lib/auth/auth");
  const res = await auth().api.signInEmail({ body: { email, password }, asResponse: true });
  return { status: res.status, cookie: cookieHeader(res) };
}

async function sessionRole(cookie: string): Promise<string | null> {
  const { principalOf } = await import("@/lib/auth/session");
  return (await principalOf(new Headers({ cookie })))?.role ?? null;
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  process.env.DATABASE_URL = tdb.url;
  db = new pg.Pool({ connectionString: tdb.url, max: 2 });
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = db;
});

afterAll(async () => {
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = undefined;
  await db.end();
  await tdb.drop();
});

describe("osprey users", () => {
  it("adds users with a password from stdin or a generated one shown once, who can then sign in", async () => {
    const owner = await osprey(["add", "--email", "Ada@Example.com", "--name", "Ada", "--role", "owner", "--password-stdin"], "ada-password-123\n");
    expect(owner).toMatchObject({ code: 0, stdout: "added ada@example.com (owner)\n" });
    expect((await signInStatus("ada@example.com", "ada-password-123")).status).toBe(200);

    const viewer = await osprey(["add", "--email", "vic@example.com", "--name", "Vic", "--role", "viewer"]);
    expect(viewer.code).toBe(0);
    const password = viewer.stdout.match(/^password: (\S+) {2}\(shown once/m)?.[1];
    expect(password).toHaveLength(24);
    expect((await signInStatus("vic@example.com", password!)).status).toBe(200);
    expect((await signInStatus("vic@example.com", "not-the-password")).status).toBe(401);

    const listed = await osprey(["list"]);
    expect(listed.stdout).toMatch(/^ada@example\.com\towner\tAda\tadded /m);
    expect(listed.stdout).toMatch(/^vic@example\.com\tviewer\tVic\tadded /m);
  }, 60_000);

  it("refuses a short password, an unknown role and a second user with the same email", async () => {
    expect(await osprey(["add", "--email", "x@example.com", "--name", "X", "--role", "viewer", "--password-stdin"], "short\n")).toMatchObject({ code: 2, stderr: expect.stringContaining("at least 12 characters") });
    expect(await osprey(["add", "--email", "x@example.com", "--name", "X", "--role", "god"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--role must be one of viewer, member, admin, owner") });
    expect(await osprey(["add", "--email", "vic@example.com", "--name", "Vic", "--role", "viewer"])).toMatchObject({ code: 2, stderr: expect.stringContaining("already exists") });
  }, 60_000);

  it("changes a role (the session sees it at once), resets a password (ending the sessions) and removes a user", async () => {
    const before = await osprey(["reset-password", "--email", "vic@example.com", "--password-stdin"], "vic-password-456\n");
    expect(before.code).toBe(0);
    const { cookie } = await signInStatus("vic@example.com", "vic-password-456");
    expect(await sessionRole(cookie)).toBe("viewer");

    expect(await osprey(["set-role", "--email", "vic@example.com", "--role", "member"])).toMatchObject({ code: 0, stdout: "vic@example.com: viewer -> member\n" });
    expect(await sessionRole(cookie)).toBe("member");

    const reset = await osprey(["reset-password", "--email", "vic@example.com"]);
    expect(reset.stdout).toContain("new password set for vic@example.com; their sessions ended");
    const fresh = reset.stdout.match(/^password: (\S+) /m)![1];
    expect(await sessionRole(cookie)).toBeNull();
    expect((await signInStatus("vic@example.com", "vic-password-456")).status).toBe(401);
    expect((await signInStatus("vic@example.com", fresh)).status).toBe(200);

    // The last owner stays.
    expect(await osprey(["set-role", "--email", "ada@example.com", "--role", "admin"])).toMatchObject({ code: 2, stderr: expect.stringContaining("last owner") });
    expect(await osprey(["remove", "--email", "ada@example.com"])).toMatchObject({ code: 2, stderr: expect.stringContaining("last owner") });

    expect(await osprey(["remove", "--email", "vic@example.com"])).toMatchObject({ code: 0 });
    expect((await signInStatus("vic@example.com", fresh)).status).toBe(401);
    expect(await osprey(["remove", "--email", "vic@example.com"])).toMatchObject({ code: 1, stderr: expect.stringContaining("not found") });

    const { rows } = await db.query<{ actor: string; action: string; target_name: string; detail: unknown }>("SELECT actor, action, target_name, detail FROM audit_events ORDER BY id");
    expect(rows.map((r) => `${r.actor} ${r.action} ${r.target_name}`)).toEqual([
      "local (cli) user.added ada@example.com",
      "local (cli) user.added vic@example.com",
      "local (cli) user.password_reset vic@example.com",
      "local (cli) user.role_changed vic@example.com",
      "local (cli) user.password_reset vic@example.com",
      "local (cli) user.removed vic@example.com",
    ]);
    expect(rows[3].detail).toEqual({ from: "viewer", to: "member" });
  }, 120_000);
});
