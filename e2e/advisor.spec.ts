import { expect, test, type APIRequestContext } from "@playwright/test";
import { functionId, seriousViolations } from "./helpers";

// The performance advisor on the function page, against the sandbox: image-processor resizes images (its own
// code is most of the handler time: memory is the lever), api-backend waits on DynamoDB and Stripe (the
// downstream is the lever).

/** Waits until the trace pass has stored enough of the function's traces for a breakdown. */
async function tracedFunction(request: APIRequestContext, name: string): Promise<number> {
  const id = await functionId(request, name);
  await expect
    .poll(async () => ((await (await request.get(`/api/v1/resources/${id}/performance?range=24h`)).json()).data?.breakdown?.invocations ?? 0), {
      timeout: 240_000,
      intervals: [3_000, 5_000],
    })
    .toBeGreaterThan(5);
  return id;
}

test("the function page shows where the time goes and which lever moves it", async ({ page, request }) => {
  test.setTimeout(420_000);
  const image = await tracedFunction(request, "image-processor");
  await page.goto(`/functions/${image}?range=24h`);
  const panel = page.getByTestId("performance-breakdown");
  await expect(panel).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("performance-lever")).toHaveText("Memory is the lever");
  await expect(page.getByTestId("performance-segments")).toContainText("Own code");
  await expect(page.getByTestId("performance-segments")).toContainText("S3 osprey-demo-uploads");
  await expect(page.getByTestId("performance-advice")).toContainText(/Own code takes \d+ % of handler time: memory is the lever/);
  await expect(page.getByTestId("performance-advice")).toContainText("At 2048 MB its mean handler time would go from");
  expect(await seriousViolations(page)).toEqual([]);

  const api = await tracedFunction(request, "api-backend");
  await page.goto(`/functions/${api}?range=24h`);
  await expect(page.getByTestId("performance-lever")).toHaveText("The downstream is the lever", { timeout: 30_000 });
  await expect(page.getByTestId("performance-advice")).toContainText("The slowest downstream is api.stripe.com");
  await expect(page.getByTestId("performance-segments")).toContainText("DynamoDB orders");
});

// auth-authorizer gets new code four minutes after the sandbox starts that crashes more and runs slower: once
// discovery has seen the new CodeSha256 and enough invocations ran after it, the page marks and judges the deploy.
test("the function page marks a code deploy and calls it worse", async ({ page, request }) => {
  test.setTimeout(900_000);
  const id = await functionId(request, "auth-authorizer");
  await expect
    .poll(
      async () => {
        const data = (await (await request.get(`/api/v1/resources/${id}/deploys?range=1h`)).json()).data;
        return data?.deploys?.[0]?.verdict?.verdict ?? "none";
      },
      { timeout: 840_000, intervals: [10_000] },
    )
    .toBe("worse");
  await page.goto(`/functions/${id}?range=1h`);
  await expect(page.getByTestId("deploy-verdict").first()).toHaveText("Worse", { timeout: 30_000 });
  await expect(page.getByTestId("deploy").first()).toContainText("Worse after the deploy: error rate");
  await expect(page.getByTestId("versions")).toContainText("$LATEST");
  await expect(page.getByTestId("resource-charts").getByText("code deploy").first()).toBeVisible({ timeout: 30_000 });
});

// payments-snapstart runs published version 7 behind the alias "live" (versions 5 to 7 published): the function
// page lists the alias with where it routes, each version with its code and description, and links the version
// that ran to its metrics under Deploys.
test("the function page lists aliases and published versions", async ({ page, request }) => {
  test.setTimeout(300_000);
  const id = await functionId(request, "payments-snapstart");
  const config = (await (await request.get(`/api/v1/resources/${id}`)).json()).data.config as { publishedVersions: { version: string; codeSha256: string }[] };
  const v7 = config.publishedVersions.find((v) => v.version === "7")!;
  await page.goto(`/functions/${id}?range=24h`);
  const section = page.getByTestId("versions-aliases");
  await expect(section).toBeVisible({ timeout: 30_000 });
  await expect(section.getByTestId("alias-live")).toContainText("version 7 (100%)");
  await expect(section.getByTestId("published-versions").locator("tbody tr")).toHaveCount(3);
  const row = section.getByTestId("published-version-7");
  await expect(row).toContainText(v7.codeSha256.slice(0, 8));
  await expect(row).toContainText("Payment authorisation (SnapStart)");
  await expect(row).toContainText("live");
  // Version 7 ran in the range: its number leads to its row of metrics per executed version.
  await row.getByRole("link", { name: "7" }).click();
  await expect(page).toHaveURL(/#version-metrics-7$/);
  await expect(page.locator("#version-metrics-7")).toBeInViewport();
  expect(await seriousViolations(page)).toEqual([]);
});
