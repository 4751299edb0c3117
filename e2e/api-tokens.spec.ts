import { expect, request as playwrightRequest, test } from "@playwright/test";
import { recordSecret } from "./helpers";

test("Settings makes an API token shown once, which works as a Bearer token on /api/v1 until it is revoked there", async ({ page, context, baseURL }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const name = `e2e script ${Date.now()}`;
  await page.goto("/settings");
  const section = page.locator("section", { has: page.getByRole("heading", { name: "API tokens" }) });
  await section.getByRole("button", { name: "Make API token" }).click();
  const form = section.getByRole("form", { name: "Make an API token" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel(/Read and write/).check();
  await form.getByLabel("Expires").selectOption({ label: "in 30 days" });
  await form.getByRole("button", { name: "Make token" }).click();

  const shown = section.getByTestId("api-token-value");
  await expect(shown).toHaveText(/^osp_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/, { timeout: 15_000 });
  await expect(section.getByTestId("api-token-shown")).toContainText("you will not see it again");
  const token = (await shown.textContent())!;
  recordSecret("API token", token);
  await section.getByRole("button", { name: "Copy" }).click();
  await expect(section.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  const row = section.getByTestId("api-token-row").filter({ hasText: name });
  await expect(row).toContainText("read and write");
  await expect(row).toContainText("never");
  await page.screenshot({ path: "test-results/api-tokens-shown.png", fullPage: true });

  // A client with no cookie at all: only the token speaks for it.
  const api = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const incidents = await api.get("/api/v1/incidents");
  expect(incidents.status()).toBe(200);
  expect(Array.isArray((await incidents.json()).data)).toBe(true);
  const mine = await api.get("/api/v1/tokens");
  expect((await mine.json()).data.map((t: { name: string }) => t.name)).toContain(name);
  expect((await api.post("/api/v1/tokens", { data: { name: "minted by a token", scope: "write" } })).status()).toBe(403);

  await section.getByRole("button", { name: "Done" }).click();
  await page.reload();
  await expect(page.getByText(token)).toHaveCount(0);
  await expect(row).not.toContainText("never");

  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect(row).toContainText("revoked");
  const refused = await api.get("/api/v1/incidents");
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.message).toMatch(/revoked/);
  await api.dispose();
});
