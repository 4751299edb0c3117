import AxeBuilder from "@axe-core/playwright";
import { expect, type APIRequestContext, type BrowserContext, type Page, type TestInfo } from "@playwright/test";
import { appendFileSync } from "node:fs";
import { E2E_SECRETS_FILE } from "../playwright.config";

/** Keeps a full-page screenshot of what the test saw in the test output. */
export async function keepScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

/** The owner auth.setup.ts creates; the ui projects run signed in as them. */
export const OWNER = { name: "Olive Owner", email: "owner@osprey.test", password: "e2e-owner-password-1" };

/** The id of the sandbox function with this name, once it has invocations. */
export async function functionId(request: APIRequestContext, name: string): Promise<number> {
  let id = 0;
  await expect
    .poll(
      async () => {
        const rows = ((await (await request.get(`/api/v1/resources?q=${name}&limit=50`)).json()).data ?? []) as { id: number; name: string; invocations: number }[];
        id = rows.find((r) => r.name === name && r.invocations > 0)?.id ?? 0;
        return id;
      },
      { timeout: 240_000, intervals: [2_000, 5_000] },
    )
    .toBeGreaterThan(0);
  return id;
}

/** Serious and critical WCAG 2 A/AA violations axe finds on the page. */
export async function seriousViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}

/**
 * Notes a secret this run handed to the server (a password, a key, a webhook URL, a session cookie), so that
 * e2e/secrets-in-logs.spec.ts can check the server never logged it.
 */
export function recordSecret(label: string, value: string): void {
  if (value) appendFileSync(E2E_SECRETS_FILE, `${JSON.stringify({ label, value })}\n`);
}

/** The session cookies a browser context holds, as secrets. */
export async function recordSessionCookies(context: BrowserContext, who: string): Promise<void> {
  for (const c of await context.cookies()) if (c.name.includes("session")) recordSecret(`session cookie of ${who}`, c.value);
}
