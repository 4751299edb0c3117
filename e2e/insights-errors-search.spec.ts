import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { keepScreenshot } from "./helpers";

// Insights, error groups and log search against the sandbox: its problem functions show their findings,
// a finding can be acknowledged, muted and reopened, an error group and a search hit lead to the invocation,
// and the three pages pass axe in both themes.
test.describe.configure({ mode: "serial" });

const EXPECTED = [
  { rule: "lambda-memory-over-provisioned", fn: "overprovisioned-worker" },
  { rule: "lambda-deprecated-runtime", fn: "legacy-etl" },
  { rule: "lambda-timeouts", fn: "report-generator" },
  { rule: "lambda-out-of-memory", fn: "image-processor" },
] as const;

interface Finding {
  id: number;
  ruleId: string;
  resourceName: string | null;
  state: string;
}

const card = (page: Page, rule: string, fn: string) => page.locator(`[data-testid="insight-card"][data-rule="${rule}"][data-resource="${fn}"]`);

async function waitForFindings(request: APIRequestContext) {
  await expect
    .poll(
      async () => {
        const res = await request.get("/api/v1/insights?state=open,acknowledged,muted&limit=500");
        if (!res.ok()) return EXPECTED.map((e) => e.fn);
        const found = ((await res.json()).data ?? []) as Finding[];
        return EXPECTED.filter((e) => !found.some((f) => f.ruleId === e.rule && f.resourceName === e.fn)).map((e) => e.fn);
      },
      { message: "functions still without their insight", timeout: 300_000, intervals: [3_000, 5_000] },
    )
    .toEqual([]);
}

