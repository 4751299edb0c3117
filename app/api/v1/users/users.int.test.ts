import type { ParsedMail } from "mailparser";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cookieHeader, requestAs, signIn, type TestSession } from "@/test/auth";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { startSmtpReceiver, type SmtpReceiver } from "@/test/receivers";
import { waitFor } from "@/test/wait";

// Settings → Users through the real route handlers, and "Forgot password?" through better-auth's own endpoints,
// with a real SMTP server on loopback receiving Osprey's mail.
const ORIGIN = "http://127.0.0.1:3000";
const SMTP_PASSWORD = "osprey-smtp-pa55word-int";

let tdb: TestDatabase;
let db: pg.Pool;
let smtp: SmtpReceiver;
let mails: SmtpReceiver["mails"];
let owner: TestSession;
let routes: { list: typeof import("./route"); one: typeof import("./[userId]/route"); link: typeof import("./[userId]/password-link/route") };
let authPOST: (req: Request) => Promise<Response>;

const ctx = (userId: string) => ({ params: Promise.resolve({ userId }) });
const json = (method: string, body?: unknown) => ({ method, headers: { "content-type": "application/json", origin: ORIGIN }, body: body === undefined ? undefined : JSON.stringify(body) });
const asOwner = (method: string, path: string, body?: unknown) => requestAs(owner)(`${ORIGIN}${path}`, json(method, body));
const authCall = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  authPOST(new Request(`${ORIGIN}/api/auth${path}`, { method: "POST", headers: { "content-type": "application/json", origin: ORIGIN, ...headers }, body: JSON.stringify(body) }));
const signInWith = (email: string, password: string) => authCall("/sign-in/email", { email, password }, { "x-forwarded-for": "192.0.2.10" });
const sessionOk = async (cookie: string) => (await routes.list.GET(new Request(`${ORIGIN}/api/v1/users`, { headers: { cookie } }), undefined as never)).status;
const tokenOf = (url: string) => new URL(url).searchParams.get("token")!;
const linkIn = (mail: ParsedMail) => /(http:\/\/\S+\/reset-password\?token=\S+)/.exec(mail.text ?? "")?.[1];

beforeAll(async () => {
  smtp = await startSmtpReceiver("osprey", SMTP_PASSWORD);
  mails = smtp.mails;
  tdb = await createTestDatabase();
  process.env.DATABASE_URL = tdb.url;
  process.env.PORT = "3000";
  process.env.OSPREY_SMTP_URL = `smtp://osprey:${encodeURIComponent(SMTP_PASSWORD)}@127.0.0.1:${smtp.port}`;
  process.env.OSPREY_MAIL_FROM = "Osprey <osprey@example.com>";
  db = new pg.Pool({ connectionString: tdb.url, max: 4 });
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = db;
  owner = await signIn("owner");
  routes = { list: await import("./route"), one: await import("./[userId]/route"), link: await import("./[userId]/password-link/route") };
  ({ POST: authPOST } = await import("@/app/api/auth/[...all]/route"));
}, 60_000);

afterAll(async () => {
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = undefined;
  await smtp?.stop();
  await db?.end();
  await tdb?.drop();
});

