import { expect, test } from "@playwright/test";
import { functionId, seriousViolations } from "./helpers";
import path from "node:path";
import { OWNER } from "./helpers";

// An incident the way a user gets one: a policy the sandbox's failures already cross, the worker's
// evaluation opens the incident, then the incidents page, its detail with the evidence, acknowledge and
// resolve, and the open incident on the overview and the function page before it is resolved.
const SHOTS = path.resolve(import.meta.dirname, "../docs/screenshots");
// The sandbox ingests it first; it fails with a TypeError every few minutes.
const FN = "api-backend";
const POLICY = "e2e api-backend failures";

test.describe.configure({ mode: "serial" });

interface Incident {
  id: number;
  state: string;
  value: number | null;
  threshold: number;
  resource: { id: number; name: string } | null;
}

let policyId = 0;

test.afterAll(async ({ request }) => {
  if (policyId) await request.delete(`/api/v1/alert-policies/${policyId}`);
});

test("a policy the sandbox crosses opens an incident: list, detail with its evidence, acknowledge, resolve", async ({ page, request }) => {
  test.setTimeout(480_000);
  const resourceId = await functionId(request, FN);
  const created = await request.post("/api/v1/alert-policies", {
    data: { name: POLICY, conditionKind: "failed_invocations", threshold: 1, windowMinutes: 1440, minInvocations: 1, scopeKind: "resources", resourceIds: [resourceId] },
  });
  expect(created.status()).toBe(201);
  policyId = (await created.json()).data.id;

  // The worker evaluates every minute and after each ingest.
  let incident: Incident | undefined;
  await expect
    .poll(
      async () => {
        const list = ((await (await request.get(`/api/v1/incidents?policy=${policyId}`)).json()).data ?? []) as Incident[];
        incident = list.find((i) => i.state === "open");
        return Boolean(incident);
      },
      { timeout: 120_000, intervals: [2_000, 5_000] },
    )
    .toBe(true);
  const inc = incident!;
  expect(inc.resource).toEqual({ id: resourceId, name: FN });
  expect(inc.value).toBeGreaterThanOrEqual(1);

  // The overview and the function page show it while it is open.
  await page.goto("/");
  const panel = page.getByTestId("open-incidents");
  await expect(panel.getByRole("link", { name: POLICY })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("navigation", { name: "Main" }).getByTestId("nav-incidents-count")).toBeVisible();
  await page.goto(`/functions/${resourceId}`);
  await expect(page.getByTestId("resource-incidents").getByRole("link", { name: POLICY })).toBeVisible({ timeout: 30_000 });

  // The incidents page lists it; its filters live in the URL.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Incidents/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Incidents" })).toBeVisible();
  const row = page.locator(`[data-testid="incident-row"][data-incident-id="${inc.id}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText(FN);
  await expect(row.getByTestId("incident-value")).toHaveText(/^[1-9][\d,]* vs 1$/);
  await page.getByLabel("State").selectOption("resolved");
  await expect(page).toHaveURL(/state=resolved/);
  await expect(row).toHaveCount(0);
  await page.getByLabel("State").selectOption("open");
  await expect(row).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  // The detail: the value against the threshold, the chart, the failed invocations, the top error.
  // The page's own evidence answer: the sandbox keeps failing, so a later request may count more.
  const evidenceAnswer = page.waitForResponse((r) => r.url().endsWith(`/api/v1/incidents/${inc.id}/evidence`));
  await row.getByRole("link", { name: POLICY }).click();
  const evidence = (await (await evidenceAnswer).json()).data as { failing: { total: number; rows: { requestId: string }[] } };
  await expect(page).toHaveURL(new RegExp(`/incidents/${inc.id}$`));
  await expect(page.getByRole("heading", { level: 1, name: POLICY })).toBeVisible();
  await expect(page.getByTestId("incident-figure").getByTestId("incident-value")).toHaveText(/^[1-9][\d,]*$/);
  await expect(page.getByTestId("incident-threshold")).toHaveText("1");
  await expect(page.getByTestId("incident-chart")).toHaveAttribute("data-state", "ready", { timeout: 30_000 });
  await expect(page.getByTestId("incident-chart").locator("svg.recharts-surface")).toBeVisible();
  const failing = page.getByTestId("incident-failing-row");
  await expect(failing.first()).toBeVisible();
  expect(evidence.failing.total).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId("incident-failing")).toContainText(`${evidence.failing.total.toLocaleString("en-US")} failed in the window`);
  await expect(failing).toHaveCount(evidence.failing.rows.length);
  await expect(failing.first().getByRole("link", { name: evidence.failing.rows[0].requestId })).toHaveAttribute("href", new RegExp(`/functions/${resourceId}/invocations/`));
  await expect(page.getByRole("link", { name: "All failures on the function page" })).toHaveAttribute("href", new RegExp(`/functions/${resourceId}\\?errors=1&from=`));
  const topError = page.getByTestId("incident-top-error");
  await expect(topError.getByRole("link")).toHaveAttribute("href", /^\/errors\/\d+$/);
  await expect(page.getByTestId("incident-timeline").locator('[data-kind="opened"]')).toContainText("Opened");
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(SHOTS, "incident-detail.png"), fullPage: true });

  // Acknowledge: the state, who, and the timeline change at once.
  await page.getByTestId("incident-actions").getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.getByTestId("incident-header").getByTestId("incident-state")).toHaveText("acknowledged");
  await expect(page.getByTestId("incident-timeline").locator('[data-kind="acknowledged"]')).toContainText(`Acknowledged by ${OWNER.name}`);
  await expect(page.getByTestId("incident-header")).toContainText(OWNER.name);

  await page.getByTestId("incident-actions").getByRole("button", { name: "Resolve" }).click();
  await expect(page.getByTestId("incident-header").getByTestId("incident-state")).toHaveText("resolved");
  await expect(page.getByTestId("incident-timeline").locator('[data-kind="resolved"]')).toContainText(`Resolved by ${OWNER.name}`);
  await expect(page.getByTestId("incident-actions")).toHaveCount(0);
});
