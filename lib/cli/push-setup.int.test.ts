import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { CloudWatchLogsClient, DescribeSubscriptionFiltersCommand } from "@aws-sdk/client-cloudwatch-logs";
import { describe, expect, it } from "vitest";
import { sandboxWorld } from "../../test/sandbox-world";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
const world = sandboxWorld({ seed: 5, backfillMs: 3_600_000, regions: ["us-east-1"] });
const STREAM = "arn:aws:firehose:us-east-1:123456789012:deliverystream/osprey-push";
const ROLE = "arn:aws:iam::123456789012:role/osprey-push-OspreyLogsToFirehoseRole-ABC";

async function osprey(args: string[]) {
  const env = { ...process.env, DATABASE_URL: world.tdb.url, OSPREY_PUBLIC_URL: "https://osprey.example.com", AWS_ACCESS_KEY_ID: "AKIAEXAMPLE", AWS_SECRET_ACCESS_KEY: "example", LOG_LEVEL: "warn" };
  try {
    const { stdout, stderr } = await run(path.join(ROOT, "bin/osprey"), ["push-setup", ...args], { env, cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function filtersOn(logGroupName: string) {
  const logs = new CloudWatchLogsClient({ region: "us-east-1", endpoint: world.sandbox.url, credentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "example" } });
  try {
    return (await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName }))).subscriptionFilters ?? [];
  } finally {
    logs.destroy();
  }
}

async function monitored(): Promise<{ name: string; logGroup: string }[]> {
  const { rows } = await world.db.query("SELECT name, config->>'logGroup' AS \"logGroup\" FROM resources WHERE kind = 'lambda' AND deleted_at IS NULL ORDER BY name");
  return rows;
}

describe("osprey push-setup (sandbox account)", () => {
  it("dry run: says what it would create, one subscription filter per monitored function, and changes nothing", async () => {
    const fns = await monitored();
    expect(fns.length).toBeGreaterThan(1);
    const r = await osprey(["--account", world.account.name]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("dry run");
    expect(r.stdout).toContain("https://osprey.example.com/api/v1/ingest/firehose");
    expect(r.stdout.split("\n").filter((l) => l.includes("put subscription filter"))).toHaveLength(fns.length);
    for (const f of fns) expect(r.stdout).toContain(f.logGroup);
    expect(await filtersOn(fns[0].logGroup)).toEqual([]);
  }, 60_000);

  it("--cloudformation prints the template of the chosen functions; --rotate-key writes the account's new key into it", async () => {
    const [a, b] = await monitored();
    const r = await osprey(["--account", String(world.account.id), "--functions", `${a.name},${b.name}`, "--cloudformation", "--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const t = JSON.parse(r.stdout);
    const filters = Object.values(t.Resources as Record<string, { Type: string; Properties: { LogGroupName: string } }>).filter((x) => x.Type === "AWS::Logs::SubscriptionFilter");
    expect(filters.map((f) => f.Properties.LogGroupName).sort()).toEqual([a.logGroup, b.logGroup].sort());
    expect(t.Parameters.OspreyFirehoseAccessKey.NoEcho).toBe(true);

    const rotated = await osprey(["--account", world.account.name, "--functions", a.name, "--cloudformation", "--rotate-key", "--format", "json"]);
    expect(rotated.code, rotated.stderr).toBe(0);
    const key = JSON.parse(rotated.stdout).Resources.OspreyDeliveryStream.Properties.HttpEndpointDestinationConfiguration.EndpointConfiguration.AccessKey;
    expect(key).toMatch(new RegExp(`^ofk_${world.account.id}_`));
    const stored = await world.db.query("SELECT hint FROM account_firehose_keys WHERE account_id = $1", [world.account.id]);
    expect(stored.rows[0].hint).toBe(`…${key.slice(-4)}`);
  }, 60_000);

  it("refuses a function it does not monitor", async () => {
    const r = await osprey(["--account", world.account.name, "--functions", "no-such-function"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no-such-function");
  }, 60_000);

  it("--apply without the stream: says it cannot create Firehose and IAM resources and prints the CloudFormation instead", async () => {
    const r = await osprey(["--account", world.account.name, "--apply"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/no Firehose, IAM or S3 client/);
    expect(r.stdout).toContain("AWS::KinesisFirehose::DeliveryStream");
  }, 60_000);

  it("--apply with the stream and role puts one filter per log group through the SDK, and again changes nothing", async () => {
    const [a, b] = await monitored();
    for (let i = 0; i < 2; i++) {
      const r = await osprey(["--account", world.account.name, "--functions", `${a.name},${b.name}`, "--apply", "--destination-arn", STREAM, "--role-arn", ROLE]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain("2 log group(s)");
    }
    for (const f of [a, b]) {
      const filters = await filtersOn(f.logGroup);
      expect(filters).toHaveLength(1);
      expect(filters[0]).toMatchObject({ filterName: "osprey", filterPattern: "", destinationArn: STREAM, roleArn: ROLE, logGroupName: f.logGroup });
    }
  }, 60_000);

  it("an account that may not put subscription filters gets the CloudFormation template to apply", async () => {
    world.sandbox.setCallPolicy({ deny: ["logs:PutSubscriptionFilter"] });
    try {
      const [, , c] = await monitored();
      const r = await osprey(["--account", world.account.name, "--functions", c.name, "--apply", "--destination-arn", STREAM, "--role-arn", ROLE]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/may not put subscription filters/);
      expect(r.stdout).toContain("AWS::Logs::SubscriptionFilter");
      expect(await filtersOn(c.logGroup)).toEqual([]);
    } finally {
      world.sandbox.setCallPolicy({});
    }
  }, 60_000);
});
