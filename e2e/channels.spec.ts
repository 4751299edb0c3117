import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { recordSecret } from "./helpers";
import path from "node:path";
import { startReceiver, startSmtpReceiver, verifyOspreySignature, type Receiver, type SmtpReceiver } from "../test/receivers";
import { screenshotSlackMessage } from "./slack-preview";

// Channels in Settings: add a signed webhook and a Slack channel through the form, send a test to
// each (receivers on loopback in this process), see the secret masked, see a failure explained.
const SHOTS = path.resolve(import.meta.dirname, "../docs/screenshots");
const SECRET = "whsec_e2e_0123456789abcdef";
const SLACK_TOKEN = "E2eSlackToken0123456789";
const SMTP_PASSWORD = "e2e-smtp-pa55word-0123";
recordSecret("webhook signing secret", SECRET);
recordSecret("Slack webhook token", SLACK_TOKEN);
recordSecret("SMTP password of an e-mail channel", SMTP_PASSWORD);

let hook: Receiver;
let slack: Receiver;
let smtp: SmtpReceiver;

test.beforeAll(async () => {
  smtp = await startSmtpReceiver("osprey", SMTP_PASSWORD);
  hook = await startReceiver((r, res) => {
    res.writeHead(verifyOspreySignature(r.body, r.headers["x-osprey-signature"] as string, SECRET) ? 200 : 401);
    res.end();
  });
  slack = await startReceiver((r, res) => {
    res.writeHead(r.path.endsWith(SLACK_TOKEN) ? 200 : 404, { "content-type": "text/plain" });
    res.end(r.path.endsWith(SLACK_TOKEN) ? "ok" : "no_service");
  });
});

test.afterAll(async () => {
  await hook?.stop();
  await slack?.stop();
  await smtp?.stop();
});

test.afterEach(async ({ request }) => {
  const res = await request.get("/api/v1/channels");
  for (const c of (await res.json()).data as { id: number; name: string }[]) if (c.name.startsWith("e2e-")) await request.delete(`/api/v1/channels/${c.id}`);
});

test("add a signed webhook channel, send a test, and see it delivered with the secret never shown", async ({ page }) => {
  await page.goto("/settings");
  await page.getByRole("button", { name: "Add channel" }).click();
  const form = page.getByTestId("channel-form");
  await form.getByLabel("Name").fill("e2e-hook");
  await form.getByLabel("Kind").selectOption("webhook");
  await form.getByLabel("URL").fill(`${hook.url}/osprey`);
  await form.getByLabel("Signing secret").fill(SECRET);
  await form.getByRole("button", { name: "Add channel" }).click();

  const row = page.getByTestId("channel-row").filter({ hasText: "e2e-hook" });
  await expect(row.getByTestId("channel-target")).toHaveText(`POST ${hook.url}/osprey`);
  await expect(page.locator("body")).not.toContainText(SECRET);
  await row.getByRole("button", { name: "Send test to e2e-hook" }).click();
  await expect(row.getByTestId("channel-test-result")).toContainText("Test delivered (HTTP 200");
  expect(hook.received).toHaveLength(1);
  expect(JSON.parse(hook.received[0].body)).toMatchObject({ type: "incident.test" });
  await expect(row.getByTestId("channel-delivery")).toContainText("Delivered");

  await row.getByRole("button", { name: "Edit e2e-hook" }).click();
  await expect(page.getByLabel("Signing secret")).toHaveAttribute("placeholder", "unchanged (…cdef)");
  await expect(page.getByLabel("Signing secret")).toHaveValue("");
});

test("an e-mail channel signs in to a real SMTP server with its password and delivers the test mail", async ({ page }) => {
  await page.goto("/settings");
  await page.getByRole("button", { name: "Add channel" }).click();
  const form = page.getByTestId("channel-form");
  await form.getByLabel("Name").fill("e2e-mail");
  await form.getByLabel("Kind").selectOption("email");
  await form.getByLabel("SMTP host").fill("127.0.0.1");
  await form.getByLabel("Port", { exact: true }).fill(String(smtp.port));
  await form.getByLabel("TLS").selectOption("none");
  await form.getByLabel("Username (optional)").fill("osprey");
  await form.getByLabel("Password (optional)").fill(SMTP_PASSWORD);
  await form.getByLabel("From", { exact: true }).fill("osprey@example.com");
  await form.getByLabel("To", { exact: true }).fill("oncall@example.com");
  await form.getByRole("button", { name: "Add channel" }).click();

  const row = page.getByTestId("channel-row").filter({ hasText: "e2e-mail" });
  await row.getByRole("button", { name: "Send test to e2e-mail" }).click();
  await expect(row.getByTestId("channel-test-result")).toContainText("Test delivered (SMTP 250");
  expect(smtp.mails.at(-1)?.user).toBe("osprey");
  await expect(page.locator("body")).not.toContainText(SMTP_PASSWORD);
});

test("a Slack channel whose webhook is wrong says why the test failed, and lists the failed notification", async ({ page }) => {
  await page.goto("/settings");
  await page.getByRole("button", { name: "Add channel" }).click();
  const form = page.getByTestId("channel-form");
  await form.getByLabel("Name").fill("e2e-slack");
  await form.getByLabel("Incoming webhook URL").fill(`${slack.url}/services/T0/B0/wrong-token-0000`);
  await form.getByRole("button", { name: "Add channel" }).click();
  const row = page.getByTestId("channel-row").filter({ hasText: "e2e-slack" });
  await expect(row.getByTestId("channel-target")).toHaveText("Slack webhook …0000");
  await row.getByRole("button", { name: "Send test to e2e-slack" }).click();
  await expect(row.getByTestId("channel-test-result")).toContainText("Test not delivered: HTTP 404: no_service");
  await row.getByRole("button", { name: "1 failed" }).click();
  await expect(row.getByTestId("failed-notifications")).toContainText("HTTP 404: no_service");

  await row.getByRole("button", { name: "Edit e2e-slack" }).click();
  await page.getByLabel("Incoming webhook URL").fill(`${slack.url}/services/T0/B0/${SLACK_TOKEN}`);
  await page.getByRole("button", { name: "Save channel" }).click();
  await row.getByRole("button", { name: "Send test to e2e-slack" }).click();
  await expect(row.getByTestId("channel-test-result")).toContainText("Test delivered (HTTP 200");
  expect(slack.received.at(-1)!.path).toBe(`/services/T0/B0/${SLACK_TOKEN}`);

  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).include('[aria-labelledby="channels-heading"]').analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
  await page.getByRole("region", { name: "Notification channels" }).screenshot({ path: path.join(SHOTS, "channels.png") });

  // The message the Slack stand-in received, drawn as Slack lays out Block Kit, for the README.
  const message = JSON.parse(slack.received.at(-1)!.body);
  expect(message.blocks.find((b: { type: string }) => b.type === "actions").elements.map((e: { url: string }) => new URL(e.url).pathname)).toEqual(["/incidents", "/functions", "/search"]);
  await screenshotSlackMessage(page, message, path.join(SHOTS, "slack-test-message.png"));
});
