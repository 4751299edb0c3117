import { expect, test, type APIRequestContext } from "@playwright/test";
import path from "node:path";
import { startReceiver, type Receiver } from "../test/receivers";
import { recordSecret } from "./helpers";
import { screenshotSlackMessage } from "./slack-preview";
import { OWNER } from "./helpers";

// The whole path a team relies on, through the UI: a Slack channel added in Settings, a policy made in
// the editor, a fire drill started from Settings; the incident opens from the ingested timeouts, the
// Slack stand-in (loopback) receives the Block Kit message with its links, someone acknowledges it, and
// it resolves by itself once the drill is over and the condition has been clear.
const SHOTS = path.resolve(import.meta.dirname, "../docs/screenshots");
const CHANNEL = "flow-slack";
const POLICY = "flow: authorizer timeouts";
// A busy function (about 30 invocations a minute) with a 5 s timeout: drilled timeouts are logged quickly.
const FN = "auth-authorizer";
const SLACK_PATH = "/services/T0FLOW/B0FLOW/FlowToken0123456789";
recordSecret("Slack webhook path (incident flow)", SLACK_PATH);

let slack: Receiver;

interface SlackMessage {
  text?: string;
  blocks?: { type: string; text?: { text: string }; elements?: { url?: string }[] }[];
}

const messages = () => slack.received.filter((r) => r.path === SLACK_PATH).map((r) => JSON.parse(r.body) as SlackMessage);

async function cleanUp(request: APIRequestContext) {
  const policies = (await (await request.get("/api/v1/alert-policies")).json()).data as { id: number; name: string }[];
  for (const p of policies) if (p.name === POLICY) await request.delete(`/api/v1/alert-policies/${p.id}`);
  const channels = (await (await request.get("/api/v1/channels")).json()).data as { id: number; name: string }[];
  for (const c of channels) if (c.name === CHANNEL) await request.delete(`/api/v1/channels/${c.id}`);
}

test.beforeAll(async ({ playwright, baseURL }) => {
  slack = await startReceiver((r, res) => {
    res.writeHead(r.path === SLACK_PATH ? 200 : 404, { "content-type": "text/plain" });
    res.end(r.path === SLACK_PATH ? "ok" : "no_service");
  });
  const request = await playwright.request.newContext({ baseURL });
  await cleanUp(request);
  await request.dispose();
});

test.afterAll(async ({ playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  await cleanUp(request);
  await request.dispose();
  await slack?.stop();
});

test("channel and policy through the UI, a fire drill, the incident with its Slack message, acknowledged, then resolved by itself", async ({ page }) => {
  test.setTimeout(900_000);

  // 1. A Slack channel in Settings.
  await page.goto("/settings");
  await page.getByRole("button", { name: "Add channel" }).click();
  const channelForm = page.getByTestId("channel-form");
  await channelForm.getByLabel("Name").fill(CHANNEL);
  await channelForm.getByLabel("Incoming webhook URL").fill(`${slack.url}${SLACK_PATH}`);
  await channelForm.getByRole("button", { name: "Add channel" }).click();
  await expect(page.getByTestId("channel-row").filter({ hasText: CHANNEL })).toBeVisible();

  // 2. A policy in the editor: 5 or more timeouts over 3 minutes on the authorizer, to that channel.
  await page.goto("/alerts/new");
  const form = page.getByTestId("policy-form");
  await form.getByLabel("Name", { exact: true }).fill(POLICY);
  await form.getByLabel("Condition", { exact: true }).selectOption("timeouts");
  await form.getByLabel("Threshold", { exact: true }).fill("5");
  await form.getByLabel("Window (minutes)", { exact: true }).fill("3");
  await form.getByLabel("Minimum invocations").fill("1");
  await form.getByRole("radio", { name: "Chosen resources" }).check();
  await form.getByLabel("Find functions").fill(FN);
  await form.getByRole("checkbox", { name: new RegExp(`^${FN}\\b`) }).check();
  await form.getByRole("checkbox", { name: new RegExp(CHANNEL) }).check();
  await form.getByText("Advanced").click();
  await form.getByLabel("Resolve after (minutes clear)").fill("1");
  await form.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page).toHaveURL(/\/alerts$/);
  const policyRow = page.getByTestId("policy-row").filter({ hasText: POLICY });
  await expect(policyRow.getByTestId("policy-condition")).toHaveText("Timeouts ≥ 5 over 3 min, at least 1 invocation");
  const policyId = Number(await policyRow.getAttribute("data-policy-id"));

  // 3. A one-minute timeout drill on the authorizer, from Settings.
  await page.goto("/settings");
  const drill = page.getByTestId("sandbox-drill");
  await drill.getByLabel("Function").selectOption(`us-east-1/${FN}`);
  await drill.getByLabel("Failure").selectOption("timeout");
  await drill.getByLabel("Minutes").fill("1");
  await drill.getByRole("button", { name: "Start" }).click();
  await expect(page.getByTestId("drill-running")).toContainText(FN, { timeout: 15_000 });

  // 4. The incident opens (logs pass each minute, evaluation right after) and shows on Incidents.
  await page.goto(`/incidents?policy=${policyId}`);
  const row = page.getByTestId("incident-row").first();
  await expect(async () => {
    await page.reload();
    await expect(row).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 300_000, intervals: [10_000] });
  await expect(row).toContainText(FN);
  const incidentId = Number(await row.getAttribute("data-incident-id"));

  // 5. Slack got the incident, linking to it, to the function's failures and to their logs.
  await expect.poll(() => messages().length, { timeout: 60_000 }).toBeGreaterThan(0);
  const opened = messages()[0];
  const urls = opened.blocks!.filter((b) => b.type === "actions").flatMap((b) => b.elements!.map((e) => new URL(e.url!)));
  expect(urls.map((u) => u.pathname)).toEqual(expect.arrayContaining([`/incidents/${incidentId}`, "/search"]));
  expect(urls.some((u) => u.pathname.startsWith("/functions/"))).toBe(true);
  expect(JSON.stringify(opened.blocks)).toContain(FN);
  await screenshotSlackMessage(page, { blocks: opened.blocks! }, path.join(SHOTS, "slack-incident.png"));

  // 6. Acknowledge on its page; the timeline says who.
  await page.goto(`/incidents/${incidentId}`);
  await expect(page.getByTestId("incident-failing-row").first()).toContainText(/timeout/i);
  await page.getByTestId("incident-actions").getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.getByTestId("incident-header").getByTestId("incident-state")).toHaveText("acknowledged");
  await expect(page.getByTestId("incident-timeline").locator('[data-kind="acknowledged"]')).toContainText(`Acknowledged by ${OWNER.name}`);

  // 7. The drill ends, the timeouts leave the window, and after a clear minute Osprey resolves it.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("incident-header").getByTestId("incident-state")).toHaveText("resolved", { timeout: 5_000 });
  }).toPass({ timeout: 480_000, intervals: [15_000] });
  await expect(page.getByTestId("incident-timeline").locator('[data-kind="resolved"]')).toContainText("back under the threshold");
});
