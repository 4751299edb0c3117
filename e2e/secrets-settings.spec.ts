import { expect, test } from "@playwright/test";
import { OWNER, recordSecret } from "./helpers";

test("Settings rotates an account's Firehose key, shows it once, and the audit log records it", async ({ page, request }) => {
  await page.goto("/settings");
  const row = page.getByTestId("account-row").first();
  await expect(row).toBeVisible({ timeout: 30_000 });
  page.once("dialog", (d) => void d.accept());
  await row.getByRole("button", { name: /Rotate Firehose key/ }).click();
  const shown = row.getByTestId("firehose-key-value");
  await expect(shown).toHaveText(/^ofk_\d+_[A-Za-z0-9_-]{43}$/, { timeout: 15_000 });
  const key = (await shown.textContent())!;
  recordSecret("Firehose key", key);
  await expect(row.getByTestId("firehose-key-hint")).toContainText(`Firehose key …${key.slice(-4)}`);
  await page.screenshot({ path: "test-results/secrets-settings-key-shown.png", fullPage: true });

  const deliver = (k: string) =>
    request.post("/api/v1/ingest/firehose", {
      headers: { "x-amz-firehose-access-key": k, "x-amz-firehose-request-id": "e2e-1" },
      data: { requestId: "e2e-1", timestamp: Date.now(), records: [] },
    });
  expect((await deliver(key)).status()).toBe(200);
  expect((await deliver(`${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`)).status()).toBe(401);

  await row.getByRole("button", { name: "Done" }).click();
  await expect(row.getByTestId("firehose-key-value")).toHaveCount(0);
  await page.reload();
  await expect(page.getByText(key)).toHaveCount(0);
  const audit = page.getByTestId("audit-log");
  await expect(audit).toContainText("No sign-in yet");
  await expect(audit.locator('[data-action="account.firehose_key_rotated"]').first()).toContainText(OWNER.email);
  await audit.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/secrets-settings-audit.png", fullPage: true });
});
