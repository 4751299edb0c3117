import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import path from "node:path";
import { startReceiver, type Receiver } from "../test/receivers";

// The Alerts page and the policy editor: the default policies listed, a policy created through the
// editor (error rate, one function picked in the picker, a webhook channel), listed in words, edited,
// switched off and deleted; server refusals shown next to their field; axe on the list and the editor.
const SHOTS = path.resolve(import.meta.dirname, "../docs/screenshots");
const CHANNEL = "e2e-alerts-hook";
const POLICY = "e2e-report errors";
const FN = "report-generator";

test.describe.configure({ mode: "serial" });

let hook: Receiver;

interface Policy {
  id: number;
  name: string;
  enabled: boolean;
  threshold: number;
  conditionKind: string;
  scopeKind: string;
  resourceIds: number[];
  channelIds: number[];
  isDefault: boolean;
}

async function policies(request: APIRequestContext): Promise<Policy[]> {
  return (await (await request.get("/api/v1/alert-policies")).json()).data as Policy[];
}

async function functionId(request: APIRequestContext, name: string): Promise<number> {
  let id: number | undefined;
  await expect
    .poll(
      async () => {
        const rows = ((await (await request.get(`/api/v1/resources?q=${name}&range=7d&limit=50`)).json()).data ?? []) as { id: number; name: string }[];
        id = rows.find((r) => r.name === name)?.id;
        return id !== undefined;
      },
      { message: `${name} discovered`, timeout: 180_000, intervals: [2_000, 5_000] },
    )
    .toBe(true);
  return id!;
}

async function seriousViolations(page: Page, include: string) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).include(include).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}

async function cleanUp(request: APIRequestContext) {
  for (const p of await policies(request)) if (p.name.startsWith("e2e-")) await request.delete(`/api/v1/alert-policies/${p.id}`);
  const channels = (await (await request.get("/api/v1/channels")).json()).data as { id: number; name: string }[];
  for (const c of channels) if (c.name === CHANNEL) await request.delete(`/api/v1/channels/${c.id}`);
}

test.beforeAll(async ({ playwright, baseURL }) => {
  hook = await startReceiver((_r, res) => {
    res.writeHead(200);
    res.end();
  });
  const request = await playwright.request.newContext({ baseURL });
  await cleanUp(request);
  const res = await request.post("/api/v1/channels", { data: { name: CHANNEL, kind: "webhook", url: `${hook.url}/osprey`, signingSecret: "whsec_e2e_alerts_0123456789" } });
  expect(res.status(), await res.text()).toBe(201);
  await request.dispose();
});

