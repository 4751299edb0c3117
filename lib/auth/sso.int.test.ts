import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type TestSession } from "@/test/auth";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { completeIdpLogin, CookieJar, startTestIdp, type TestIdp } from "@/test/oidc-idp";

// The whole authorization-code flow against a real OpenID Provider (oidc-provider) on 127.0.0.1, through
// Osprey's own /api/auth route handler: discovery, PKCE, state, nonce and ID token checks are all live.
const ORIGIN = "http://127.0.0.1:3000";
const REDIRECT_URI = `${ORIGIN}/api/auth/callback/sso`;

type Route = (req: Request, ctx?: unknown) => Promise<Response>;
let tdb: TestDatabase;
let db: pg.Pool;
let idp: TestIdp;
let owner: TestSession;
let authGET: Route;
let authPOST: Route;
let ssoGET: Route;
let ssoPUT: Route;
let discoveryPOST: Route;
let auditGET: Route;

const ownerRequest = (url: string, init: RequestInit = {}) =>
  new Request(`${ORIGIN}${url}`, { ...init, headers: { origin: ORIGIN, "content-type": "application/json", cookie: owner.cookie, ...(init.headers as Record<string, string>) } });

async function configure(change: Record<string, unknown> = {}): Promise<Response> {
  const body = {
    enabled: true,
    name: "Test IdP",
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    scopes: "openid email profile groups",
    roleClaim: "groups",
    rules: [
      { value: "osprey-admins", role: "admin" },
      { value: "osprey-devs", role: "member" },
    ],
    defaultRole: null,
    ...change,
  };
  return ssoPUT(ownerRequest("/api/v1/settings/sso", { method: "PUT", body: JSON.stringify(body) }), {});
}

interface Outcome {
  /** Where Osprey sends the browser after the IdP's redirect back. */
  location: string;
  jar: CookieJar;
  callbackUrl: string;
}

/** A browser: the sign-in page's "Sign in with …" button, the IdP's pages, and the redirect back to Osprey. */
async function ssoSignIn(login: string, tamper: (callback: URL) => void = () => {}): Promise<Outcome> {
  const jar = new CookieJar();
  const start = await authPOST(
    new Request(`${ORIGIN}/api/auth/sign-in/social`, {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/json" },
      body: JSON.stringify({ provider: "sso", callbackURL: "/functions", errorCallbackURL: "/sign-in" }),
    }),
  );
  expect(start.status, await start.clone().text()).toBe(200);
  jar.take(start);
  const { url } = (await start.json()) as { url: string };
  expect(url.startsWith(`${idp.issuer}/`)).toBe(true);
  const callback = new URL(await completeIdpLogin(url, login));
  expect(callback.href.startsWith(REDIRECT_URI)).toBe(true);
  tamper(callback);
  const back = await authGET(new Request(callback.href, { headers: { cookie: jar.header() } }));
  expect(back.status).toBe(302);
  jar.take(back);
  return { location: back.headers.get("location") ?? "", jar, callbackUrl: callback.href };
}

const sessionCookie = (jar: CookieJar) => (jar.get("osprey.session_token") ? `osprey.session_token=${jar.get("osprey.session_token")}` : null);

async function roleOf(email: string): Promise<string | null> {
  const { rows } = await db.query<{ role: string }>("SELECT role FROM users WHERE email = $1", [email]);
  return rows[0]?.role ?? null;
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  process.env.DATABASE_URL = tdb.url;
  process.env.PORT = "3000";
  db = new pg.Pool({ connectionString: tdb.url, max: 4 });
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = db;
  idp = await startTestIdp(REDIRECT_URI);
  owner = await signIn("owner");
  ({ GET: authGET, POST: authPOST } = (await import("@/app/api/auth/[...all]/route")) as unknown as { GET: Route; POST: Route });
  ({ GET: ssoGET, PUT: ssoPUT } = (await import("@/app/api/v1/settings/sso/route")) as unknown as { GET: Route; PUT: Route });
  ({ POST: discoveryPOST } = (await import("@/app/api/v1/settings/sso/discovery/route")) as unknown as { POST: Route });
  ({ GET: auditGET } = (await import("@/app/api/v1/audit/route")) as unknown as { GET: Route });
}, 60_000);

afterAll(async () => {
  await idp?.close();
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = undefined;
  await db?.end();
  await tdb?.drop();
});

