import { expect, request, test } from "@playwright/test";
import { E2E_PORT, OWNER_STATE } from "../playwright.config";
import { startTestIdp, type TestIdp } from "../test/oidc-idp";
import { keepScreenshot, recordSecret, recordSessionCookies } from "./helpers";

// Single sign-on in a real browser: the owner configures it in Settings against an OpenID Provider
// (oidc-provider) this spec runs on 127.0.0.1, then people sign in through the IdP's own pages.
let idp: TestIdp;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  idp = await startTestIdp(`http://127.0.0.1:${E2E_PORT}/api/auth/callback/sso`);
  idp.users.set("alice", { email: "alice.sso@osprey.test", email_verified: true, name: "Alice Sso", groups: ["osprey-admins"] });
  idp.users.set("bob", { email: "bob.sso@osprey.test", email_verified: true, name: "Bob Sso", groups: ["everyone"] });
});

test.afterAll(async () => {
  // The other specs meet the plain sign-in page: SSO is switched off again, as the owner.
  const baseURL = `http://127.0.0.1:${E2E_PORT}`;
  const api = await request.newContext({ baseURL, storageState: OWNER_STATE, extraHTTPHeaders: { origin: baseURL } });
  const current = (await (await api.get("/api/v1/settings/sso")).json()) as { data: Record<string, unknown> };
  const { configured: _c, source: _s, redirectUri: _r, updatedAt: _u, clientSecret: _x, ...rest } = current.data;
  expect((await api.put("/api/v1/settings/sso", { data: { ...rest, enabled: false } })).status()).toBe(200);
  await api.dispose();
  await idp?.close();
});

test("the owner sets up single sign-on in Settings", async ({ page }, testInfo) => {
  await page.goto("/settings");
  const form = page.getByTestId("sso-form");
  await expect(form).toBeVisible();
  await expect(page.getByTestId("sso-redirect-uri")).toHaveText(`http://127.0.0.1:${E2E_PORT}/api/auth/callback/sso`);
  await form.getByLabel("Button name").fill("Test IdP");
  await form.getByLabel("Issuer URL").fill(idp.issuer);
  await form.getByRole("button", { name: "Test discovery" }).click();
  await expect(page.getByTestId("sso-discovery")).toContainText("Discovery works");
  await form.getByLabel("Client id").fill(idp.clientId);
  recordSecret("SSO client secret", idp.clientSecret);
  await form.getByLabel("Client secret").fill(idp.clientSecret);
  await form.getByLabel("Scopes").fill("openid email profile groups");
  await form.getByLabel("Claim value 1", { exact: true }).fill("osprey-admins");
  await form.getByLabel("Role for claim value 1").selectOption("admin");
  await form.getByRole("button", { name: "Save single sign-on" }).click();
  await expect(page.getByTestId("sso-saved")).toContainText("Sign in with Test IdP");
  await expect(form.getByText(`Stored (…${idp.clientSecret.slice(-4)})`)).toBeVisible();
  await keepScreenshot(page, testInfo, "settings-sso");
});

test.describe("signing in", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("through the IdP, with the role of the user's group", async ({ page, context }) => {
    await page.goto("/sign-in");
    await page.getByTestId("sso-sign-in").click();
    await expect(page).toHaveURL(new RegExp(`^${idp.issuer}/interaction/`));
    await page.getByPlaceholder("Enter any login").fill("alice");
    await page.getByPlaceholder("and password").fill("anything");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL(new RegExp(`^http://127.0.0.1:${E2E_PORT}/$`));
    await expect(page.getByTestId("user-menu")).toContainText("Alice Sso");
    await expect(page.getByTestId("user-role")).toHaveText("admin");
    await recordSessionCookies(context, "an SSO user");
  });

  test("refused, with the reason, when the user's groups have no role", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByTestId("sso-sign-in").click();
    await page.getByPlaceholder("Enter any login").fill("bob");
    await page.getByPlaceholder("and password").fill("anything");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL(/\/sign-in\?error=sso_no_role/);
    await expect(page.getByTestId("sso-error")).toContainText("in no group that has a role in Osprey");
  });
});