test.afterAll(async ({ playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  await cleanUp(request);
  await request.dispose();
  await hook?.stop();
});

test("Alerts lists the default policies with their condition in words and their state", async ({ page, request }) => {
  test.setTimeout(180_000);
  // The workers create the default policies on their first evaluation, within a minute of the start.
  await expect
    .poll(async () => (await policies(request)).filter((p) => p.isDefault).length, { message: "default policies created", timeout: 120_000, intervals: [2_000, 5_000] })
    .toBe(2);
  await page.goto("/");
  await expect(page.getByTestId("health-badge")).toBeVisible({ timeout: 30_000 });
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts", exact: true }).click();
  await expect(page).toHaveURL(/\/alerts$/, { timeout: 20_000 });
  await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
  const defaults = page.getByTestId("policy-row").filter({ has: page.getByTestId("policy-default") });
  await expect(defaults).toHaveCount(2);
  await expect(defaults.getByTestId("policy-condition")).toHaveText([
    "Error rate ≥ 5 % over 10 min, at least 10 invocations; critical at 25 %",
    "Out of memory ≥ 1 over 10 min, at least 1 invocation",
  ]);
  await expect(defaults.first().getByTestId("policy-scope")).toHaveText("Everything");
  for (const state of await defaults.getByTestId("policy-state").allTextContents()) expect(state).toMatch(/^(OK|Firing · \d+ open incidents?)$/);
  expect(await seriousViolations(page, "main")).toEqual([]);
});

test("create a policy through the editor: error rate 20 % on one picked function, notifying a webhook", async ({ page, request }) => {
  test.setTimeout(240_000);
  const fnId = await functionId(request, FN);
  await page.goto("/alerts");
  await page.getByRole("link", { name: "New policy" }).click();
  await expect(page).toHaveURL(/\/alerts\/new$/);
  const form = page.getByTestId("policy-form");

  // Refusals from the server appear next to their field.
  await form.getByRole("radio", { name: "Chosen resources" }).check();
  await form.getByRole("button", { name: "Save", exact: true }).click();
  await expect(form.getByLabel("Name", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await form.getByLabel("Name", { exact: true }).fill(POLICY);
  await form.getByRole("button", { name: "Save", exact: true }).click();
  await expect(form.getByTestId("resource-picker")).toContainText("a resources scope needs resourceIds");
  await expect(form.getByLabel("Name", { exact: true })).toHaveAttribute("aria-invalid", "false");

  await form.getByLabel("Condition", { exact: true }).selectOption("error_rate");
  await form.getByLabel("Threshold (%)", { exact: true }).fill("20");
  await form.getByLabel("Find functions").fill(FN);
  await form.getByRole("checkbox", { name: new RegExp(`^${FN}\\b`) }).check();
  await expect(form.getByTestId("chosen-resources")).toHaveText(new RegExp(FN));
  await form.getByRole("checkbox", { name: new RegExp(CHANNEL) }).check();
  await form.getByText("Advanced").click();
  await expect(form.getByLabel("Resolve after (minutes clear)")).toHaveValue("5");

  // The backtest replays the policy over the stored rollups before it is saved: the editor shows the
  // count the API gives for the same policy (asked before and after, as the sandbox keeps running).
  const body = { conditionKind: "error_rate", threshold: 0.2, windowMinutes: 10, minInvocations: 10, scopeKind: "resources", resourceIds: [fnId] };
  const apiCount = async () => {
    const answer = await request.post("/api/v1/alert-policies/backtest", { data: body, timeout: 90_000 });
    expect(answer.status()).toBe(200);
    return ((await answer.json()) as { data: { incidents: number } }).data.incidents;
  };
  const before = await apiCount();
  await page.getByRole("button", { name: "Backtest", exact: true }).click();
  await expect(page.getByTestId("backtest-result")).toContainText(/This policy would have opened \d+ incidents? in the last \d+ days/, { timeout: 90_000 });
  const shown = Number(await page.getByTestId("backtest-count").textContent());
  const after = await apiCount();
  expect(shown).toBeGreaterThanOrEqual(before);
  expect(shown).toBeLessThanOrEqual(after);

  expect(await seriousViolations(page, "main")).toEqual([]);
  await page.locator("main").screenshot({ path: path.join(SHOTS, "alert-editor.png") });

  await form.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page).toHaveURL(/\/alerts$/);
  const row = page.getByTestId("policy-row").filter({ hasText: POLICY });
  await expect(row.getByTestId("policy-condition")).toHaveText("Error rate ≥ 20 % over 10 min, at least 10 invocations");
  await expect(row.getByTestId("policy-scope")).toHaveText(`1 resource: ${FN}`);
  await expect(row.getByTestId("policy-channels")).toHaveText(`Notifies ${CHANNEL}`);

  const saved = (await policies(request)).find((p) => p.name === POLICY)!;
  expect(saved).toMatchObject({ conditionKind: "error_rate", threshold: 0.2, scopeKind: "resources", resourceIds: [fnId], enabled: true, isDefault: false });
  expect(saved.channelIds).toHaveLength(1);
});

test("edit its threshold, switch it off, and delete it", async ({ page, request }) => {
  await page.goto("/alerts");
  const row = page.getByTestId("policy-row").filter({ hasText: POLICY });
  await row.getByRole("link", { name: `Edit ${POLICY}` }).click();
  const form = page.getByTestId("policy-form");
  await expect(form.getByLabel("Threshold (%)", { exact: true })).toHaveValue("20");
  await expect(form.getByTestId("chosen-resources")).toHaveText(new RegExp(FN));
  await form.getByLabel("Threshold (%)", { exact: true }).fill("35");
  await form.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page).toHaveURL(/\/alerts$/);
  await expect(row.getByTestId("policy-condition")).toHaveText("Error rate ≥ 35 % over 10 min, at least 10 invocations");
  expect((await policies(request)).find((p) => p.name === POLICY)!.threshold).toBe(0.35);

  const toggle = row.getByRole("switch", { name: `Enabled: ${POLICY}` });
  await expect(toggle).toBeChecked();
  // A click that lands before the page has hydrated is undone by React: click again until the row says so.
  await expect(async () => {
    if (await toggle.isChecked()) await toggle.click();
    await expect(row).toContainText("disabled", { timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
  await expect.poll(async () => (await policies(request)).find((p) => p.name === POLICY)!.enabled).toBe(false);

  await row.getByRole("button", { name: `Delete ${POLICY}` }).click();
  await row.getByRole("group", { name: `Confirm deleting ${POLICY}` }).getByRole("button", { name: `Delete ${POLICY}` }).click();
  await expect(page.getByTestId("policy-row").filter({ hasText: POLICY })).toHaveCount(0);
  expect((await policies(request)).some((p) => p.name === POLICY)).toBe(false);
});

test("the backtest runs by itself once edits settle, sends the policy as the API stores it, and shows the result with its top resources", async ({ page }) => {
  // The endpoint is built in parallel; here the browser's request is answered with its contract, to check the editor's side of it.
  const bodies: Record<string, unknown>[] = [];
  await page.route("**/api/v1/alert-policies/backtest", async (route) => {
    const body = route.request().postDataJSON() as Record<string, unknown>;
    bodies.push(body);
    const incidents = body.threshold === 0.2 ? 4 : 9;
    await route.fulfill({
      status: 200,
      contentType: "application/json",
      body: JSON.stringify({
        data: {
          from: "2026-11-25T12:00:00.000Z",
          to: "2026-12-02T12:00:00.000Z",
          coveredFrom: "2026-11-25T12:00:00.000Z",
          incidents,
          resources: [
            { resourceId: 1, name: "checkout-api", incidents: 3, firstOpenedAt: "2026-11-28T09:15:00.000Z", lastOpenedAt: "2026-12-01T17:40:00.000Z", peakValue: 0.42 },
            { resourceId: 2, name: "orders-consumer", incidents: 1, firstOpenedAt: "2026-11-30T02:05:00.000Z", lastOpenedAt: "2026-11-30T02:05:00.000Z", peakValue: 0.25 },
          ],
          evaluable: true,
        },
      }),
    });
  });
  await page.goto("/alerts/new");
  const result = page.getByTestId("backtest-result");
  await expect(result).toContainText("This policy would have opened 9 incidents in the last 7 days");
  expect(bodies[0]).toMatchObject({ conditionKind: "error_rate", threshold: 0.05, scopeKind: "all" });
  expect(bodies[0]).not.toHaveProperty("name");

  await page.getByLabel("Threshold (%)", { exact: true }).fill("20");
  await expect(result).toContainText("This policy would have opened 4 incidents in the last 7 days");
  expect(bodies.at(-1)).toMatchObject({ threshold: 0.2 });
  await expect(result.getByRole("listitem").first()).toContainText("checkout-api");
  await expect(result.getByRole("listitem").first()).toContainText("3 incidents");
  await expect(result.getByRole("listitem").first()).toContainText("peak 42 %");
  await expect(result.getByRole("listitem").nth(1)).toContainText("peak 25 %");
});

test("no serious accessibility violations on the list and the editor in the dark theme", async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem("osprey-theme", "dark"));
  await page.goto("/alerts");
  await expect(page.getByTestId("policy-row").first()).toBeVisible({ timeout: 30_000 });
  expect(await seriousViolations(page, "main"), "/alerts in dark").toEqual([]);
  await page.goto("/alerts/new");
  await page.getByRole("radio", { name: "Chosen resources" }).check();
  await expect(page.getByTestId("resource-picker").getByRole("checkbox").first()).toBeVisible({ timeout: 30_000 });
  await page.getByText("Advanced").click();
  expect(await seriousViolations(page, "main"), "/alerts/new in dark").toEqual([]);
});
