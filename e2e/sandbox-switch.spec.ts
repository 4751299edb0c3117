import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";

// Switching the sandbox off removes its account and data, so this spec runs in a project of its own
// after every other UI spec (playwright.config.ts).
test("the sandbox switch in Settings removes the sandbox account, and brings it back", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/settings");
  const sw = page.getByRole("switch", { name: "Sandbox account" });
  await expect(sw).toHaveAttribute("aria-checked", "true");
  const sandboxRow = page.getByTestId("account-row").filter({ hasText: "sandbox" });
  await expect(sandboxRow).toHaveCount(1);
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).include('[data-testid="sandbox-switch"]').analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  // Enabled once the page knows the signed-in user may change it.
  await expect(sw).toBeEnabled({ timeout: 15_000 });
  await sw.click();
  // Removing the account deletes a day of its data while the workers are still writing to it (and is run again
  // when Postgres picks it as a deadlock's victim): the switch stays disabled until the server has answered.
  await expect(sw).toHaveAttribute("aria-checked", "false", { timeout: 60_000 });
  await expect(sandboxRow).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("switch", { name: "Sandbox account" })).toHaveAttribute("aria-checked", "false");
  await expect(page.getByTestId("account-row")).toHaveCount(0);
  await page.goto("/");
  await expect(page.getByText("No AWS account connected yet")).toBeVisible({ timeout: 30_000 });

  await page.goto("/settings");
  await expect(page.getByRole("switch", { name: "Sandbox account" })).toBeEnabled({ timeout: 15_000 });
  await page.getByRole("switch", { name: "Sandbox account" }).click();
  await expect(page.getByRole("switch", { name: "Sandbox account" })).toHaveAttribute("aria-checked", "true", { timeout: 60_000 });
  await expect(page.getByTestId("account-row").filter({ hasText: "sandbox" })).toHaveCount(1);
  await expect(page.getByTestId("sandbox-restart-note")).toHaveCount(0);
});
