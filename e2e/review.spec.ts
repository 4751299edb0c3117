import { expect, test } from "@playwright/test";
import { keepScreenshot, seriousViolations } from "./helpers";

// The Well-Architected review against the sandbox: every pillar with a score, a failing check with its
// evidence and what to change, and a check Osprey could not run naming the IAM action to grant.
const PILLARS = ["Security", "Operational excellence", "Reliability", "Performance efficiency", "Cost optimization"];

test("the review shows each pillar's score, a failing check's evidence and a check not run", async ({ page, request }, testInfo) => {
  test.setTimeout(360_000);
  // Insights run after the first ingest: wait until the sandbox's open function URL has been judged.
  await expect
    .poll(
      async () => {
        const res = await request.get("/api/v1/review");
        if (!res.ok()) return "no review";
        const pillars = (await res.json()).pillars as { questions: { checks: { ruleId: string; status: string }[] }[] }[];
        return pillars.flatMap((p) => p.questions.flatMap((q) => q.checks)).find((c) => c.ruleId === "lambda-function-url-auth-none")?.status ?? "absent";
      },
      { message: "the function URL check has not failed yet", timeout: 300_000, intervals: [3_000, 5_000] },
    )
    .toBe("fail");

  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Review", exact: true }).click();
  // A loaded machine may take a while to compile and stream the page.
  await expect(page).toHaveURL(/\/review$/, { timeout: 30_000 });
  await expect(page.getByRole("heading", { level: 1, name: "Well-Architected review" })).toBeVisible({ timeout: 30_000 });

  const scores = page.getByRole("group", { name: "Scores by pillar" });
  for (const pillar of PILLARS) await expect(scores.getByLabel(`${pillar} score`)).toHaveText(/^\d+%$/, { timeout: 30_000 });
  // Each insight run keeps the day's scores: today's is there from the first run.
  await expect(page.getByTestId("pillar-history-security")).toContainText(new Date().toISOString().slice(0, 10));

  const urlCheck = page.getByTestId("check-lambda-function-url-auth-none");
  await expect(urlCheck).toHaveAttribute("data-status", "fail");
  await expect(urlCheck).toContainText("Fail");
  await expect(urlCheck).toContainText("image-processor");
  await expect(urlCheck).toContainText("functionUrlAuthType");
  await expect(urlCheck).toContainText("What to change:");

  const secretCheck = page.getByTestId("check-lambda-secret-in-environment");
  await expect(secretCheck).toContainText("DB_PASSWORD");
  await expect(page.locator("body")).not.toContainText("sandbox-not-a-secret");

  // Issue 16's SEC 1 and SEC 2 checks, from the sandbox's role policies and API routes.
  const roleCheck = page.getByTestId("check-lambda-role-wildcard");
  await expect(roleCheck).toHaveAttribute("data-status", "fail");
  await expect(roleCheck).toContainText("legacy-etl");
  await expect(roleCheck).toContainText("AllOfDynamoDB");
  const routeCheck = page.getByTestId("check-apigateway-route-no-authorizer");
  await expect(routeCheck).toHaveAttribute("data-status", "fail");
  await expect(routeCheck).toContainText("shop-api-eu");
  await expect(routeCheck).toContainText("POST /orders");

  const backups = page.getByTestId("check-dynamodb-pitr-off");
  await expect(backups).toHaveAttribute("data-status", "not_checked");
  await expect(backups).toContainText("dynamodb:DescribeContinuousBackups");

  await expect(page.locator('[data-status="pass"]').first()).toBeVisible();
  await keepScreenshot(page, testInfo, "review");

  expect(await seriousViolations(page)).toEqual([]);
});