/** A rerun on a kept data directory starts from open findings. */
async function reopenExpected(request: APIRequestContext) {
  const all = (await (await request.get("/api/v1/insights?state=open,acknowledged,muted&limit=500")).json()).data as Finding[];
  for (const f of all.filter((f) => EXPECTED.some((e) => e.rule === f.ruleId && e.fn === f.resourceName) && f.state !== "open")) {
    expect((await request.patch(`/api/v1/insights/${f.id}`, { data: { state: "open" } })).ok()).toBe(true);
  }
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

test("the sandbox's problem functions each show their insight", async ({ page, request }, testInfo) => {
  test.setTimeout(360_000);
  await waitForFindings(request);
  await reopenExpected(request);

  await page.goto("/insights");
  await expect(page.getByRole("heading", { level: 1, name: "Insights" })).toBeVisible();
  for (const e of EXPECTED) {
    const c = card(page, e.rule, e.fn);
    await expect(c).toBeVisible({ timeout: 30_000 });
    await expect(c.getByRole("link", { name: e.fn, exact: true })).toHaveAttribute("href", /^\/functions\/\d+$/);
    await expect(c.getByRole("link", { name: /See the evidence/ })).toBeVisible();
    await expect(c.getByRole("button", { name: /^Acknowledge/ })).toBeVisible();
  }
  await expect(card(page, "lambda-memory-over-provisioned", "overprovisioned-worker").getByTestId("insight-saving")).toContainText("/month");
  await expect(card(page, "lambda-deprecated-runtime", "legacy-etl")).toContainText("python3.8");
  await expect(page.getByTestId("count-critical")).not.toContainText("–");
  await keepScreenshot(page, testInfo, "insights");

  // The evidence of a timeout finding is the function's timed-out invocations.
  await card(page, "lambda-timeouts", "report-generator").getByRole("link", { name: /See the evidence/ }).click();
  await expect(page).toHaveURL(/\/functions\/\d+\?timeouts=1/);
  await expect(page.getByRole("button", { name: "Timeouts", exact: true })).toHaveAttribute("aria-pressed", "true");
  const rows = page.getByTestId("invocation-row");
  await expect(rows.first()).toBeVisible({ timeout: 30_000 });
  for (const row of await rows.all()) await expect(row).toContainText("timeout", { ignoreCase: true });

  // The overview lists every finding by rule, with each function it was found on.
  await page.goto("/");
  const summary = page.getByTestId("insight-summary");
  for (const [rule, fn] of [
    ["lambda-memory-over-provisioned", "overprovisioned-worker"],
    ["lambda-deprecated-runtime", "legacy-etl"],
    ["lambda-timeouts", "report-generator"],
    ["lambda-out-of-memory", "image-processor"],
  ]) {
    await expect(summary.locator(`[data-rule="${rule}"]`).getByRole("link", { name: fn })).toBeVisible({ timeout: 30_000 });
  }
});

test("filters live in the URL; acknowledging moves a finding, muting hides it until the muted filter", async ({ page, request }) => {
  test.setTimeout(120_000);
  await reopenExpected(request);
  await page.goto("/insights");
  await page.getByRole("group", { name: "Severity", exact: true }).getByRole("button", { name: "Critical" }).click();
  await expect(page).toHaveURL(/severity=critical/);
  await expect(card(page, "lambda-deprecated-runtime", "legacy-etl")).toBeVisible();
  for (const text of await page.locator('[data-testid="insight-card"]').allInnerTexts()) expect(text).toContain("Critical");
  await page.reload();
  await expect(page.getByRole("group", { name: "Severity", exact: true }).getByRole("button", { name: "Critical" })).toHaveAttribute("aria-pressed", "true");

  await page.goto("/insights?service=lambda");
  const open = page.getByTestId("insights-open");
  const timeouts = open.locator('[data-testid="insight-card"][data-rule="lambda-timeouts"][data-resource="report-generator"]');
  await expect(timeouts).toBeVisible({ timeout: 30_000 });
  await timeouts.getByRole("button", { name: /^Acknowledge/ }).click();

  const acked = page.getByTestId("insights-acknowledged").locator('[data-testid="insight-card"][data-rule="lambda-timeouts"][data-resource="report-generator"]');
  await expect(acked).toBeVisible();
  await expect(acked).toHaveAttribute("data-state", "acknowledged");
  await expect(acked.getByTestId("insight-state")).toHaveText("Acknowledged");
  await expect(timeouts).toHaveCount(0);
  // It stays acknowledged after a reload (the server kept it), and leaves the "Open" filter.
  await page.goto("/insights?state=open");
  await expect(card(page, "lambda-out-of-memory", "image-processor")).toBeVisible();
  await expect(card(page, "lambda-timeouts", "report-generator")).toHaveCount(0);
  await page.getByRole("group", { name: "State", exact: true }).getByRole("button", { name: "Acknowledged", exact: true }).click();
  await expect(page).toHaveURL(/state=acknowledged/);
  await expect(card(page, "lambda-timeouts", "report-generator")).toBeVisible();

  const mutedBefore = Number(await page.getByTestId("count-muted").locator(".num").innerText());
  await card(page, "lambda-timeouts", "report-generator").getByRole("button", { name: /^Mute/ }).click();
  await expect(card(page, "lambda-timeouts", "report-generator")).toHaveCount(0);
  await expect(page.getByTestId("count-muted").locator(".num")).toHaveText(String(mutedBefore + 1));
  await page.getByRole("group", { name: "State", exact: true }).getByRole("button", { name: "Muted", exact: true }).click();
  const muted = card(page, "lambda-timeouts", "report-generator");
  await expect(muted).toBeVisible();
  await expect(muted).toHaveAttribute("data-state", "muted");

  await muted.getByRole("button", { name: /^Unmute/ }).click();
  await expect(muted).toHaveCount(0);
  await page.goto("/insights?state=open");
  await expect(card(page, "lambda-timeouts", "report-generator")).toBeVisible();
});

test("rule thresholds can be changed, with invalid values refused", async ({ page, request }) => {
  await page.goto("/insights");
  const rule = page.locator('[data-testid="rule"][data-rule="lambda-memory-over-provisioned"]');
  await rule.locator("summary").click();
  const input = rule.getByLabel("Max used");
  await expect(input).toHaveValue("30");
  await expect(rule).toContainText("Osprey default");

  await input.fill("abc");
  await rule.getByRole("button", { name: "Save thresholds" }).click();
  await expect(rule.getByText("Must be a number")).toBeVisible();
  await expect(input).toHaveAttribute("aria-invalid", "true");

  await input.fill("25");
  await rule.getByRole("button", { name: "Save thresholds" }).click();
  await expect(rule.getByText("Saved")).toBeVisible();
  await expect(rule.getByText("1 changed")).toBeVisible();
  const rules = (await (await request.get("/api/v1/insights/rules")).json()).data as { id: string; thresholds: { name: string; value: number; default: number }[] }[];
  expect(rules.find((r) => r.id === "lambda-memory-over-provisioned")?.thresholds.find((t) => t.name === "maxUsedPct")).toMatchObject({ value: 25, default: 30 });

  await rule.getByRole("button", { name: "Reset to defaults" }).click();
  await expect(rule.getByLabel("Max used")).toHaveValue("30");
  await expect(rule.getByText("1 changed")).toHaveCount(0);
});

test("an error group leads to its invocation", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await page.goto("/errors?range=7d");
  await expect(page).toHaveURL(/range=7d/);
  const group = page.getByTestId("error-group").first();
  await expect(group).toBeVisible({ timeout: 60_000 });
  await keepScreenshot(page, testInfo, "errors");

  await page.getByRole("group", { name: "State", exact: true }).getByRole("button", { name: "Ongoing" }).click();
  await expect(page).toHaveURL(/state=ongoing/);
  await expect(group).toBeVisible();

  const type = (await group.getAttribute("data-error-type"))!;
  await group.getByRole("link", { name: type, exact: true }).click();
  await expect(page).toHaveURL(/\/errors\/\d+\?range=7d/);
  await expect(page.getByRole("heading", { level: 1, name: type })).toBeVisible();

  // The state badge is the control: change it, see it stick, change it back.
  const state = page.getByTestId("error-state");
  const before = await state.inputValue();
  await state.selectOption("ignored");
  await expect(state).toHaveValue("ignored");
  await page.reload();
  await expect(page.getByTestId("error-state")).toHaveValue("ignored");
  await page.getByTestId("error-state").selectOption(before);
  await expect(page.getByTestId("error-state")).toHaveValue(before);

  const link = page.getByTestId("occurrence-link").first();
  await expect(link).toBeVisible();
  const requestId = (await link.innerText()).replace(/^Invocation\s*/, "").trim();
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/functions/\\d+/invocations/${requestId}`));
  await expect(page.getByTestId("request-id")).toHaveText(requestId, { timeout: 30_000 });
});

test("an error group's page keeps its range: occurrences chart, links to its log search and invocations, retries labelled", async ({ page, request }) => {
  test.setTimeout(180_000);
  // A group with an occurrence in a retry (image-processor's asynchronous invocations retry).
  let target: { id: number; errorType: string; resourceId: number } | null = null;
  await expect
    .poll(
      async () => {
        const groups = (await (await request.get("/api/v1/errors?range=7d&limit=50")).json()).data as { id: number; errorType: string }[];
        for (const g of groups) {
          // The page lists a group's 50 newest occurrences: the retry must be among them.
          const d = (await (await request.get(`/api/v1/errors/${g.id}?range=7d&limit=50`)).json()).data;
          const retry = d.occurrences.find((o: { attempt: number | null }) => (o.attempt ?? 0) > 1);
          if (retry) return !!(target = { id: g.id, errorType: g.errorType, resourceId: retry.resourceId });
        }
        return false;
      },
      { timeout: 150_000, intervals: [5_000] },
    )
    .toBe(true);
  const t = target!;
  await page.goto(`/errors/${t.id}?range=7d`);
  await expect(page.getByRole("heading", { level: 1, name: t.errorType })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("error-timeline").locator("svg").first()).toBeVisible();
  await expect(page.getByText("Occurrences over time · last 7d")).toBeVisible();
  await expect(page.getByTestId("occurrence-retry").first()).toHaveText(/^Retry · attempt [2-9]$/);
  await expect(page.getByRole("link", { name: "← All errors" })).toHaveAttribute("href", "/errors?range=7d");
  expect(await seriousViolations(page), "error group page").toEqual([]);

  const search = page.getByTestId("error-search-link");
  const href = new URL((await search.getAttribute("href"))!, "http://x");
  expect(href.pathname).toBe("/search");
  expect(href.searchParams.get("q")).toBe(`"${t.errorType}"`);
  expect(href.searchParams.get("range")).toBe("7d");
  expect(href.searchParams.get("resource")?.split(",")).toContain(String(t.resourceId));

  // The function's invocations, filtered to this group, in the same range.
  await page.locator(`[data-testid="error-invocations-link"][href^="/functions/${t.resourceId}?"]`).click();
  await expect(page).toHaveURL(new RegExp(`/functions/\\d+\\?range=7d&group=${t.id}`));
  await expect(page.getByTestId("group-filter")).toContainText(`Error group #${t.id}`);
  await expect(page.getByTestId("invocation-row").first()).toBeVisible({ timeout: 30_000 });
});

