import { beforeAll, describe, expect, it, vi } from "vitest";
import type { ReviewResponse } from "@/lib/api/schemas/review";
import { requestAs, signIn } from "@/test/auth";
import { sandboxWorld } from "@/test/sandbox-world";
import { evaluateAccountInsights } from "@/workers/ingest/insights";
import { pullLogs } from "@/workers/ingest/logs";

const NOW = Date.UTC(2026, 10, 18, 9, 0, 0);
const LOOKBACK = 6 * 3_600_000;
const REGION = "us-east-1";

// The sandbox ingested as `osprey start` leaves it: every kind discovered, logs pulled, insights evaluated.
const world = sandboxWorld({ routes: true, seed: 9, now: () => NOW, backfillMs: LOOKBACK, regions: [REGION], discover: "all", poolMax: 2, scopedGrants: true });
let route: typeof import("./route");
let review: ReviewResponse;

beforeAll(async () => {
  route = await import("./route");
  await pullLogs(world.db, world.account, REGION, { now: NOW, lookbackMs: LOOKBACK });
  await evaluateAccountInsights(world.db, world.account.id, REGION, NOW);
  const asViewer = requestAs(await signIn("viewer"));
  // The review judges the data of the last 24 h before the clock: read it at the time the sandbox was ingested.
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
  try {
    const res = await route.GET(asViewer("http://127.0.0.1/api/v1/review"), undefined as never);
    expect(res.status).toBe(200);
    review = await res.json();
  } finally {
    vi.useRealTimers();
  }
}, 180_000);

const checks = () => review.pillars.flatMap((p) => p.questions.flatMap((q) => q.checks.map((c) => ({ ...c, pillar: p.pillar, question: q.id }))));
const check = (ruleId: string) => checks().find((c) => c.ruleId === ruleId)!;

