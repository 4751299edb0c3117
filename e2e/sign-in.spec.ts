import { expect, test } from "@playwright/test";
import { OWNER } from "./helpers";

// What someone who is not signed in meets; the owner's own sign-in and sign-out are in auth.setup.ts.
test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("pages lead to the sign-in page and the API answers 401", async ({ page, request }) => {
    for (const path of ["/", "/settings", "/incidents?state=open"]) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/sign-in/);
    }
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    const res = await request.get("/api/v1/overview?range=1h");
    expect(res.status()).toBe(401);
    expect((await res.json()).error.code).toBe("unauthenticated");
    expect((await request.get("/api/health")).status()).toBe(200);
  });

  test("a wrong password says so; five in a row lock that email out for a while", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(OWNER.email);
    await page.getByLabel("Password").fill("not the password at all");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("form-error")).toHaveText("Wrong email or password.");

    // Another email, so the owner the other specs use is not locked out.
    await page.getByLabel("Email").fill("mallory@osprey.test");
    for (let i = 0; i < 5; i++) {
      await page.getByLabel("Password").fill(`guess number ${i}`);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByTestId("form-error")).toHaveText("Wrong email or password.");
      await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
    }
    await page.getByLabel("Password").fill("one more guess");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("form-error")).toHaveText("Too many failed sign-ins: try again in 15 minutes.");
  });
});

test("every response carries the security headers, and another site cannot post to the API", async ({ page, request }) => {
  const res = await page.goto("/");
  const headers = res!.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect((await request.get("/api/health")).headers()["content-security-policy"]).toContain("default-src 'self'");

  // Signed in (the owner's cookie), but from another origin: refused before any handler runs.
  const forged = await request.post("/api/v1/channels", { headers: { origin: "https://evil.example" }, data: { name: "e2e-forged", kind: "webhook", url: "https://evil.example/x" } });
  expect(forged.status()).toBe(403);
  expect((await forged.json()).error.code).toBe("cross_site");
  const channels = (await (await request.get("/api/v1/channels")).json()).data as { name: string }[];
  expect(channels.map((c) => c.name)).not.toContain("e2e-forged");
});