describe("Settings → Users", () => {
  let sam: { id: string; email: string };

  it("adds a user with a one-time link, e-mailed to them, with which they set a password and sign in", async () => {
    const res = await routes.list.POST(asOwner("POST", "/api/v1/users", { name: "Sam Member", email: "Sam@Example.com", role: "member" }), undefined as never);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { data: { id: string; email: string; signInMethods: string[] }; link: { url: string; expiresAt: string; emailed: boolean } };
    sam = body.data;
    expect(body.data).toMatchObject({ email: "sam@example.com", role: "member", signInMethods: [], lastSignInAt: null });
    expect(body.link.url).toMatch(/^http:\/\/127\.0\.0\.1:3000\/reset-password\?token=[\w-]{40,}$/);
    expect(body.link.emailed).toBe(true);
    const hours = (Date.parse(body.link.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);

    const mail = mails.at(-1)!;
    expect(mail.user).toBe("osprey");
    expect(mail.mail.to).toMatchObject({ text: "sam@example.com" });
    expect(mail.mail.from?.text).toBe('"Osprey" <osprey@example.com>');
    expect(mail.mail.subject).toBe("Welcome to Osprey: set your password");
    expect(linkIn(mail.mail)).toBe(body.link.url);
    // Only a hash of the token is stored.
    expect(JSON.stringify((await db.query("SELECT * FROM verifications")).rows)).not.toContain(tokenOf(body.link.url));

    expect((await signInWith(sam.email, "anything-at-all-1")).status).toBe(401);
    expect((await authCall("/reset-password", { token: tokenOf(body.link.url), newPassword: "sams-own-password-1" })).status).toBe(200);
    expect((await authCall("/reset-password", { token: tokenOf(body.link.url), newPassword: "another-password-22" })).status).toBe(400);
    expect((await signInWith(sam.email, "sams-own-password-1")).status).toBe(200);

    const list = (await (await routes.list.GET(asOwner("GET", "/api/v1/users"), undefined as never)).json()) as { data: { email: string; signInMethods: string[]; lastSignInAt: string | null }[] };
    const row = list.data.find((u) => u.email === sam.email)!;
    expect(row.signInMethods).toEqual(["password"]);
    expect(Date.now() - Date.parse(row.lastSignInAt!)).toBeLessThan(60_000);
  });

  it("lets admins see the list but not change it", async () => {
    const admin = await signIn("admin");
    const get = await routes.list.GET(requestAs(admin)(`${ORIGIN}/api/v1/users`), undefined as never);
    expect(get.status).toBe(200);
    expect(((await get.json()) as { data: { email: string }[] }).data.map((u) => u.email)).toContain(sam.email);
    const post = await routes.list.POST(requestAs(admin)(`${ORIGIN}/api/v1/users`, json("POST", { name: "X", email: "x@example.com", role: "owner" })), undefined as never);
    expect(post.status).toBe(403);
  });

  it("refuses a bad role or email, and a second user with the same email", async () => {
    expect((await routes.list.POST(asOwner("POST", "/api/v1/users", { name: "Y", email: "not-an-email", role: "member" }), undefined as never)).status).toBe(400);
    expect((await routes.list.POST(asOwner("POST", "/api/v1/users", { name: "Y", email: "y@example.com", role: "root" }), undefined as never)).status).toBe(400);
    expect((await routes.list.POST(asOwner("POST", "/api/v1/users", { name: "Sam again", email: "SAM@example.com", role: "viewer" }), undefined as never)).status).toBe(409);
  });

  it("changes a role, never the last owner's, and removes a user, ending their sessions", async () => {
    expect((await routes.one.PATCH(asOwner("PATCH", `/api/v1/users/${owner.user.id}`, { role: "admin" }), ctx(owner.user.id))).status).toBe(409);
    expect((await routes.one.DELETE(asOwner("DELETE", `/api/v1/users/${owner.user.id}`), ctx(owner.user.id))).status).toBe(409);

    const res = await routes.one.PATCH(asOwner("PATCH", `/api/v1/users/${sam.id}`, { role: "admin" }), ctx(sam.id));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { role: string } }).data.role).toBe("admin");

    const signedIn = await signInWith(sam.email, "sams-own-password-1");
    const samCookie = cookieHeader(signedIn);
    expect(await sessionOk(samCookie)).toBe(200);
    expect((await routes.one.DELETE(asOwner("DELETE", `/api/v1/users/${sam.id}`), ctx(sam.id))).status).toBe(204);
    expect(await sessionOk(samCookie)).toBe(401);
    expect((await signInWith(sam.email, "sams-own-password-1")).status).toBe(401);
    expect((await routes.one.DELETE(asOwner("DELETE", `/api/v1/users/${sam.id}`), ctx(sam.id))).status).toBe(404);

    const { rows } = await db.query<{ action: string; actor: string; target_name: string; detail: unknown }>(
      "SELECT action, actor, target_name, detail FROM audit_events WHERE target_name = $1 AND action LIKE 'user.%' ORDER BY id",
      [sam.email],
    );
    expect(rows.map((r) => [r.action, r.actor])).toEqual([
      ["user.added", owner.user.email],
      ["user.password_link", owner.user.email],
      ["user.password_reset", sam.email],
      ["user.role_changed", owner.user.email],
      ["user.removed", owner.user.email],
    ]);
    expect(rows[3].detail).toEqual({ from: "member", to: "admin" });
  });

  it("makes a new link for a user: the old password works until it is used, then only the new one", async () => {
    const kim = await signIn("viewer");
    const res = await routes.link.POST(asOwner("POST", `/api/v1/users/${kim.user.id}/password-link`), ctx(kim.user.id));
    expect(res.status).toBe(201);
    const { data } = (await res.json()) as { data: { url: string; emailed: boolean } };
    expect(data.emailed).toBe(true);
    expect(linkIn(mails.at(-1)!.mail)).toBe(data.url);
    expect(await sessionOk(kim.cookie)).toBe(403);
    expect((await authCall("/reset-password", { token: tokenOf(data.url), newPassword: "kims-new-password-1" })).status).toBe(200);
    expect(await sessionOk(kim.cookie)).toBe(401);
    expect((await signInWith(kim.user.email, kim.password)).status).toBe(401);
    expect((await signInWith(kim.user.email, "kims-new-password-1")).status).toBe(200);
  });
});

describe("Forgot password?", () => {
  it("mails a link to a user who asks, answering exactly the same for an email nobody has", async () => {
    const lee = await signIn("member");
    const before = mails.length;
    const known = await authCall("/request-password-reset", { email: lee.user.email });
    const unknown = await authCall("/request-password-reset", { email: "nobody-here@example.com" });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(known.status);
    expect(await unknown.text()).toBe(await known.text());

    const mail = await waitFor(async () => mails.slice(before).find((m) => (m.mail.to as { text: string }).text === lee.user.email));
    expect(mail.user).toBe("osprey");
    expect(mail.mail.subject).toBe("Osprey: set a new password");
    expect(mail.mail.text).toContain("for 60 minutes");
    await new Promise((r) => setTimeout(r, 300));
    expect(mails.slice(before).map((m) => (m.mail.to as { text: string }).text)).toEqual([lee.user.email]);

    // The link opens the page that sets the password; its token, through better-auth's own reset.
    const url = linkIn(mail.mail)!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:3000\/reset-password\?token=/);
    expect(await sessionOk(lee.cookie)).toBe(403);
    expect((await authCall("/reset-password", { token: tokenOf(url), newPassword: "short" })).status).toBe(400);
    expect((await authCall("/reset-password", { token: tokenOf(url), newPassword: "lees-new-password-1" })).status).toBe(200);

    expect(await sessionOk(lee.cookie)).toBe(401);
    expect((await signInWith(lee.user.email, lee.password)).status).toBe(401);
    expect((await signInWith(lee.user.email, "lees-new-password-1")).status).toBe(200);
    expect((await authCall("/reset-password", { token: tokenOf(url), newPassword: "lees-third-password-1" })).status).toBe(400);
  });
});
