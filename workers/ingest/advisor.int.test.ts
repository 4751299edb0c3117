import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateInsights } from "../../lib/analysis/insights";
import { performanceAdvice } from "../../lib/analysis/trace-breakdown";
import type { AccountRow } from "../../lib/db/account-access";
import { loadInsightContext } from "../../lib/db/insight-inputs";
import { loadTraceBreakdowns } from "../../lib/db/queries/trace-breakdown";
import { startSandbox, type Sandbox } from "../../lib/sandbox";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { createSandboxAccount } from "../../test/sandbox-account";
import { discoverAccountRegion } from "./discover";
import { pullLogs } from "./logs";
import { pullTraces } from "./traces";

// The performance advisor over what the ingest passes store from the sandbox: the X-Ray subsegments of a
// processing-heavy function (image-processor) and of one that waits on DynamoDB and Stripe (api-backend).
const NOW = Date.UTC(2026, 10, 21, 15, 0, 0);
const LOOKBACK = 60 * 60_000;
const REGION = "us-east-1";

let tdb: TestDatabase;
let db: pg.Pool;
let sandbox: Sandbox;
let account: AccountRow;
let ids: Record<string, number>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 4 });
  sandbox = await startSandbox({ port: 0, seed: 21, now: () => NOW, backfillMs: 2 * LOOKBACK });
  account = await createSandboxAccount(db, sandbox.url);
  await discoverAccountRegion(db, account, REGION);
  await pullLogs(db, account, REGION, { now: NOW, lookbackMs: LOOKBACK });
  await pullTraces(db, account, REGION, { now: NOW, lookbackMs: LOOKBACK, callsPerSecond: 1000 });
  const { rows } = await db.query<{ id: number; name: string }>("SELECT id, name FROM resources WHERE kind = 'lambda' AND region = $1", [REGION]);
  ids = Object.fromEntries(rows.map((r) => [r.name, r.id]));
}, 180_000);

afterAll(async () => {
  await sandbox?.close();
  await db?.end();
  await tdb?.drop();
});

describe("performance advisor over sandbox traces", () => {
  it("finds a processing-heavy function where memory is the lever, and one waiting on Stripe where it is not", async () => {
    const b = await loadTraceBreakdowns(db, [ids["image-processor"], ids["api-backend"]], new Date(NOW - LOOKBACK), new Date(NOW));
    const image = b.get(ids["image-processor"])!;
    expect(image.invocations).toBeGreaterThan(20);
    expect(image.lever).toBe("memory");
    expect(image.ownCodeShare).toBeGreaterThan(0.8);
    expect(image.downstream.map((d) => d.label).sort()).toEqual(["S3 osprey-demo-thumbnails", "S3 osprey-demo-uploads"]);

    const api = b.get(ids["api-backend"])!;
    expect(api.lever).toBe("downstream");
    expect(api.slowest?.label).toBe("api.stripe.com");
    expect(api.downstream.map((d) => d.label)).toEqual(expect.arrayContaining(["DynamoDB orders", "DynamoDB customers"]));
    // The shares of the downstream services and of own code add up to the handler time.
    expect(api.ownCodeShare + api.downstream.reduce((a, d) => a + d.share, 0)).toBeCloseTo(1, 6);
    expect(performanceAdvice(api, 512).text).toContain("the downstream is the lever, not memory");
  });

  it("explains image-processor's memory advice from its trace breakdown in the insights", async () => {
    const { context } = await loadInsightContext(db, account.id, REGION, NOW);
    const findings = evaluateInsights(context);
    const memory = findings.find((f) => f.ruleId === "lambda-memory-is-the-lever" && f.resourceArn.endsWith(":image-processor"));
    expect(memory?.recommendation).toMatch(/Own code takes (8|9)\d % of handler time: memory is the lever/);
    expect(memory?.recommendation).toMatch(/At 2048 MB its mean handler time would go from [\d.]+ (ms|s) to about/);
    const downstream = findings.find((f) => f.ruleId === "lambda-downstream-is-the-lever" && f.resourceArn.endsWith(":api-backend"));
    expect(downstream?.evidence.slowestDownstream).toBe("api.stripe.com");

    // Discovery keeps what the event source rules tune.
    const stream = context.functions.find((f) => f.config.functionName === "stream-processor")!;
    expect(stream.config.eventSourceMappings).toEqual([expect.objectContaining({ kind: "kinesis", batchSize: 100, batchingWindowS: 1, parallelizationFactor: 1 })]);
  });
});
