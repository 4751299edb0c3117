import { expect, test } from "@playwright/test";
import { keepScreenshot } from "./helpers";

// Log search inside tokens against the sandbox: every invocation's START, END and REPORT lines say
// `RequestId:`, so `equestid` (another case, inside the token) finds them; the histogram counts
// them over time, a hit shows the lines around it, and the search is saved and reopened from its link.
test("a substring search shows matches over time and a line's context, and is saved and reopened by URL", async ({ page }, testInfo) => {
  test.setTimeout(360_000);
  await page.goto("/search?range=7d");
  const box = page.getByRole("searchbox", { name: "Search logs" });
  await box.fill("equestid");
  await box.press("Enter");
  await expect(page).toHaveURL(/q=equestid/);

  const hit = page.getByTestId("search-hit").first();
  await expect(async () => {
    await page.reload();
    await expect(hit).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 240_000, intervals: [5_000] });
  await expect(hit.locator("mark").first()).toHaveText("equestId");

  const histogram = page.getByTestId("search-histogram");
  await expect(histogram).toHaveAttribute("data-state", "ready", { timeout: 30_000 });
  await expect(histogram).toContainText(/\d+ matching lines/);
  await expect(histogram.getByRole("img", { name: "Matching log lines over time" })).toBeVisible();

  await hit.getByRole("button", { name: /Expand line/ }).click();
  await hit.getByTestId("show-context").click();
  const context = hit.getByTestId("log-context");
  // The newest hit may be a text REPORT line ("RequestId: …") or a JSON-format one ("requestId"): either holds the match.
  await expect(context.getByTestId("context-match")).toContainText(/requestid/i);
  await expect(context.getByTestId("context-line").first()).toBeVisible();
  await expect(context.getByTestId("context-match").locator("mark")).toHaveText("equestId");
  await keepScreenshot(page, testInfo, "search-substring-context");

  const name = `Requests ${Date.now()}`;
  await page.getByRole("button", { name: "Save this search" }).click();
  await page.getByRole("textbox", { name: "Name of the saved search" }).fill(name);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const link = page.getByTestId("saved-searches").getByRole("link", { name });
  await expect(link).toBeVisible();

  await page.goto("/search");
  await page.getByTestId("saved-searches").getByRole("link", { name }).click();
  await expect(page).toHaveURL(/q=equestid/);
  await expect(page).toHaveURL(/range=7d/);
  await expect(page.getByRole("searchbox", { name: "Search logs" })).toHaveValue("equestid");
  await expect(page.getByTestId("search-hit").first()).toBeVisible({ timeout: 30_000 });
});
