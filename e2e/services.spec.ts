import { expect, test, type Page } from "@playwright/test";

// The newer services against the sandbox (issue 16 item 3): each has a tab in the resource list with its own
// CloudWatch columns, and a page whose charts draw data; a state machine's page lists its failed executions
// with the state each failed in. The queue tab shows the queue's own columns, not a function's.

test.describe.configure({ mode: "serial" });

async function waitForCharts(page: Page) {
  const charts = page.locator('[data-testid=resource-charts] [data-testid^="chart"]');
  await expect(charts.first()).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('[data-testid=resource-charts] [data-testid^="chart"][data-state="loading"]')).toHaveCount(0, { timeout: 30_000 });
}

const SERVICES: { tab: string; name: string; column: string; chart: string }[] = [
  { tab: "State machines", name: "order-fulfilment", column: "failed", chart: "chart-sfn-executions" },
  { tab: "Streams", name: "clickstream", column: "iteratorAge", chart: "chart-kinesis-iterator-age" },
  { tab: "Topics", name: "order-events", column: "failed", chart: "chart-sns-notifications" },
  { tab: "Rules", name: "order-placed", column: "failed", chart: "chart-events-invocations" },
  { tab: "Delivery streams", name: "clickstream-to-s3", column: "delivered", chart: "chart-firehose-records" },
];

for (const s of SERVICES) {
  test(`${s.tab}: the tab lists ${s.name} with its own figures, and its page charts them`, async ({ page }) => {
    test.setTimeout(300_000);
    // Discovery and the metrics job fill these a minute or two after the sandbox starts.
    await expect(async () => {
      await page.goto("/functions");
      await page.getByRole("group", { name: "Resource kind" }).getByRole("button", { name: s.tab, exact: true }).click();
      const row = page.getByTestId("function-row").filter({ has: page.getByRole("link", { name: s.name, exact: true }) });
      await expect(row).toBeVisible({ timeout: 10_000 });
      await expect(row.locator(`[data-column="${s.column}"]`)).not.toHaveText("–", { timeout: 5_000 });
    }).toPass({ timeout: 240_000, intervals: [10_000] });

    await page.getByRole("link", { name: s.name, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: s.name })).toBeVisible({ timeout: 30_000 });
    await waitForCharts(page);
    const chart = page.getByTestId(s.chart);
    await expect(chart).toHaveAttribute("data-state", "ready");
    expect(await chart.locator(".recharts-surface path").count()).toBeGreaterThan(0);

    if (s.tab === "State machines") {
      const failed = page.getByTestId("failed-execution");
      await expect(failed.first()).toBeVisible();
      for (const state of await page.getByTestId("failed-state").allTextContents()) expect(["ChargePayment", "ReserveStock"]).toContain(state);
    }
  });
}

test("the queue tab shows depth, oldest message and DLQ depth instead of invocations", async ({ page }) => {
  test.setTimeout(240_000);
  await expect(async () => {
    await page.goto("/functions?kind=sqs");
    const table = page.getByTestId("functions-table");
    await expect(table.getByRole("columnheader", { name: "Depth" })).toBeVisible({ timeout: 10_000 });
    await expect(table.getByRole("columnheader", { name: "DLQ" })).toBeVisible();
    await expect(table.getByRole("columnheader", { name: "Invocations" })).toHaveCount(0);
    const orders = page.getByTestId("function-row").filter({ has: page.getByRole("link", { name: "orders-queue", exact: true }) });
    await expect(orders.locator('[data-column="depth"]')).not.toHaveText("–", { timeout: 5_000 });
    await expect(orders.locator('[data-column="dlqDepth"]')).not.toHaveText("–");
  }).toPass({ timeout: 200_000, intervals: [10_000] });
});