test("error groups show their top frame, and a group's page the whole stack it came from", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/errors?range=7d");
  const framed = page.getByTestId("error-group").filter({ has: page.getByTestId("error-group-top-frame") }).first();
  await expect(framed).toBeVisible({ timeout: 60_000 });
  const frame = (await framed.getByTestId("error-group-top-frame").innerText()).trim();
  // The sandbox's functions fail in their own code under /var/task (Node, Python) or in com.example (Java).
  expect(frame).toMatch(/^\S.* \((\/var\/task\/\S+:\d+(:\d+)?|\w+\.java:\d+)\)$/);
  const type = (await framed.getAttribute("data-error-type"))!;
  await framed.getByRole("link", { name: type, exact: true }).click();
  await expect(page.getByTestId("error-top-frame")).toHaveText(frame, { timeout: 30_000 });
  const fn = frame.slice(0, frame.indexOf(" ("));
  await expect(page.getByTestId("error-stack")).toContainText(fn.split(".").at(-1)!, { timeout: 30_000 });
});

test("a search finds a known log line and links to its invocation", async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await page.goto("/search");
  await expect(page.getByRole("heading", { level: 1, name: "Logs" })).toBeVisible();
  await page.getByRole("button", { name: "7d" }).click();
  await expect(page).toHaveURL(/range=7d/);
  const box = page.getByRole("searchbox", { name: "Search logs" });
  await box.fill('"Task timed out after"');
  await box.press("Enter");
  await expect(page).toHaveURL(/q=%22Task\+timed\+out\+after%22|q=%22Task%20timed%20out%20after%22/);

  // report-generator times out on its own; a fire drill earlier in the run may have made others time out too.
  const hit = page.getByTestId("search-hit").filter({ hasText: "report-generator" }).first();
  await expect(async () => {
    await page.reload();
    await expect(hit).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 120_000, intervals: [5_000] });
  await expect(hit.locator("mark").first()).toHaveText(/Task timed out after/i);
  await keepScreenshot(page, testInfo, "search");

  await hit.getByRole("button", { name: /Expand line/ }).click();
  await expect(hit.locator("pre")).toContainText("Task timed out after");
  const requestId = (await hit.locator("code").first().innerText()).trim();
  await hit.getByTestId("hit-invocation").click();
  await expect(page).toHaveURL(new RegExp(`/functions/\\d+/invocations/${requestId}`));
  await expect(page.getByTestId("request-id")).toHaveText(requestId, { timeout: 30_000 });

  // A request id finds every line of that invocation; JSON lines pretty-print when expanded.
  await page.goto(`/search?range=7d&q=${requestId}`);
  await expect(page.getByTestId("search-hit").first()).toBeVisible({ timeout: 30_000 });
  for (const t of await page.getByTestId("hit-invocation").evaluateAll((as) => as.map((a) => a.getAttribute("href")))) expect(t).toContain(requestId);

  // `level = ERROR` reads the level of text and JSON lines alike; the regex keeps the JSON ones.
  await page.goto(`/search?range=7d&q=${encodeURIComponent("level = ERROR /^\\{/")}`);
  const jsonHit = page.getByTestId("search-hit").first();
  await expect(jsonHit).toBeVisible({ timeout: 30_000 });
  await jsonHit.getByRole("button", { name: /Expand line/ }).click();
  // Lambda's own JSON format names it "level"; Python's logging in JSON mode "log_level" (both are the line's level).
  await expect(jsonHit.locator("pre")).toContainText(/"(log_)?level": "ERROR"/);

  await page.goto(`/search?q=${encodeURIComponent('"unclosed')}`);
  await expect(page.getByText("a quoted phrase is not closed").first()).toBeVisible();
});

for (const theme of ["light", "dark"] as const) {
  test(`no serious accessibility violations on insights, errors and logs (${theme})`, async ({ page }) => {
    test.setTimeout(120_000);
    await setTheme(page, theme);
    for (const path of ["/insights", "/errors?range=7d", "/search?range=7d&q=timed"]) {
      await page.goto(path);
      await expect(page.locator("[aria-busy=true]")).toHaveCount(0, { timeout: 30_000 });
      await expect(page.locator('[data-testid="insight-card"], [data-testid="error-group"], [data-testid="search-hit"]').first()).toBeVisible({ timeout: 30_000 });
      expect(await seriousViolations(page), `${path} in ${theme}`).toEqual([]);
    }
  });
}