describe("GET /api/v1/review over the sandbox", () => {
  it("answers every Serverless Lens question of every pillar, with a score", () => {
    expect(review.pillars.map((p) => p.pillar)).toEqual(["security", "operational_excellence", "reliability", "performance", "cost"]);
    expect(review.pillars.flatMap((p) => p.questions.map((q) => q.id))).toEqual(["SEC1", "SEC2", "SEC3", "OPS1", "OPS2", "REL1", "REL2", "PERF1", "COST1"]);
    for (const p of review.pillars) {
      expect(p.questions.every((q) => q.checks.length > 0), p.pillar).toBe(true);
      expect(p.score, p.pillar).not.toBeNull();
      expect(p.passed + p.failed + p.notChecked).toBe(p.questions.reduce((n, q) => n + q.checks.length, 0));
    }
  });

  it("fails exactly the checks with a standing finding in SQL, listing those findings", async () => {
    const { rows } = await world.db.query<{ rule_id: string; arns: string[] }>(
      "SELECT rule_id, array_agg(resource_arn ORDER BY resource_arn) AS arns FROM insights WHERE state <> 'resolved' GROUP BY rule_id",
    );
    const inSql = new Map(rows.map((r) => [r.rule_id, r.arns]));
    const failing = checks().filter((c) => c.status === "fail");
    expect(new Set(failing.map((c) => c.ruleId))).toEqual(new Set(inSql.keys()));
    for (const c of failing) expect(c.findings.map((f) => f.resourceArn).sort(), c.ruleId).toEqual(inSql.get(c.ruleId));
    for (const c of checks().filter((x) => x.status !== "fail")) expect(c.findings, c.ruleId).toEqual([]);
  });

  it("says not checked exactly where a call the check needs failed or no resource holds the data it judges", async () => {
    const { rows } = await world.db.query<{ action: string; resource: string; denied: boolean }>("SELECT action, resource, denied FROM ingest_warnings WHERE action IS NOT NULL");
    // The sandbox's role grants DescribeContinuousBackups on named tables only: sessions is left out.
    expect(rows).toEqual(expect.arrayContaining([{ action: "dynamodb:DescribeContinuousBackups", resource: "sessions", denied: true }]));
    const failedActions = new Set(rows.map((r) => r.action));
    const { rows: ruleRows } = await world.db.query<{ rule_id: string }>("SELECT DISTINCT rule_id FROM insights WHERE state <> 'resolved'");
    const failing = new Set(ruleRows.map((r) => r.rule_id));
    // Resources per kind and the data each holds in the day before NOW (logs were pulled; metrics were not).
    const { rows: data } = await world.db.query<{ kind: string; metrics: boolean; logs: boolean; traces: boolean }>(
      `SELECT r.kind,
              EXISTS (SELECT 1 FROM metric_points m WHERE m.resource_id = r.id AND m.ts >= $1) AS metrics,
              EXISTS (SELECT 1 FROM rollup_minute u WHERE u.resource_id = r.id AND u.bucket_start >= $1) OR EXISTS (SELECT 1 FROM log_events l WHERE l.resource_id = r.id AND l.ts >= $1) AS logs,
              EXISTS (SELECT 1 FROM spans s WHERE s.resource_id = r.id AND s.start_time >= $1) AS traces
         FROM resources r WHERE r.deleted_at IS NULL`,
      [new Date(NOW - 24 * 3_600_000)],
    );
    expect(data.some((d) => d.kind === "lambda" && d.logs)).toBe(true);
    const { RULES } = await import("@/lib/analysis/insights");
    const judged = (r: (typeof RULES)[number]) => data.some((d) => d.kind === r.service && r.needs.every((n) => n === "config" || d[n]));
    const expectNotChecked = RULES.filter((r) => !failing.has(r.id) && (r.requires.some((a) => failedActions.has(a)) || !judged(r))).map((r) => r.id).sort();
    expect(checks().filter((c) => c.status === "not_checked").map((c) => c.ruleId).sort()).toEqual(expectNotChecked);
    expect(check("dynamodb-pitr-off")).toMatchObject({
      status: "not_checked",
      notCheckedReason: "dynamodb:DescribeContinuousBackups is denied on sessions",
      toChange: "Grant dynamodb:DescribeContinuousBackups to Osprey's role so it can run this check.",
    });
    // No metrics were ingested: a metric check of the queues says so instead of passing.
    expect(check("sqs-backlog-growing")).toMatchObject({ status: "not_checked", resourcesChecked: 0, notCheckedReason: "no CloudWatch metrics for these queues in the last 24 h" });
    expect(check("lambda-timeouts").resourcesChecked).toBeGreaterThan(0);
  });

  it("shows the sandbox's planted problems with their evidence, and passes what is well configured", () => {
    expect(check("lambda-function-url-auth-none").findings.map((f) => f.resourceName)).toEqual(["image-processor"]);
    expect(check("lambda-secret-in-environment").findings).toEqual([expect.objectContaining({ resourceName: "legacy-etl", evidence: { variables: "DB_PASSWORD", count: 1 } })]);
    expect(JSON.stringify(review)).not.toContain("sandbox-not-a-secret");
    expect(check("sqs-unencrypted").findings.map((f) => f.resourceName)).toEqual(["payments.fifo"]);
    expect(check("apigateway-no-throttling").findings.map((f) => f.resourceName)).toEqual(["webhooks-api"]);
    expect(check("sqs-public-policy").findings.map((f) => f.resourceName)).toEqual(["partner-inbox-queue"]);
    // shop-api traces its stage; only shop-api-eu, in the other region, does not.
    expect(check("apigateway-tracing-off").status).toBe("pass");
    expect(check("lambda-function-url-auth-none").toChange).toContain("AWS_IAM");
  });

  it("keeps the day's pillar scores, and charts them", async () => {
    const { rows } = await world.db.query("SELECT pillar, passed, failed FROM review_snapshots WHERE account_id = $1 AND region = $2", [world.account.id, REGION]);
    expect(rows).toHaveLength(5);
    for (const p of review.pillars) {
      expect(p.history).toEqual([{ day: "2026-11-18", score: p.score }]);
      expect(rows.find((r) => r.pillar === p.pillar)).toMatchObject({ passed: p.passed, failed: p.failed });
    }
  });
});
