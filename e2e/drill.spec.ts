import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext } from "@playwright/test";

interface Invocation {
  requestId: string;
  startedAt: string | null;
  status: string | null;
  errorType: string | null;
  errorMessage: string | null;
}

async function apiBackendId(request: APIRequestContext): Promise<number | undefined> {
  const { data } = (await (await request.get("/api/v1/resources?range=24h&limit=500")).json()) as { data: { id: number; name: string }[] };
  return data.find((r) => r.name === "api-backend")?.id;
}

// On a fresh server the first logs pass reads the sandbox's backfilled day; the drill is timed from
// the moment ingestion keeps up (api-backend's newest stored invocation is under two minutes old).
test.beforeAll(async ({ request }) => {
  test.setTimeout(620_000);
  await expect
    .poll(
      async () => {
        const id = await apiBackendId(request);
        if (!id) return Infinity;
        const { data } = (await (await request.get(`/api/v1/resources/${id}/invocations?range=1h&limit=1`)).json()) as { data: Invocation[] };
        return data[0]?.startedAt ? Date.now() - Date.parse(data[0].startedAt) : Infinity;
      },
      { timeout: 600_000, intervals: [5_000] },
    )
    .toBeLessThan(120_000);
});

// The fire drill in Settings: Start makes api-backend's handler throw for a minute; the failures reach
// Osprey through the ordinary logs pass (every minute) and show in the function's invocations.
test("Run a fire drill: the drilled failures arrive in the function's invocations", async ({ page, request }) => {
  test.setTimeout(120_000);
  await page.goto("/settings");
  const card = page.getByTestId("sandbox-drill");
  await expect(card).toBeVisible({ timeout: 30_000 });
  await expect(card).toContainText(/an incident should open within about a minute/i);
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).include('[data-testid="sandbox-drill"]').analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  await card.getByLabel("Function").selectOption("us-east-1/api-backend");
  await card.getByLabel("Failure").selectOption("error");
  await card.getByLabel("Minutes").fill("1");
  const started = Date.now();
  await card.getByRole("button", { name: "Start" }).click();
  await expect(page.getByTestId("drill-running")).toContainText("api-backend", { timeout: 15_000 });

  const fnId = await apiBackendId(request);
  expect(fnId).toBeDefined();
  await expect
    .poll(
      async () => {
        const res = await request.get(`/api/v1/resources/${fnId}/invocations?range=1h&status=error&limit=100`);
        const { data } = (await res.json()) as { data: Invocation[] };
        return data.filter((i) => i.errorMessage?.includes("Fire drill") && Date.parse(i.startedAt ?? "") >= started - 5_000).length;
      },
      { timeout: 95_000, intervals: [2_000] },
    )
    .toBeGreaterThan(0);
});
