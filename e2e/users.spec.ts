import { expect, test } from "@playwright/test";
import { OWNER, recordSecret, recordSessionCookies } from "./helpers";

// Settings → Users: the owner adds someone, passes on the one-time link, and that person sets a password and signs in;
// then the owner changes their role, makes a new link, and removes them.
const SAM = { name: "Sam Settings", email: "sam.settings@osprey.test", password: "sams-e2e-password-1" };
recordSecret("password set with a link", SAM.password);

test("the owner adds a user, who sets a password with the link and signs in; a role change, a new link and removal follow", async ({ page, browser }) => {
  await page.goto("/settings");
  const users = page.getByRole("region", { name: "Users" });
  await expect(users.getByTestId("user-row").filter({ hasText: OWNER.email })).toContainText("(you)", { timeout: 30_000 });

  await users.getByRole("button", { name: "Add user" }).click();
  const form = users.getByRole("form", { name: "Add a user" });
  await form.getByLabel("Name").fill(SAM.name);
  await form.getByLabel("Email").fill(SAM.email);
  await form.getByLabel("Role").selectOption("member");
  await form.getByRole("button", { name: "Add user and make link" }).click();
  const shown = users.getByTestId("password-link-value");
  await expect(shown).toHaveText(/\/reset-password\?token=[\w-]{40,}$/);
  const link = (await shown.textContent())!;
  recordSecret("password link", new URL(link).searchParams.get("token")!);
  await expect(users.getByTestId("password-link-shown")).toContainText("It was not e-mailed");
  const row = users.getByTestId("user-row").filter({ hasText: SAM.email });
  await expect(row).toContainText("link not used yet");
  await expect(row).toContainText("never");

  // Sam, in a browser of their own.
  const samContext = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const sam = await samContext.newPage();
  await sam.goto(link);
  await sam.getByLabel("New password").fill("too-short");
  await sam.getByRole("button", { name: "Set password" }).click();
  await expect(sam.getByTestId("form-error")).toContainText("at least 12 characters");
  await sam.getByLabel("New password").fill(SAM.password);
  await sam.getByRole("button", { name: "Set password" }).click();
  await expect(sam.getByTestId("password-set")).toBeVisible();
  await sam.getByLabel("Email").fill(SAM.email);
  await sam.getByLabel("Password").fill(SAM.password);
  await sam.getByRole("button", { name: "Sign in" }).click();
  await expect(sam.getByTestId("user-role")).toHaveText("member");
  await recordSessionCookies(samContext, "a user added from Settings");
  // The link worked once.
  await sam.goto(link);
  await expect(sam.getByTestId("link-invalid")).toBeVisible();

  await page.reload();
  await expect(row).toContainText("password");
  await expect(row).not.toContainText("never");
  await row.getByLabel(`Role of ${SAM.email}`).selectOption("viewer");
  await expect(row.getByLabel(`Role of ${SAM.email}`)).toHaveValue("viewer");
  await sam.goto("/settings");
  await expect(sam.getByTestId("user-role")).toHaveText("viewer");

  // The last owner stays an owner.
  await users.getByLabel(`Role of ${OWNER.email}`).selectOption("admin");
  await expect(users.getByTestId("user-row").filter({ hasText: OWNER.email }).getByRole("alert")).toContainText("last owner");

  await row.getByRole("button", { name: `Reset password of ${SAM.email}` }).click();
  const second = (await users.getByTestId("password-link-value").textContent())!;
  recordSecret("password link", new URL(second).searchParams.get("token")!);
  expect(second).not.toBe(link);
  await users.getByRole("button", { name: "Done" }).click();

  await row.getByRole("button", { name: `Remove ${SAM.email}` }).click();
  await row.getByRole("button", { name: `Remove ${SAM.email}` }).click();
  await expect(row).toHaveCount(0);
  await sam.reload();
  await expect(sam).toHaveURL(/\/sign-in/);
  await sam.goto(second);
  await expect(sam.getByTestId("link-invalid")).toBeVisible();
  await samContext.close();

  const audit = page.getByTestId("audit-log");
  await page.reload();
  await expect(audit.locator('[data-action="user.removed"]').first()).toContainText(SAM.email);
  await expect(audit.locator('[data-action="user.password_link"]').first()).toContainText(SAM.email);
});
