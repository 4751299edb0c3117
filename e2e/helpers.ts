import type { Page, TestInfo } from "@playwright/test";

/** Keeps a full-page screenshot of what the test saw in the test output. */
export async function keepScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}
