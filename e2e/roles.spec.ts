import { expect, test } from "@playwright/test";
import { recordSecret, recordSessionCookies } from "./helpers";
import { execFileSync } from "node:child_process";
import path from "node:path";

// A viewer, added from the command line as an operator would, sees Settings without the controls
// their role cannot use, and the API refuses them the same.
const ROOT = path.resolve(import.meta.dirname, "..");
const VIEWER = { email: "vera@osprey.test", password: "vera-viewer-password-1" };
recordSecret("password of the viewer", VIEWER.password);

test.use({ storageState: { cookies: [], origins: [] } });

test("a viewer added with bin/osprey users add reads Settings but cannot change it", async ({ page }) => {
  const out = execFileSync(path.join(ROOT, "bin/osprey"), ["users", "add", "--email", VIEWER.email, "--name", "Vera Viewer", "--role", "viewer", "--password-stdin"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: "", OSPREY_DATA_DIR: process.env.E2E_DATA_DIR, LOG_LEVEL: "warn" },
    input: `${VIEWER.password}\n`,
    encoding: "utf8",
  });
  expect(out).toContain(`added ${VIEWER.email} (viewer)`);

  await page.goto("/settings");
  await page.getByLabel("Email").fill(VIEWER.email);
  await page.getByLabel("Password").fill(VIEWER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByTestId("user-role")).toHaveText("viewer");
  await recordSessionCookies(page.context(), "the viewer");

  await expect(page.getByTestId("account-row").first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Add account" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Add channel" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Test connection/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Remove/ })).toHaveCount(0);
  await expect(page.getByRole("switch")).toBeDisabled();
  await expect(page.getByRole("heading", { name: "Audit log" })).toHaveCount(0);

  await page.goto("/alerts");
  await expect(page.getByTestId("policy-state").first()).toBeVisible();
  await expect(page.getByRole("link", { name: "New policy" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: /^Edit/ })).toHaveCount(0);

  const refused = await page.request.post("/api/v1/channels", { data: { name: "e2e-viewer", kind: "webhook", url: "https://example.com/x" } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe("forbidden");
});
