import { GetFunctionConfigurationCommand, LambdaClient, ListAliasesCommand, ListVersionsByFunctionCommand } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "./index";
import { FIRST_INCIDENT_AFTER_MS } from "./workload";
import { clientConfig, HOUR, MIN, NOW } from "./test-helpers";

// auth-authorizer's deploy scenario: new code a minute after the incident anchor that crashes more and runs slower,
// fixed by the next deploy 40 minutes later.
let clock = NOW;
let sb: Sandbox;
const REGION = "us-east-1";
const BAD = NOW + FIRST_INCIDENT_AFTER_MS + MIN;
const FIX = BAD + 40 * MIN;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, now: () => clock, backfillMs: 2 * HOUR });
});

afterAll(() => sb.close());

describe("sandbox code deploys", () => {
  it("reports a new CodeSha256 and LastModified after each deploy", async () => {
    const lambda = new LambdaClient(clientConfig(sb));
    const config = async (at: number) => {
      clock = at;
      return lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "auth-authorizer" }));
    };
    const before = await config(BAD - MIN);
    const bad = await config(BAD + 10 * MIN);
    const fixed = await config(FIX + MIN);
    lambda.destroy();
    expect(new Set([before.CodeSha256, bad.CodeSha256, fixed.CodeSha256]).size).toBe(3);
    expect(Date.parse(bad.LastModified!)).toBe(BAD);
    expect(Date.parse(fixed.LastModified!)).toBe(FIX);
  });

  it("crashes more and runs slower between the bad deploy and its fix", () => {
    clock = FIX + 30 * MIN;
    const stats = (from: number, to: number) => {
      const invs = sb.workload.invocations("auth-authorizer", REGION, from, to);
      const sorted = invs.map((i) => i.durationMs).sort((a, b) => a - b);
      return { errors: invs.filter((i) => i.status === "crash").length / invs.length, median: sorted[Math.floor(sorted.length / 2)] };
    };
    const earlier = stats(BAD - 40 * MIN, BAD);
    const broken = stats(BAD, FIX);
    const after = stats(FIX, FIX + 30 * MIN);
    // The function crashes now and then anyway (0.2 %); the bad code does so at 6 %.
    expect(broken.errors).toBeGreaterThan(0.04);
    expect(earlier.errors).toBeLessThan(0.02);
    expect(after.errors).toBeLessThan(0.02);
    expect(broken.median / earlier.median).toBeGreaterThan(1.3);
  });

  it("lists published versions and the alias that points at the newest", async () => {
    const lambda = new LambdaClient(clientConfig(sb));
    const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: "payments-snapstart" }));
    const aliases = await lambda.send(new ListAliasesCommand({ FunctionName: "payments-snapstart" }));
    const latestOnly = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: "auth-authorizer" }));
    lambda.destroy();
    expect(versions.Versions!.map((v) => v.Version)).toEqual(["$LATEST", "5", "6", "7"]);
    expect(aliases.Aliases).toEqual([expect.objectContaining({ Name: "live", FunctionVersion: "7" })]);
    expect(latestOnly.Versions!.map((v) => v.Version)).toEqual(["$LATEST"]);
  });
});
