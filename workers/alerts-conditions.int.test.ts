import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { IncidentNotice } from "@/lib/analysis/alerts/notice";
import { bucketOf } from "@/lib/analysis/histogram";
import { ChannelInput } from "@/lib/api/schemas/channels";
import { evaluateAlerts } from "@/lib/db/alerts/evaluate-alerts";
import { createChannel } from "@/lib/db/notifications/channels";
import { LOCAL_ACTOR } from "@/lib/db/audit";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { requestAs, signIn } from "@/test/auth";

// The handlers need a signed-in user: an owner may do everything.
let asOwner: ReturnType<typeof requestAs>;

/**
 * The conditions beyond the Lambda rollup sums, through evaluateAlerts on real Postgres: CloudWatch
 * points in metric_points, resource configuration, error groups, insights, silence and ingest runs.
 */

const MIN = 60_000;
const T = Date.UTC(2026, 11, 3, 10, 0, 40);
const MINUTE = Math.floor(T / MIN) * MIN;
const BASE = "http://osprey.test";

let tdb: TestDatabase;
let db: pg.Pool;
let accountId: number;
let channelId: number;
const id: Record<string, number> = {};

async function resource(kind: string, name: string, config: Record<string, unknown> = {}, region = "us-east-1") {
  const service = kind === "apigateway" ? "execute-api" : kind;
  const { rows } = await db.query("INSERT INTO resources (account_id, region, kind, arn, name, config) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id", [
    accountId, region, kind, `arn:aws:${service}:${region}:123456789012:${name}`, name, JSON.stringify(config),
  ]);
  id[name] = rows[0].id;
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  process.env.DATABASE_URL = tdb.url;
  db = new pg.Pool({ connectionString: tdb.url, max: 4 });
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = db;
  const { rows: a } = await db.query("INSERT INTO accounts (name, regions, created_at, updated_at) VALUES ('prod', '{us-east-1,eu-west-1}', $1, now()) RETURNING id", [new Date(T - 86_400_000)]);
  accountId = a[0].id;
  await resource("lambda", "checkout", { timeoutS: 3, reservedConcurrency: 10, deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:checkout-dlq" });
  await resource("lambda", "report", { timeoutS: 10, reservedConcurrency: null });
  await resource("lambda", "never-ran", { timeoutS: 10 });
  await resource("sqs", "orders", { redrivePolicy: { deadLetterTargetArn: "arn:aws:sqs:us-east-1:123456789012:orders-dlq", maxReceiveCount: 3 } });
  await resource("sqs", "orders-dlq", { redrivePolicy: null });
  await resource("sqs", "checkout-dlq", { redrivePolicy: null });
  await resource("apigateway", "shop-api");
  await resource("dynamodb", "carts");
  channelId = (await createChannel(ChannelInput.parse({ name: "hook", kind: "webhook", url: "http://127.0.0.1:9/osprey", signingSecret: "whsec_conditions_0123456789abcdef" }), LOCAL_ACTOR, db)).id;
  asOwner = requestAs(await signIn("owner"));
});

afterAll(async () => {
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = undefined;
  const { closeDb } = await import("@/lib/db/prisma");
  await closeDb();
  await db?.end();
  await tdb?.drop();
});

async function policy(name: string, kind: string, threshold: number, over: Record<string, unknown> = {}) {
  const p = { window_minutes: 10, min_invocations: 0, critical_threshold: null, scope_kind: "all", region: null, resolve_after_minutes: 5, flap_minutes: 0, ...over };
  await db.query(
    `INSERT INTO alert_policies (name, condition_kind, threshold, critical_threshold, window_minutes, min_invocations, severity, scope_kind, region, channel_ids, resolve_after_minutes, flap_minutes)
     VALUES ($1, $2, $3, $4, $5, $6, 'warning', $7, $8, $9, $10, $11)`,
    [name, kind, threshold, p.critical_threshold, p.window_minutes, p.min_invocations, p.scope_kind, p.region, [channelId], p.resolve_after_minutes, p.flap_minutes],
  );
}

async function point(name: string, metric: string, stat: string, minutesAgo: number, value: number, periodS = 60) {
  await db.query("INSERT INTO metric_points (resource_id, namespace, metric, stat, period_s, ts, value) VALUES ($1, 'AWS/x', $2, $3, $4, $5, $6)", [
    id[name], metric, stat, periodS, new Date(MINUTE - minutesAgo * MIN), value,
  ]);
}

async function rollup(name: string, minute: number, invocations: number, durationMs: number) {
  await db.query(
    `INSERT INTO rollup_minute (resource_id, bucket_start, invocations, successes, hist_buckets, hist_counts, max_duration_ms) VALUES ($1, $2, $3, $3, $4, $5, $6)
     ON CONFLICT (resource_id, bucket_start) DO UPDATE SET invocations = EXCLUDED.invocations`,
    [id[name], new Date(minute), invocations, [bucketOf(durationMs)], [invocations], durationMs],
  );
}

/** Incidents not resolved: "policy name / resource name or subject" -> value. */
async function openIncidents(): Promise<Record<string, number | null>> {
  const { rows } = await db.query(
    `SELECT p.name, coalesce(r.name, i.subject) AS target, i.value FROM incidents i JOIN alert_policies p ON p.id = i.policy_id LEFT JOIN resources r ON r.id = i.resource_id
      WHERE i.state <> 'resolved' ORDER BY 1, 2`,
  );
  return Object.fromEntries(rows.map((r) => [`${r.name} / ${r.target}`, r.value]));
}

describe("metric conditions from CloudWatch points and configuration", () => {
  it("open incidents for exactly the resources whose window crosses the threshold, reading all points in one query, then resolve once the points leave the window", async () => {
    await point("checkout", "Throttles", "Sum", 2, 3);
    await point("checkout", "Throttles", "Sum", 1, 4);
    await point("checkout", "Throttles", "Sum", 20, 100); // outside the 10-minute window
    await point("checkout", "ConcurrentExecutions", "Maximum", 1, 9);
    await point("report", "ConcurrentExecutions", "Maximum", 1, 500); // no reserved concurrency, no account limit stored: not evaluable
    await point("report", "IteratorAge", "Maximum", 3, 90_000);
    await point("orders", "ApproximateAgeOfOldestMessage", "Maximum", 2, 400);
    await point("orders", "ApproximateNumberOfMessagesVisible", "Maximum", 2, 50); // not a dead-letter queue
    await point("orders-dlq", "ApproximateNumberOfMessagesVisible", "Maximum", 2, 3);
    await point("checkout-dlq", "ApproximateNumberOfMessagesVisible", "Maximum", 2, 0);
    await point("shop-api", "Count", "Sum", 5, 60);
    await point("shop-api", "Count", "Sum", 4, 40);
    await point("shop-api", "Count", "Sum", 5, 100, 300); // the same stretch at a 5-minute period: counted once
    await point("shop-api", "5XXError", "Sum", 5, 6);
    await point("shop-api", "5XXError", "Sum", 4, 4);
    await point("shop-api", "Latency", "p99", 5, 800);
    await point("shop-api", "Latency", "p99", 4, 1200);
    await point("carts", "ThrottledRequests", "Sum", 3, 2);
    await point("carts", "ReadThrottleEvents", "Sum", 3, 1);
    // p95 from the rollups: checkout (timeout 3 s) runs 2.4 s, report (timeout 10 s) 100 ms.
    await rollup("checkout", MINUTE - 2 * MIN, 20, 2400);
    await rollup("report", MINUTE - 2 * MIN, 20, 100);

    await policy("throttles", "throttles", 5);
    await policy("concurrency", "concurrency_pct", 80);
    await policy("iterator", "iterator_age", 60_000);
    await policy("sqs age", "sqs_oldest_age", 300);
    await policy("dlq", "dlq_messages", 1);
    await policy("api 5xx", "api_5xx_rate", 0.05, { min_invocations: 50 });
    await policy("api p99", "api_latency_p99", 1000);
    await policy("ddb throttles", "dynamodb_throttles", 1);
    await policy("ddb errors", "dynamodb_system_errors", 1);
    await policy("timeout pct", "p95_timeout_pct", 75, { min_invocations: 10 });
    // The scope applies to the new kinds too: nothing of this account lives in eu-west-1.
    await policy("throttles eu", "throttles", 5, { scope_kind: "region", region: "eu-west-1" });

    const spy = vi.spyOn(db, "query");
    const summary = await evaluateAlerts(db, { now: T, baseUrl: BASE });
    const metricQueries = spy.mock.calls.filter((c) => String(c[0]).includes("FROM metric_points"));
    spy.mockRestore();
    expect(metricQueries).toHaveLength(1);
    expect(summary).toMatchObject({ policies: 11, opened: 9, notices: 9 });

    const open = await openIncidents();
    // Not opened: report's concurrency (no limit known), orders as a DLQ (it is none), checkout-dlq (empty),
    // report's timeout % (1 %), carts' system errors (no points: not evaluable, never a made-up 0).
    expect(Object.keys(open)).toEqual([
      "api 5xx / shop-api",
      "api p99 / shop-api",
      "concurrency / checkout",
      "ddb throttles / carts",
      "dlq / orders-dlq",
      "iterator / report",
      "sqs age / orders",
      "throttles / checkout",
      "timeout pct / checkout",
    ]);
    expect(open).toMatchObject({
      "throttles / checkout": 7,
      "concurrency / checkout": 90,
      "iterator / report": 90_000,
      "sqs age / orders": 400,
      "dlq / orders-dlq": 3,
      "api 5xx / shop-api": 0.1,
      "api p99 / shop-api": 1200,
      "ddb throttles / carts": 3,
    });
    // 2.4 s against a 3 s timeout, at the histogram's precision.
    expect(open["timeout pct / checkout"]).toBeGreaterThan(75);
    expect(open["timeout pct / checkout"]).toBeLessThan(85);

    const { rows: outbox } = await db.query<{ notice: IncidentNotice }>("SELECT notice FROM notification_outbox ORDER BY id");
    const dlqNotice = outbox.map((o) => o.notice).find((n) => n.policy?.name === "dlq")!;
    expect(dlqNotice).toMatchObject({ event: "opened", resource: { name: "orders-dlq", kind: "sqs" }, condition: { kind: "dlq_messages", value: 3, threshold: 1 } });

    // Evaluated again: deduplicated. Once the points have left the window the values are not evaluable,
    // the conditions clear, and five minutes later every incident resolves with a notice.
    expect(await evaluateAlerts(db, { now: T + MIN, baseUrl: BASE })).toMatchObject({ opened: 0, notices: 0 });
    expect(await evaluateAlerts(db, { now: T + 10 * MIN, baseUrl: BASE })).toMatchObject({ opened: 0, resolved: 0 });
    expect(await evaluateAlerts(db, { now: T + 15 * MIN, baseUrl: BASE })).toMatchObject({ opened: 0, resolved: 9, notices: 9 });
    expect(await openIncidents()).toEqual({});
  });
});

describe("event conditions", () => {
  const T2 = T + 3 * 3_600_000;
  const M2 = Math.floor(T2 / MIN) * MIN;

  async function group(fingerprint: string, state: string, resolvedAt: number | null, firstSeen: number): Promise<number> {
    const { rows } = await db.query(
      "INSERT INTO error_groups (fingerprint, error_type, message, sample_message, count, first_seen_at, last_seen_at, state, resolved_at) VALUES ($1, 'TypeError', $1, $1, 1, $2, $2, $3, $4) RETURNING id",
      [fingerprint, new Date(firstSeen), state, resolvedAt === null ? null : new Date(resolvedAt)],
    );
    return rows[0].id;
  }
  let occ = 0;
  async function occurrence(groupId: number, name: string, at: number) {
    await db.query("INSERT INTO error_occurrences (event_id, group_id, resource_id, ts, error_message) VALUES ($1, $2, $3, $4, 'boom')", [`ev${++occ}`, groupId, id[name], new Date(at)]);
  }
  async function insight(rule: string, name: string, severity: string, firstSeen: number) {
    await db.query(
      "INSERT INTO insights (rule_id, resource_id, account_id, severity, pillar, title, evidence, recommendation, first_seen_at, last_seen_at) VALUES ($1, $2, $3, $4, 'reliability', $1, '{}', 'fix it', $5, $5)",
      [rule, id[name], accountId, severity, new Date(firstSeen)],
    );
  }
  async function ingestRun(region: string, finishedAt: number, status = "ok") {
    await db.query("INSERT INTO ingest_runs (job, account_id, region, status, started_at, finished_at) VALUES ('logs', $1, $2, $3, $4, $4)", [accountId, region, status, new Date(finishedAt)]);
  }

  it("new and regressed error groups, insights at or above a severity, silence and stale ingest open incidents, deduplicated, and resolve once clear", async () => {
    await db.query("DELETE FROM alert_policies");
    // A group first seen on checkout 2 min ago; an old one that occurs again (not new); a group new to report
    // that is ignored; a regressed group on report; a resolved one that stays quiet.
    const fresh = await group("fresh", "new", null, T2 - 2 * MIN);
    await occurrence(fresh, "checkout", T2 - 2 * MIN);
    const old = await group("old", "ongoing", null, T2 - 2 * 3_600_000);
    await occurrence(old, "checkout", T2 - 2 * 3_600_000);
    await occurrence(old, "checkout", T2 - MIN);
    const ignored = await group("ignored", "ignored", null, T2 - 3 * MIN);
    await occurrence(ignored, "report", T2 - 3 * MIN);
    const back = await group("back", "regressed", T2 - 30 * MIN, T2 - 5 * 3_600_000);
    await occurrence(back, "report", T2 - 5 * 3_600_000);
    await occurrence(back, "report", T2 - 3 * MIN);
    const quiet = await group("quiet", "resolved", T2 - 30 * MIN, T2 - 5 * 3_600_000);
    await occurrence(quiet, "checkout", T2 - 5 * 3_600_000);
    // Insights opened a minute ago: a warning on checkout, an info on report, a critical on a queue; an old warning on carts.
    await insight("fn.timeouts", "checkout", "warning", T2 - MIN);
    await insight("fn.memory", "report", "info", T2 - MIN);
    await insight("sqs.dlq", "orders", "critical", T2 - MIN);
    await insight("ddb.ondemand", "carts", "warning", T2 - 3 * 3_600_000);
    // checkout last ran 40 min ago, report 5 min ago, never-ran never did.
    await rollup("checkout", M2 - 40 * MIN, 3, 50);
    await rollup("report", M2 - 5 * MIN, 3, 50);
    // us-east-1 last ingested 40 min ago (a later failed run does not count); eu-west-1 2 min ago.
    await ingestRun("us-east-1", T2 - 40 * MIN);
    await ingestRun("us-east-1", T2 - 10 * MIN, "failed");
    await ingestRun("eu-west-1", T2 - 2 * MIN);

    await policy("new groups", "new_error_group", 1);
    await policy("regressions", "regressed_error_group", 1);
    await policy("insights", "insight_opened", 1);
    await policy("silence", "no_invocations", 0, { window_minutes: 30 });
    await policy("stale", "ingest_stale", 0, { window_minutes: 15 });
    await policy("stale eu", "ingest_stale", 0, { window_minutes: 15, scope_kind: "region", region: "eu-west-1" });

    expect(await evaluateAlerts(db, { now: T2, baseUrl: BASE })).toMatchObject({ opened: 6, notices: 6 });
    const subject = `account:${accountId}/us-east-1`;
    expect(await openIncidents()).toEqual({
      "insights / checkout": 1,
      "insights / orders": 2,
      "new groups / checkout": 1,
      "regressions / report": 1,
      "silence / checkout": 39,
      [`stale / ${subject}`]: 40,
    });

    const { rows: staleRows } = await db.query("SELECT i.id, i.resource_id, i.account_id, i.subject FROM incidents i JOIN alert_policies p ON p.id = i.policy_id WHERE p.name = 'stale'");
    expect(staleRows).toEqual([{ id: staleRows[0].id, resource_id: null, account_id: accountId, subject }]);
    const { rows: outbox } = await db.query<{ notice: IncidentNotice }>("SELECT notice FROM notification_outbox WHERE incident_id = $1", [staleRows[0].id]);
    expect(outbox).toHaveLength(1);
    expect(outbox[0].notice).toMatchObject({ event: "opened", resource: null, condition: { kind: "ingest_stale", value: 40, windowMinutes: 15 } });
    expect(outbox[0].notice.title).toBe("prod us-east-1: ingest stale, last successful ingest 40 min ago (≥ 15 min)");

    // The API shows the subject of an incident with no resource.
    const incidents = await import("@/app/api/v1/incidents/route");
    const listed = (await (await incidents.GET(asOwner("http://127.0.0.1/api/v1/incidents?state=open"), { params: Promise.resolve({}) })).json()) as { data: { resource: unknown; subject: string | null }[] };
    expect(listed.data.filter((i) => i.resource === null).map((i) => i.subject)).toEqual([subject]);

    // Acknowledging it notifies as for a resource's incident.
    const ack = await import("@/app/api/v1/incidents/[id]/acknowledge/route");
    const res = await ack.POST(asOwner("http://127.0.0.1/x", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }), { params: Promise.resolve({ id: String(staleRows[0].id) }) });
    expect(res.status).toBe(200);
    const { rows: acked } = await db.query<{ notice: IncidentNotice }>("SELECT notice FROM notification_outbox WHERE incident_id = $1 AND event = 'acknowledged'", [staleRows[0].id]);
    expect(acked.map((a) => a.notice.title)).toEqual(["prod us-east-1: acknowledged by Test owner"]);

    // A minute later: the same incidents, none twice. Ingest catches up; checkout runs again.
    expect(await evaluateAlerts(db, { now: T2 + MIN, baseUrl: BASE })).toMatchObject({ opened: 0, notices: 0 });
    await ingestRun("us-east-1", T2 + 2 * MIN);
    await rollup("checkout", M2 + 2 * MIN, 1, 50);
    expect(await evaluateAlerts(db, { now: T2 + 3 * MIN, baseUrl: BASE })).toMatchObject({ opened: 0, resolved: 0 });
    expect(await evaluateAlerts(db, { now: T2 + 8 * MIN, baseUrl: BASE })).toMatchObject({ opened: 0, resolved: 2 });
    expect(Object.keys(await openIncidents())).toEqual(["insights / checkout", "insights / orders", "new groups / checkout", "regressions / report"]);
    // The groups and insights leave the 10-minute window at T2 + 9/10 min; five minutes after, resolved.
    expect(await evaluateAlerts(db, { now: T2 + 10 * MIN, baseUrl: BASE })).toMatchObject({ resolved: 0 });
    // eu-west-1 keeps ingesting (without it, it too would be 15 min stale at T2 + 13 min).
    await ingestRun("eu-west-1", T2 + 11 * MIN);
    expect(await evaluateAlerts(db, { now: T2 + 15 * MIN, baseUrl: BASE })).toMatchObject({ opened: 0, resolved: 4, notices: 4 });
    expect(await openIncidents()).toEqual({});
    expect((await db.query("SELECT count(*)::int AS n FROM incidents")).rows[0].n).toBe(6);
  });
});
