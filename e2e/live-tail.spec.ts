import { expect, test } from "@playwright/test";
import { functionId, keepScreenshot, seriousViolations } from "./helpers";

// The sandbox invokes api-backend about 40 times a minute: while the tail is open, Osprey reads its log
// group every few seconds, so new lines show well before the minute pass would bring them.
test("live tail on the function page: new lines arrive, pause stops appending, the filter narrows", async ({ page, request }, testInfo) => {
  // A fresh server: the sandbox function's first invocations are stored within a few minutes.
  test.setTimeout(600_000);
  const id = await functionId(request, "api-backend");
  await page.goto(`/functions/${id}`);
  await page.getByRole("button", { name: "Start live tail" }).click();
  const tail = page.getByTestId("live-tail");
  const lines = tail.getByTestId("search-hit");
  const status = tail.getByTestId("tail-status");
  await expect(status).toContainText("Live");
  await expect(lines.first()).toBeVisible({ timeout: 120_000 });

  const first = await lines.count();
  await expect.poll(() => lines.count(), { timeout: 30_000, intervals: [1_000] }).toBeGreaterThan(first);
  await expect(lines.last().getByTestId("hit-invocation")).toHaveAttribute("href", new RegExp(`^/functions/${id}/invocations/`));
  expect(await seriousViolations(page)).toEqual([]);

  await tail.getByRole("button", { name: "Pause" }).click();
  await expect(status).toContainText("Paused");
  const paused = await lines.count();
  await page.waitForTimeout(8_000);
  expect(await lines.count()).toBe(paused);

  await tail.getByRole("button", { name: "Resume" }).click();
  await expect(status).toContainText("Live");
  await expect.poll(() => lines.count(), { timeout: 30_000, intervals: [1_000] }).toBeGreaterThan(paused);

  await tail.getByRole("searchbox", { name: "Filter live lines" }).fill('"REPORT RequestId"');
  await tail.getByRole("button", { name: "Filter", exact: true }).click();
  await expect(status).toContainText("REPORT RequestId");
  await expect(lines.first()).toBeVisible({ timeout: 60_000 });
  const filtered = await lines.count();
  for (const text of await lines.allInnerTexts()) expect(text).toContain("REPORT RequestId");
  await expect.poll(() => lines.count(), { timeout: 30_000, intervals: [1_000] }).toBeGreaterThan(filtered);
  for (const text of await lines.allInnerTexts()) expect(text).toContain("REPORT RequestId");
  await keepScreenshot(page, testInfo, "live-tail-function");
});

test("the log search page's Live tail shows new lines across functions", async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await page.goto("/search");
  await page.getByTestId("search-live").click();
  await expect(page).toHaveURL(/live=1/);
  const lines = page.getByTestId("live-tail").getByTestId("search-hit");
  await expect(lines.first()).toBeVisible({ timeout: 120_000 });
  const functions = new Set(await page.getByTestId("live-tail").locator('[data-testid="search-hit"] a[href^="/functions/"]:not([data-testid])').allInnerTexts());
  expect(functions.size).toBeGreaterThan(1);
  await keepScreenshot(page, testInfo, "live-tail-search");
});
