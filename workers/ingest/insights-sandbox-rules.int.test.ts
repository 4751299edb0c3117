import { describe, expect, it } from "vitest";
import { sandboxWorld } from "../../test/sandbox-world";
import { evaluateAccountInsights } from "./insights";
import { pullLogs } from "./logs";
import { pullMetrics } from "./metrics";

// Issue 16 item 5: every rule is exercised by the sandbox. These rules read CloudWatch metrics as well as logs
// and configuration, so this pass pulls all three, as `osprey start` does.
const NOW = Date.UTC(2026, 10, 18, 9, 0, 0);
const LOOKBACK = 6 * 3_600_000;
const REGION = "us-east-1";

const world = sandboxWorld({ seed: 9, now: () => NOW, backfillMs: LOOKBACK, regions: [REGION], discover: "all", poolMax: 4 });

describe("rules that read metrics fire on the sandbox's demo resources", () => {
  it("finds idle and spilling provisioned concurrency, an unused provisioned table, a lagging and an unbatched event source", async () => {
    await pullLogs(world.db, world.account, REGION, { now: NOW, lookbackMs: LOOKBACK });
    await pullMetrics(world.db, world.account, REGION, { now: NOW, lookbackMs: LOOKBACK });
    // The rules judge a 7-day window; the sandbox holds 6 hours of it. Two thresholds are about how much history
    // there is, so they are set for those 6 hours, as a user with a new account could: a rate of 1 invocation a
    // second over 6 of 168 hours, and 5 hours of consumed capacity instead of a day.
    await world.db.query(
      "INSERT INTO insight_thresholds (rule_id, name, value) VALUES ('event-source-small-batches', 'minInvocationsPerSecond', $1), ('dynamodb-capacity-mode', 'minHours', 5)",
      [LOOKBACK / (7 * 24 * 3_600_000)],
    );
    await evaluateAccountInsights(world.db, world.account.id, REGION, NOW);
    const { rows } = await world.db.query<{ rule_id: string; name: string; evidence: Record<string, unknown> }>(
      "SELECT i.rule_id, r.name, i.evidence FROM insights i JOIN resources r ON r.id = i.resource_id WHERE i.state <> 'resolved' ORDER BY 1, 2",
    );
    const found = rows.map((r) => `${r.rule_id}:${r.name}`);
    expect(found).toEqual(
      expect.arrayContaining([
        "lambda-provisioned-concurrency-underused:search-api",
        "lambda-provisioned-concurrency-spillover:search-api",
        "dynamodb-provisioned-underused:search-cache",
        "dynamodb-capacity-mode:search-cache",
        "event-source-falling-behind:export-worker",
        "event-source-small-batches:telemetry-ingest",
      ]),
    );
    const evidence = (rule: string) => rows.find((r) => r.rule_id === rule)!.evidence;
    expect(evidence("lambda-provisioned-concurrency-underused").utilisationPct).toBeLessThan(60);
    expect(evidence("lambda-provisioned-concurrency-spillover").spilloverInvocations).toBeGreaterThan(0);
    expect(evidence("event-source-falling-behind")).toMatchObject({ eventSource: "exports-queue", kind: "sqs" });
    expect(evidence("event-source-falling-behind").lagMs).toBeGreaterThanOrEqual(300_000);
    expect(evidence("event-source-small-batches")).toMatchObject({ eventSource: "telemetry-queue", batchingWindowS: 0 });
    // At least one invocation a second over the 6 hours the sandbox holds, counted from the stored invocations.
    const { rows: n } = await world.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM invocations i JOIN resources r ON r.id = i.resource_id WHERE r.name = 'telemetry-ingest'",
    );
    expect(n[0].n / (LOOKBACK / 1000)).toBeGreaterThanOrEqual(1);
  });
});
