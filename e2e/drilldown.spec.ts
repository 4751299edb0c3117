import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import path from "node:path";

// The drill-down UI against the sandbox: overview -> function -> invocation -> its retry, charts with data,
// the X-Ray waterfall, filters in the URL, accessibility in both themes, and the README screenshots.
const SHOTS = path.resolve(import.meta.dirname, "../docs/screenshots");

test.describe.configure({ mode: "serial" });

interface ResourceRow {
  id: number;
  name: string;
  invocations: number;
}

async function functionByName(request: APIRequestContext, name: string): Promise<ResourceRow> {
  let found: ResourceRow | undefined;
  await expect
    .poll(
      async () => {
        const res = await request.get(`/api/v1/resources?q=${name}&limit=50`);
        const rows = ((await res.json()).data ?? []) as ResourceRow[];
        found = rows.find((r) => r.name === name && r.invocations > 0);
        return !!found;
      },
      { timeout: 180_000, intervals: [2_000, 5_000] },
    )
    .toBe(true);
  return found!;
}

async function setTheme(page: Page, theme: "light" | "dark") {
  await page.addInitScript((t) => localStorage.setItem("osprey-theme", t), theme);
}

async function seriousViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}

async function waitForCharts(page: Page, scope: string) {
  const charts = page.locator(`${scope} [data-testid^="chart"]`);
  await expect(charts.first()).toBeVisible({ timeout: 30_000 });
  await expect(page.locator(`${scope} [data-testid^="chart"][data-state="loading"]`)).toHaveCount(0, { timeout: 30_000 });
}

let tracedPath = "";

test("overview -> function -> invocation -> its retry", async ({ page, request }) => {
  test.setTimeout(300_000);
  await functionByName(request, "orders-consumer");
  await page.goto("/");
  await expect(page.getByTestId("tile-invocations-value")).not.toHaveText(/^(0|–)$/, { timeout: 60_000 });
  await expect(page.getByTestId("tiles").locator("[data-testid^=tile-]").filter({ has: page.locator("svg") })).toHaveCount(5);

  const link = page.getByTestId("top-errors").getByRole("link", { name: /orders-consumer/ });
  await expect(async () => {
    await page.reload();
    await expect(link).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 180_000, intervals: [5_000] });
  await link.click();
  await expect(page.getByRole("heading", { level: 1, name: "orders-consumer" })).toBeVisible();

  // Asynchronous invocations retry under their request id (SQS redeliveries are new invocations):
  // image-processor is invoked asynchronously and runs out of memory now and then.
  const retried = await functionByName(request, "image-processor");
  await page.goto(`/functions/${retried.id}`);
  await expect(page.getByRole("heading", { level: 1, name: "image-processor" })).toBeVisible();
  await page.getByRole("button", { name: "Retries", exact: true }).click();
  await expect(page).toHaveURL(/retry=1/);
  const retryRow = page.locator('[data-testid="invocation-row"][data-attempt="2"]').first();
  await expect(async () => {
    await page.reload();
    await expect(retryRow).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 180_000, intervals: [5_000] });
  // Only retries are listed while the filter is on.
  await expect(page.locator('[data-testid="invocation-row"][data-attempt="1"]')).toHaveCount(0);

  await retryRow.getByRole("link").click();
  await expect(page).toHaveURL(/\/functions\/\d+\/invocations\/[^?]+\?attempt=2/);
  await expect(page.getByText("retry · attempt 2")).toBeVisible();
  const chain = page.getByTestId("retry-chain");
  expect(await chain.getByTestId("retry-link").count()).toBeGreaterThanOrEqual(2);
  await expect(chain.getByRole("link", { name: /Attempt 2/ })).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("log-line").first()).toBeVisible();

  await chain.getByRole("link", { name: /Attempt 1/ }).click();
  await expect(page).not.toHaveURL(/attempt=/);
  await expect(page.getByRole("link", { name: /Attempt 1/ })).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("invocation-status")).toBeVisible();
});

test("the function page opens with the range's totals against the previous period, and concurrency against its limit", async ({ page, request }) => {
  test.setTimeout(180_000);
  // api-backend has a reserved concurrency of 3 in the sandbox.
  const fn = await functionByName(request, "api-backend");
  await page.goto(`/functions/${fn.id}?range=24h`);
  const tiles = page.getByTestId("function-tiles");
  await expect(tiles).toBeVisible({ timeout: 60_000 });
  // The sandbox holds one day of history: the 24 hours before this range are only partly recorded, so no card
  // compares with them (a sliver of a period would give changes like +69,132 %).
  for (const id of ["tile-invocations", "tile-failed", "tile-cold-starts", "tile-p95", "tile-cost"]) await expect(tiles.getByTestId(id)).toContainText("previous period only partly recorded");
  // Over the last hour the hour before is recorded: the cards compare.
  await page.goto(`/functions/${fn.id}?range=1h`);
  await expect(tiles.getByTestId("tile-invocations")).toContainText(/vs previous|unchanged/, { timeout: 60_000 });
  await page.goto(`/functions/${fn.id}?range=24h`);
  await expect(tiles.getByTestId("tile-concurrency-value")).toContainText("/ 3");
  // The cards show what the API answers for the range (the same figures the overview adds up).
  const count = (v: number) => (v >= 100_000 ? new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 }).format(v) : v.toLocaleString("en-US"));
  await expect(async () => {
    const api = (await (await request.get(`/api/v1/resources/${fn.id}/totals?range=24h`)).json()).data;
    await page.reload();
    await expect(tiles.getByTestId("tile-invocations-value")).toHaveText(count(api.totals.invocations.value), { timeout: 5_000 });
    await expect(tiles.getByTestId("tile-failed-value")).toContainText(count(api.totals.errors.value));
  }).toPass({ timeout: 60_000, intervals: [2_000] });
  expect(await seriousViolations(page)).toEqual([]);
});

