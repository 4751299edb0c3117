import { expect, test, type Page } from "@playwright/test";
import { functionId, seriousViolations } from "./helpers";

// The drill-down at a phone's width (390 px): the sidebar behind a menu button, nothing wider than the
// screen, and a wide table scrolling sideways inside its card with the name column kept in view.
test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

async function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

test("overview -> function -> invocation at 390 px", async ({ page, request }) => {
  test.setTimeout(240_000);
  await functionId(request, "api-backend");
  await page.goto("/");
  await expect(page.getByTestId("tile-invocations-value")).not.toHaveText(/^(0|–)$/, { timeout: 60_000 });
  // The KPI cards wrap instead of widening the page.
  expect(await pageWidth(page), "overview width").toBeLessThanOrEqual(390);
  const tiles = await page.getByTestId("tiles").locator("[data-testid^=tile-][data-testid$=-value]").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
  for (const right of tiles) expect(right).toBeLessThanOrEqual(390);

  // The sidebar is hidden behind the menu button; the menu opens it and a link closes it again.
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav).toBeHidden();
  const menu = page.getByTestId("menu-button");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(nav).toBeVisible();
  expect(await seriousViolations(page), "overview with the menu open").toEqual([]);
  await nav.getByRole("link", { name: "Functions", exact: true }).click();
  await expect(page).toHaveURL(/\/functions(\?|$)/);
  await expect(nav).toBeHidden();

  // The functions table scrolls sideways inside its card; the name column stays in view.
  const table = page.getByTestId("functions-table");
  const row = page.getByTestId("function-row").filter({ hasText: "api-backend" }).first();
  await expect(row).toBeVisible({ timeout: 60_000 });
  expect(await pageWidth(page), "functions list width").toBeLessThanOrEqual(390);
  const scroller = table.locator("xpath=..");
  const widths = await scroller.evaluate((el) => ({ client: el.clientWidth, scroll: el.scrollWidth }));
  expect(widths.scroll, "the table is wider than its card").toBeGreaterThan(widths.client);
  await scroller.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
  await expect.poll(() => scroller.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  const name = row.getByRole("link", { name: "api-backend", exact: true });
  await expect(name).toBeInViewport();
  const box = (await name.boundingBox())!;
  expect(box.x, "name column stays at the left edge").toBeGreaterThanOrEqual(0);
  expect(box.x + Math.min(box.width, 40)).toBeLessThanOrEqual(390);
  await name.click();

  await expect(page.getByRole("heading", { level: 1, name: "api-backend" })).toBeVisible();
  await expect(page.getByTestId("tile-invocations-value")).not.toHaveText(/^(0|–)$/, { timeout: 60_000 });
  const invocation = page.getByTestId("invocation-row").first();
  await expect(invocation).toBeVisible({ timeout: 60_000 });
  expect(await pageWidth(page), "function page width").toBeLessThanOrEqual(390);
  const requestLink = invocation.getByRole("link").first();
  await requestLink.scrollIntoViewIfNeeded();
  await requestLink.click();

  await expect(page).toHaveURL(/\/functions\/\d+\/invocations\//);
  await expect(page.getByTestId("request-id")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("log-line").first()).toBeVisible({ timeout: 30_000 });
  expect(await pageWidth(page), "invocation page width").toBeLessThanOrEqual(390);
  const logs = await page.getByTestId("logs").boundingBox();
  expect(logs!.x + logs!.width, "the log viewer fits").toBeLessThanOrEqual(390);
  expect(await seriousViolations(page), "invocation page").toEqual([]);
});

test("the waterfall fits at 390 px", async ({ page, request }) => {
  test.setTimeout(180_000);
  // api-backend is traced (X-Ray active) in the sandbox.
  const id = await functionId(request, "api-backend");
  let path = "";
  await expect
    .poll(
      async () => {
        const list = (await (await request.get(`/api/v1/resources/${id}/invocations?limit=30`)).json()).data as { requestId: string; attempt: number; traceId: string | null }[];
        for (const inv of list.filter((i) => i.traceId).slice(5)) {
          const d = (await (await request.get(`/api/v1/resources/${id}/invocations/${inv.requestId}?attempt=${inv.attempt}`)).json()).data;
          if (d?.spans?.length > 2) return (path = `/functions/${id}/invocations/${inv.requestId}`);
        }
        return path;
      },
      { timeout: 120_000, intervals: [3_000, 5_000] },
    )
    .not.toBe("");
  await expect(async () => {
    await page.goto(path);
    await expect(page.getByTestId("span").first()).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 120_000, intervals: [5_000] });
  expect(await pageWidth(page), "invocation page width").toBeLessThanOrEqual(390);
  const wf = (await page.getByTestId("waterfall").boundingBox())!;
  expect(wf.x + wf.width).toBeLessThanOrEqual(390);
  // Each span's bar track keeps a usable width beside the name.
  const track = await page.getByTestId("span").first().locator("button > span").nth(1).boundingBox();
  expect(track!.width).toBeGreaterThan(80);
});
