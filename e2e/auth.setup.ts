import { expect, test as setup, type Page } from "@playwright/test";
import { E2E_SETUP_TOKEN, OWNER_STATE } from "../playwright.config";
import { OWNER, recordSessionCookies } from "./helpers";

// A fresh Osprey has no user: the owner comes from the setup link `osprey start` printed, then is signed in.
setup.describe.configure({ mode: "serial" });
// A fresh browser each time: nobody is signed in yet.
setup.use({ storageState: { cookies: [], origins: [] } });

setup("creates the owner through the setup link and signs in", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByTestId("not-set-up")).toContainText("setup link");

  await page.goto(`/setup?token=${E2E_SETUP_TOKEN}`);
  await page.getByLabel("Your name").fill(OWNER.name);
  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create owner and sign in" }).click();
  await expect(page.getByTestId("form-error")).toContainText("at least 12 characters");
  await page.getByLabel("Password").fill(OWNER.password);
  await page.getByRole("button", { name: "Create owner and sign in" }).click();

  // Creating the owner hashes the password with argon2id (memory-hard on purpose), then the overview renders
  // for the first time: well over 5 s on a loaded 2-core machine.
  await expect(page).toHaveURL(/\/$/, { timeout: 30_000 });
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("user-menu")).toContainText(OWNER.name);
  await expect(page.getByTestId("user-role")).toHaveText("owner");

  // The link works once.
  await page.goto(`/setup?token=${E2E_SETUP_TOKEN}`);
  await expect(page).not.toHaveURL(/\/setup/);
  await expect(page.getByTestId("user-role")).toHaveText("owner");
});

setup("signs in on a second browser, signs out everywhere, and keeps a fresh session for the ui projects", async ({ page, browser }) => {
  // The first browser: signed in through the form, landing where it was going.
  await page.goto("/functions?range=1h");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Ffunctions%3Frange%3D1h$/);
  await signIn(page);
  await expect(page).toHaveURL(/\/functions\?range=1h$/);
  await recordSessionCookies(page.context(), "the owner (first browser)");

  // A second browser signs out everywhere: the first one's session ends too.
  const other = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const second = await other.newPage();
  await second.goto("/");
  await signIn(second);
  await expect(second.getByTestId("user-role")).toHaveText("owner");
  await recordSessionCookies(other, "the owner (second browser)");
  await second.getByTestId("user-menu").locator("summary").click();
  await second.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(second).toHaveURL(/\/sign-in$/);
  await other.close();
  await page.reload();
  await expect(page).toHaveURL(/\/sign-in/);

  await signIn(page);
  await expect(page.getByTestId("user-role")).toHaveText("owner");
  await page.context().storageState({ path: OWNER_STATE });
});

async function signIn(page: Page): Promise<void> {
  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel("Password").fill(OWNER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}
