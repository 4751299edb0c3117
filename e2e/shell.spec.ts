import { expect, test } from "@playwright/test";
import { keepScreenshot } from "./helpers";

const PAGES = [
  { label: "Overview", path: "/", heading: "Overview" },
  { label: "Functions", path: "/functions", heading: "Functions" },
  { label: "Errors", path: "/errors", heading: "Errors" },
  { label: "Insights", path: "/insights", heading: "Insights" },
  { label: "Cost", path: "/cost", heading: "Cost" },
  { label: "Settings", path: "/settings", heading: "Settings" },
];

test("health is green: database reachable, migrations current, a worker alive", async ({ request }) => {
  await expect
    .poll(async () => (await (await request.get("/api/health")).json()).workers.alive, { timeout: 30_000 })
    .toBeGreaterThan(0);
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body).toMatchObject({ ok: true, database: { ok: true }, migrations: { ok: true, pending: [] } });
});

test("the app loads and the navigation reaches every page", async ({ page }, testInfo) => {
  await page.goto("/");
  await expect(page.getByTestId("health-badge")).toHaveText("Healthy", { timeout: 30_000 });
  for (const p of PAGES) {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: p.label }).click();
    await expect(page).toHaveURL(new RegExp(`${p.path === "/" ? "/$" : p.path}`));
    await expect(page.getByRole("heading", { level: 1, name: p.heading })).toBeVisible();
    await expect(page.getByRole("link", { name: p.label })).toHaveAttribute("aria-current", "page");
    await keepScreenshot(page, testInfo, p.label.toLowerCase());
  }
});

test("the API answers unknown paths and bad input with JSON errors", async ({ request }) => {
  const missing = await request.get("/api/v1/no-such-thing");
  expect(missing.status()).toBe(404);
  expect((await missing.json()).error.code).toBe("not_found");

  const bad = await request.post("/api/v1/accounts", { data: { name: "", regions: ["mars-1"] } });
  expect(bad.status()).toBe(400);
  const body = await bad.json();
  expect(body.error.code).toBe("validation_error");
  expect(body.error.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(["name", "regions.0"]));

  const notJson = await request.post("/api/v1/accounts", { headers: { "content-type": "application/json" }, data: "{nope" });
  expect(notJson.status()).toBe(400);

  const absent = await request.get("/api/v1/accounts/999999");
  expect(absent.status()).toBe(404);
});

test("every page has an icon: the icon link and /favicon.ico answer 200", async ({ page, request }) => {
  const missing: string[] = [];
  page.on("response", (r) => r.status() === 404 && missing.push(r.url()));
  await page.goto("/functions");
  await expect(page.getByRole("heading", { level: 1, name: "Functions" })).toBeVisible();
  const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(href).toBeTruthy();
  const icon = await request.get(href!);
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");
  const ico = await request.get("/favicon.ico");
  expect(ico.status()).toBe(200);
  expect(missing).toEqual([]);
});

test("the skip link moves focus to the main content", async ({ page }) => {
  await page.goto("/functions");
  await expect(page.getByRole("heading", { level: 1, name: "Functions" })).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.getElementById("main")!.contains(document.activeElement))).toBe(true);
});

test("Settings shows the data folder's size and the retention", async ({ page }) => {
  await page.goto("/settings");
  const storage = page.getByTestId("storage");
  await expect(storage).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("storage-folder")).toHaveText(/^[\d,]+ MB \(WAL [\d,]+ MB\)$/);
  await expect(page.getByTestId("storage-database")).toHaveText(/^[\d,]+ MB$/);
  await expect(page.getByTestId("storage-retention")).toHaveText("30 days");
});