describe("single sign-on with OpenID Connect", () => {
  it("stores the configuration with the client secret encrypted, and never answers with it whole", async () => {
    const saved = await configure();
    expect(saved.status).toBe(200);
    const text = await (await ssoGET(ownerRequest("/api/v1/settings/sso"), {})).text();
    expect(text).not.toContain(idp.clientSecret);
    const view = JSON.parse(text) as { data: { clientSecret: string; redirectUri: string; enabled: boolean; rules: unknown[] } };
    expect(view.data.clientSecret).toBe(`…${idp.clientSecret.slice(-4)}`);
    expect(view.data.redirectUri).toBe(REDIRECT_URI);
    expect(view.data.rules).toHaveLength(2);

    const { rows } = await db.query<{ client_secret: string }>("SELECT client_secret FROM sso_configs");
    expect(rows[0].client_secret).toMatch(/^v1:[0-9a-f]{8}:/);
    expect(rows[0].client_secret).not.toContain(idp.clientSecret);
    const audit = await db.query<{ detail: unknown }>("SELECT detail FROM audit_events WHERE action = 'settings.sso_changed'");
    expect(audit.rows).toHaveLength(1);
    expect(JSON.stringify(audit.rows[0].detail)).not.toContain(idp.clientSecret);

    // Saving again without a secret keeps the stored one.
    expect((await configure({ clientSecret: undefined })).status).toBe(200);
    const again = (await (await ssoGET(ownerRequest("/api/v1/settings/sso"), {})).json()) as { data: { clientSecret: string } };
    expect(again.data.clientSecret).toBe(`…${idp.clientSecret.slice(-4)}`);
  });

  it("refuses a configuration that is not valid, and lets only the owner read or change it", async () => {
    const bad = await configure({ issuer: "not a url", rules: [{ value: "x", role: "superuser" }] });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/issuer/);
    const admin = await signIn("admin");
    const asAdmin = await ssoGET(new Request(`${ORIGIN}/api/v1/settings/sso`, { headers: { cookie: admin.cookie } }), {});
    expect(asAdmin.status).toBe(403);
  });

  it("tests the issuer's discovery document and says what is wrong", async () => {
    const good = (await (await discoveryPOST(ownerRequest("/api/v1/settings/sso/discovery", { method: "POST", body: "{}" }), {})).json()) as {
      data: { ok: boolean; tokenEndpoint: string; error: string | null };
    };
    expect(good.data.ok).toBe(true);
    expect(good.data.tokenEndpoint.startsWith(idp.issuer)).toBe(true);
    const wrong = (await (await discoveryPOST(ownerRequest("/api/v1/settings/sso/discovery", { method: "POST", body: JSON.stringify({ issuer: `${idp.issuer}/nothing` }) }), {})).json()) as {
      data: { ok: boolean; error: string };
    };
    expect(wrong.data.ok).toBe(false);
    expect(wrong.data.error).toMatch(/HTTP 404/);
  });

  it("signs a new user in with the role of their group; the session cookie works on /api/v1", async () => {
    idp.users.set("alice", { email: "alice@idp.test", email_verified: true, name: "Alice Admin", groups: ["everyone", "osprey-admins"] });
    const { location, jar } = await ssoSignIn("alice");
    expect(location).toBe("/functions");
    expect(await roleOf("alice@idp.test")).toBe("admin");
    const cookie = sessionCookie(jar);
    expect(cookie).not.toBeNull();
    // The audit log needs admin: the session is alice's, with the mapped role.
    const audit = await auditGET(new Request(`${ORIGIN}/api/v1/audit?action=auth.sso_signed_in`, { headers: { cookie: cookie! } }), {});
    expect(audit.status).toBe(200);
    const { data } = (await audit.json()) as { data: { actor: string; detail: { role: string } }[] };
    expect(data[0]).toMatchObject({ actor: "alice@idp.test", detail: { role: "admin" } });
    // Owner-only routes stay closed to an admin.
    expect((await ssoGET(new Request(`${ORIGIN}/api/v1/settings/sso`, { headers: { cookie: cookie! } }), {})).status).toBe(403);
  });

  it("changes the role at the next sign-in when the IdP's groups change", async () => {
    idp.users.set("alice", { email: "alice@idp.test", email_verified: true, name: "Alice Admin", groups: ["osprey-devs"] });
    const { jar } = await ssoSignIn("alice");
    expect(await roleOf("alice@idp.test")).toBe("member");
    const audit = await auditGET(new Request(`${ORIGIN}/api/v1/audit`, { headers: { cookie: sessionCookie(jar)! } }), {});
    expect(audit.status).toBe(403);
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE email = 'alice@idp.test'");
    expect(rows[0].n).toBe(1);
  });

  it("signs out of Osprey only: the session ends, the browser is not sent to the IdP", async () => {
    const { jar } = await ssoSignIn("alice");
    const cookie = sessionCookie(jar)!;
    const out = await authPOST(new Request(`${ORIGIN}/api/auth/sign-out`, { method: "POST", headers: { origin: ORIGIN, "content-type": "application/json", cookie }, body: "{}" }));
    expect(out.status).toBe(200);
    expect(out.headers.get("location")).toBeNull();
    expect((await auditGET(new Request(`${ORIGIN}/api/v1/audit`, { headers: { cookie } }), {})).status).toBe(401);
  });

  it("refuses a user whose groups map to no role, with a clear error and no user made; a default role lets them in", async () => {
    idp.users.set("bob", { email: "bob@idp.test", email_verified: true, name: "Bob", groups: ["everyone"] });
    const refused = await ssoSignIn("bob");
    const back = new URL(refused.location, ORIGIN);
    expect(back.pathname).toBe("/sign-in");
    expect(back.searchParams.get("error")).toBe("sso_no_role");
    expect(sessionCookie(refused.jar)).toBeNull();
    expect(await roleOf("bob@idp.test")).toBeNull();
    const { rows } = await db.query<{ actor: string; detail: { error: string; claimValues: string[] } }>("SELECT actor, detail FROM audit_events WHERE action = 'auth.sso_refused'");
    expect(rows.at(-1)).toEqual({ actor: "bob@idp.test", detail: { error: "sso_no_role", claimValues: ["everyone"] } });

    expect((await configure({ defaultRole: "viewer" })).status).toBe(200);
    const admitted = await ssoSignIn("bob");
    expect(admitted.location).toBe("/functions");
    expect(await roleOf("bob@idp.test")).toBe("viewer");
    expect((await configure({ defaultRole: null })).status).toBe(200);
  });

  it("links to an existing user with the same verified e-mail instead of making another", async () => {
    const existing = await signIn("viewer", "carol@idp.test");
    idp.users.set("carol", { email: "carol@idp.test", email_verified: true, name: "Carol", groups: ["osprey-devs"] });
    const { location } = await ssoSignIn("carol");
    expect(location).toBe("/functions");
    const { rows } = await db.query<{ id: string; role: string }>("SELECT id, role FROM users WHERE email = 'carol@idp.test'");
    expect(rows).toEqual([{ id: existing.user.id, role: "member" }]);

    // An IdP that does not vouch for the e-mail gets no access to the existing account.
    await signIn("viewer", "dave@idp.test");
    idp.users.set("dave", { email: "dave@idp.test", email_verified: false, name: "Dave", groups: ["osprey-admins"] });
    const refused = await ssoSignIn("dave");
    expect(new URL(refused.location, ORIGIN).searchParams.get("error")).toBe("account_not_linked");
    expect(await roleOf("dave@idp.test")).toBe("viewer");
  });

  it("never demotes the last owner, whatever the IdP's groups say", async () => {
    idp.users.set("owner", { email: owner.user.email, email_verified: true, name: "The Owner", groups: ["osprey-devs"] });
    const { location } = await ssoSignIn("owner");
    expect(location).toBe("/functions");
    expect(await roleOf(owner.user.email)).toBe("owner");
  });

  it("refuses a callback whose state or issuer is not the one of this sign-in", async () => {
    idp.users.set("erin", { email: "erin@idp.test", email_verified: true, name: "Erin", groups: ["osprey-admins"] });
    const badState = await ssoSignIn("erin", (u) => u.searchParams.set("state", "forged-state-value"));
    expect(new URL(badState.location, ORIGIN).searchParams.get("error")).toBeTruthy();
    expect(sessionCookie(badState.jar)).toBeNull();
    const badIssuer = await ssoSignIn("erin", (u) => u.searchParams.set("iss", "http://127.0.0.1:1/evil"));
    expect(new URL(badIssuer.location, ORIGIN).searchParams.get("error")).toBe("issuer_mismatch");
    expect(sessionCookie(badIssuer.jar)).toBeNull();
    expect(await roleOf("erin@idp.test")).toBeNull();
  });

  it("offers no SSO sign-in once switched off", async () => {
    expect((await configure({ enabled: false })).status).toBe(200);
    const start = await authPOST(
      new Request(`${ORIGIN}/api/auth/sign-in/social`, { method: "POST", headers: { origin: ORIGIN, "content-type": "application/json" }, body: JSON.stringify({ provider: "sso", callbackURL: "/" }) }),
    );
    expect(start.status).toBeGreaterThanOrEqual(400);
  });
});
