import { expect, test } from "@playwright/test";
import { recordSecret } from "./helpers";

// "Connect an AWS account" in Settings, against the sandbox: its STS lets a role deployed from the
// template be assumed only with the template's ExternalId, and the role reaches only what its policy allows.
test("Connect an AWS account: template, verify, a wrong external id and a missing permission", async ({ page, request }) => {
  await page.goto("/settings");
  await page.getByRole("button", { name: "Connect an AWS account" }).click();
  const panel = page.getByTestId("connect-account");
  const externalId = (await panel.getByTestId("external-id").textContent())!.trim();
  expect(externalId).toMatch(/^osprey-[0-9a-f]{32}$/);
  recordSecret("onboarding external id", externalId);

  await panel.getByRole("button", { name: "View template" }).click();
  const template = panel.getByTestId("template-text");
  await expect(template).toContainText("AWS::IAM::Role");
  await expect(template).toContainText(`"sts:ExternalId"`);
  await expect(template).toContainText(externalId);
  await expect(template).toContainText("xray:BatchGetTraces");
  const download = await request.get((await panel.getByRole("link", { name: "Download template (JSON)" }).getAttribute("href"))!);
  expect(download.headers()["content-disposition"]).toContain("osprey-readonly-role.json");
  expect((await download.json()).Parameters.ExternalId.Default).toBe(externalId);

  // The template as deployed: the role is assumed with the external id and every permission is there.
  await panel.getByRole("button", { name: "Deploy to the sandbox" }).click();
  const role = panel.getByLabel("Role ARN (the stack's RoleArn output)");
  await expect(role).toHaveValue(/^arn:aws:iam::\d{12}:role\/OspreyReadOnly$/);
  await panel.getByLabel("Name").fill("onboarded");
  await panel.getByRole("button", { name: "Verify" }).click();
  const result = panel.getByTestId("test-result");
  await expect(result).toContainText("Role assumed to account", { timeout: 30_000 });
  await expect(result).toContainText(/All \d+ permissions of the read-only policy are granted/);

  // A role whose trust policy asks for another external id.
  const other = await request.post("/api/v1/sandbox/stacks", { data: { externalId: "osprey-ffffffffffffffffffffffffffffffff", roleName: "OspreyOtherStack" } });
  const otherArn = (await other.json()).data.roleArn as string;
  await role.fill(otherArn);
  await panel.getByRole("button", { name: "Verify" }).click();
  await expect(panel.getByRole("alert")).toContainText(`Connection failed: Osprey may not assume ${otherArn}: the external id does not match`, { timeout: 30_000 });

  // A role without xray:BatchGetTraces: verify names the action and what is lost.
  const partial = await request.post("/api/v1/sandbox/stacks", { data: { externalId, roleName: "OspreyNoTraces", withoutActions: ["xray:BatchGetTraces"] } });
  await role.fill((await partial.json()).data.roleArn);
  await panel.getByRole("button", { name: "Verify" }).click();
  await expect(panel.getByTestId("permission-problems")).toHaveText("xray:BatchGetTraces denied – traces will not be collected", { timeout: 30_000 });
  await page.screenshot({ path: "test-results/onboarding-missing-permission.png", fullPage: true });
});