test("live pages say how fresh their data is; Pause stops the 20 s refresh, Resume refreshes at once", async ({ page }) => {
  test.setTimeout(120_000);
  let requests = 0;
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === "/api/v1/overview") requests++;
  });
  await page.goto("/");
  const ago = page.getByTestId("freshness-ago");
  await expect(ago).toHaveText(/^updated \d+ s ago$/, { timeout: 60_000 });
  const seconds = async () => Number((await ago.innerText()).match(/(\d+) s ago/)?.[1] ?? -1);
  const first = await seconds();
  await expect.poll(seconds, { timeout: 5_000 }).toBeGreaterThan(first);
  // Unpaused, the page refetches within 20 s.
  const loaded = requests;
  await expect.poll(() => requests, { timeout: 25_000 }).toBeGreaterThan(loaded);

  await page.getByRole("button", { name: "Pause", exact: true }).click();
  await expect(ago).toContainText("Paused");
  const paused = requests;
  await page.waitForTimeout(22_000);
  expect(requests, "no refetch while paused").toBe(paused);
  expect(await seconds()).toBeGreaterThanOrEqual(20);

  await page.getByRole("button", { name: "Resume", exact: true }).click();
  await expect.poll(() => requests, { timeout: 5_000 }).toBeGreaterThan(paused);
  await expect.poll(seconds, { timeout: 10_000 }).toBeLessThan(5);
  await expect(ago).not.toContainText("Paused");
});

test("filters live in the URL and survive a reload", async ({ page, request }) => {
  const fn = await functionByName(request, "orders-consumer");
  await page.goto("/functions");
  await expect(page.getByTestId("function-row").first()).toBeVisible({ timeout: 30_000 });
  await page.getByLabel("Name").fill("orders");
  await expect(page).toHaveURL(/q=orders/);
  await page.getByRole("button", { name: "7d" }).click();
  await expect(page).toHaveURL(/range=7d/);
  await expect(page.getByTestId("function-row")).toHaveCount(1);
  await page.getByRole("button", { name: /Error rate/ }).click();
  await expect(page).toHaveURL(/sort=errorRate/);
  await page.reload();
  await expect(page.getByLabel("Name")).toHaveValue("orders");
  await expect(page.getByRole("button", { name: "7d" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("columnheader", { name: /Error rate/ })).toHaveAttribute("aria-sort", "descending");
  await expect(page.getByTestId("function-row")).toHaveCount(1);
  await expect(page.getByTestId("function-row").getByRole("link")).toHaveText("orders-consumer");

  await page.goto(`/functions/${fn.id}?errors=1&cold=1`);
  await page.reload();
  await expect(page.getByRole("button", { name: "Errors", exact: true })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("button", { name: "Cold starts", exact: true })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("button", { name: "Timeouts", exact: true })).toHaveAttribute("aria-pressed", "false");
});

test("every chart of a function and of the overview shows data", async ({ page, request }) => {
  test.setTimeout(300_000);
  const fn = await functionByName(request, "api-backend");
  await page.goto("/");
  await waitForCharts(page, "[data-testid=overview]");
  for (const chart of await page.locator('[data-testid=overview] [data-testid^="chart"]').all()) {
    await expect(chart).toHaveAttribute("data-state", "ready");
    expect(await chart.locator(".recharts-surface path").count()).toBeGreaterThan(0);
  }
  // CloudWatch metrics (throttles, concurrency) arrive with the metrics job a few minutes after start.
  await expect(async () => {
    await page.goto(`/functions/${fn.id}`);
    await waitForCharts(page, "[data-testid=resource-charts]");
    const charts = page.locator('[data-testid=resource-charts] [data-testid^="chart"]');
    await expect(charts).toHaveCount(6);
    for (const chart of await charts.all()) {
      await expect(chart).toHaveAttribute("data-state", "ready", { timeout: 1_000 });
      expect(await chart.locator(".recharts-surface path").count()).toBeGreaterThan(0);
    }
  }).toPass({ timeout: 240_000, intervals: [10_000] });
});

test("queue, API and table pages chart their CloudWatch metrics", async ({ page, request }) => {
  test.setTimeout(300_000);
  const resources: [string, string][] = [["sqs", "orders-queue"], ["apigateway", "shop-api"], ["apigateway", "webhooks-api"], ["dynamodb", "orders"]];
  for (const [kind, name] of resources) {
    let id = 0;
    await expect
      .poll(async () => {
        const rows = ((await (await request.get(`/api/v1/resources?kind=${kind}&q=${name}&limit=50`)).json()).data ?? []) as ResourceRow[];
        id = rows.find((r) => r.name === name)?.id ?? 0;
        return id;
      }, { timeout: 120_000, message: `${kind} ${name} discovered` })
      .toBeGreaterThan(0);
    // Their metrics arrive with the metrics job, a minute or two after start.
    await expect(async () => {
      await page.goto(`/functions/${id}`);
      await expect(page.getByRole("heading", { level: 1, name })).toBeVisible({ timeout: 10_000 });
      await waitForCharts(page, "[data-testid=resource-charts]");
      const charts = page.locator('[data-testid=resource-charts] [data-testid^="chart"]');
      expect(await charts.count(), `${name}: charts`).toBeGreaterThan(0);
      for (const chart of await charts.all()) {
        await expect(chart, `${name}: ${await chart.getAttribute("data-testid")}`).toHaveAttribute("data-state", "ready", { timeout: 1_000 });
        expect(await chart.locator(".recharts-surface path").count()).toBeGreaterThan(0);
      }
    }).toPass({ timeout: 240_000, intervals: [10_000] });
  }
});

test("the waterfall shows the spans of a traced invocation", async ({ page, request }) => {
  test.setTimeout(240_000);
  const fn = await functionByName(request, "api-backend");
  let spans = 0;
  await expect
    .poll(
      async () => {
        const list = (await (await request.get(`/api/v1/resources/${fn.id}/invocations?limit=30`)).json()).data as { requestId: string; attempt: number; traceId: string | null }[];
        for (const inv of list.filter((i) => i.traceId).slice(5)) {
          const d = (await (await request.get(`/api/v1/resources/${fn.id}/invocations/${inv.requestId}?attempt=${inv.attempt}`)).json()).data;
          if (d?.spans?.length > 2) {
            spans = d.spans.length;
            tracedPath = `/functions/${fn.id}/invocations/${inv.requestId}`;
            return true;
          }
        }
        return false;
      },
      { timeout: 180_000, intervals: [5_000] },
    )
    .toBe(true);
  await page.goto(tracedPath);
  const waterfall = page.getByTestId("waterfall");
  // The page renders after its API answer, which a loaded machine delays past the default 5 s.
  await expect(waterfall.getByTestId("span")).toHaveCount(spans, { timeout: 30_000 });
  await expect(waterfall.getByText(/DynamoDB|S3|SQS/).first()).toBeVisible();
  // Each span says what X-Ray made it: the function's segment and the calls recorded inside it.
  await expect(waterfall.getByTestId("span-kind").filter({ hasText: "seg" }).first()).toBeVisible();
  await expect(waterfall.getByTestId("span-kind").filter({ hasText: "sub" }).first()).toBeVisible();
  const row = waterfall.getByTestId("span").nth(3).getByRole("button");
  await row.focus();
  await page.keyboard.press("Enter");
  await expect(row).toHaveAttribute("aria-expanded", "true");
  await expect(waterfall.getByTestId("span-details")).toBeVisible();

  await page.getByLabel("Search log lines").fill("START");
  await expect(page.getByTestId("log-line")).toHaveCount(1);
  await expect(page).toHaveURL(/log=START/);
});

test("no serious or critical accessibility violations, light and dark; screenshots of each level", async ({ browser, request }) => {
  test.setTimeout(300_000);
  const fn = await functionByName(request, "api-backend");
  const invPath = tracedPath || `/functions/${fn.id}`;
  const pages = [
    { name: "overview", path: "/", ready: "tile-invocations-value" },
    { name: "functions", path: "/functions", ready: "functions-table" },
    { name: "function", path: `/functions/${fn.id}`, ready: "invocations-table" },
    { name: "invocation", path: invPath, ready: tracedPath ? "waterfall" : "invocations-table" },
    { name: "cost", path: "/cost", ready: "cost-table" },
    { name: "settings", path: "/settings", ready: "accounts" },
  ];
  const problems: string[] = [];
  for (const theme of ["light", "dark"] as const) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: theme });
    const page = await context.newPage();
    await setTheme(page, theme);
    for (const p of pages) {
      await page.goto(p.path);
      await expect(page.getByTestId(p.ready)).toBeVisible({ timeout: 60_000 });
      await expect(page.locator('[aria-busy="true"]')).toHaveCount(0, { timeout: 30_000 });
      await expect(page.locator("html")).toHaveClass(new RegExp(theme === "dark" ? "dark" : "^(?!.*dark)"));
      problems.push(...(await seriousViolations(page)).map((v) => `${p.name} (${theme}): ${v}`));
      if (theme === "light") await page.screenshot({ path: path.join(SHOTS, `${p.name}.png`), fullPage: true });
    }
    await context.close();
  }
  expect(problems).toEqual([]);
});
