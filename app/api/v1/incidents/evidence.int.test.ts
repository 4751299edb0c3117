import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { utcDay } from "@/lib/db/partitions";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { requestAs, signIn } from "@/test/auth";

// The handlers need a signed-in user: an owner may do everything.
let asOwner: ReturnType<typeof requestAs>;

const MIN = 60_000;
// Relative to the real clock: the rollup and invocation partitions hold recent days.
const T0 = Math.floor(Date.now() / MIN) * MIN - 60 * MIN + 20_000;
const RESOLVED = T0 + 15 * MIN;
const WINDOW = 10;
const FROM = Math.floor(T0 / MIN) * MIN - (WINDOW - 1) * MIN;

let tdb: TestDatabase;
let db: pg.Pool;
let cart: number;
let other: number;
let accountId: number;
let incidentId: number;
let bareIncidentId: number;
let policyId: number;
let groupA: number;

const ctx = (id: number | string) => ({ params: Promise.resolve({ id: String(id) }) });
type Evidence = {
  window: { from: string; to: string };
  figures: { invocations: number; failed: number; value: number | null };
  failing: { total: number; rows: { requestId: string; status: string; startedAt: string }[] };
  topError: { id: number; message: string; topFrame: string | null; count: number } | null;
};

async function invocation(resourceId: number, requestId: string, at: number, status: string, durationMs = 120) {
  await db.query(
    `INSERT INTO invocations (day, resource_id, request_id, attempt, log_stream, started_at, ended_at, duration_ms, status, complete)
     VALUES ($1::date, $2, $3, 1, 'stream', $4, $5, $6, $7, true)`,
    [utcDay(at), resourceId, requestId, new Date(at), new Date(at + durationMs), durationMs, status],
  );
}

async function group(fingerprint: string, message: string, topFrame: string, resourceId: number, times: number[]) {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO error_groups (fingerprint, error_type, message, sample_message, count, first_seen_at, last_seen_at, resource_ids, top_frame)
     VALUES ($1, 'Error', $2, $2, $3, now(), now(), $4, $5) RETURNING id`,
    [fingerprint, message, times.length, [resourceId], topFrame],
  );
  for (const [i, ts] of times.entries())
    await db.query("INSERT INTO error_occurrences (event_id, group_id, resource_id, ts, error_message) VALUES ($1, $2, $3, $4, $5)", [`${fingerprint}-${i}`, rows[0].id, resourceId, new Date(ts), message]);
  return rows[0].id;
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 4 });
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = db;
  const { rows: a } = await db.query("INSERT INTO accounts (name, regions, updated_at) VALUES ('prod', '{us-east-1}', now()) RETURNING id");
  accountId = a[0].id;
  const res = async (name: string) =>
    (await db.query("INSERT INTO resources (account_id, region, kind, arn, name) VALUES ($1, 'us-east-1', 'lambda', $2, $3) RETURNING id", [accountId, `arn:aws:lambda:us-east-1:1:function:${name}`, name])).rows[0].id as number;
  cart = await res("cart");
  other = await res("other");

  // Inside the window: 12 invocations of cart, 5 of them failed in four ways; outside it, failures that must not count.
  const statuses = ["success", "error", "success", "timeout", "success", "out_of_memory", "success", "crash", "success", "error", "success", "success"];
  for (const [i, s] of statuses.entries()) await invocation(cart, `in-${i}`, FROM + 30_000 + i * 2 * MIN, s, 100 + i * 10);
  await invocation(cart, "before", FROM - 3 * MIN, "error");
  await invocation(cart, "after", RESOLVED + 3 * MIN, "timeout");
  await invocation(other, "other-in", T0, "error");
  // The minute rollups as the ingest writes them, one row per resource and minute.
  await db.query(
    `INSERT INTO rollup_minute (resource_id, bucket_start, invocations, successes, errors, timeouts, out_of_memory, crashes, hist_buckets, hist_counts, duration_sum_ms)
     SELECT resource_id, date_trunc('minute', started_at), count(*), count(*) FILTER (WHERE status = 'success'), count(*) FILTER (WHERE status = 'error'),
            count(*) FILTER (WHERE status = 'timeout'), count(*) FILTER (WHERE status = 'out_of_memory'), count(*) FILTER (WHERE status = 'crash'), '{}', '{}', sum(duration_ms)
       FROM invocations GROUP BY 1, 2`,
  );

  groupA = await group("a", "Cannot read properties of undefined (reading 'sku')", "at price (/var/task/cart.js:12:5)", cart, [FROM + MIN, T0, T0 + 2 * MIN]);
  // More occurrences overall, but outside the window: not the window's top error.
  await group("b", "Connection reset", "at connect (/var/task/db.js:3:1)", cart, [FROM - 5 * MIN, FROM - 4 * MIN, FROM - 3 * MIN, FROM - 2 * MIN, T0 + MIN]);
  await group("c", "Other resource", "at x (/var/task/x.js:1:1)", other, [T0, T0, T0, T0].map((t, i) => t + i));

  const { rows: p } = await db.query("INSERT INTO alert_policies (name, condition_kind, threshold, window_minutes) VALUES ('cart error rate', 'error_rate', 0.05, $1) RETURNING id", [WINDOW]);
  policyId = p[0].id;
  const { rows: i } = await db.query(
    `INSERT INTO incidents (policy_id, resource_id, state, severity, value, threshold, opened_at, resolved_at, last_evaluated_at)
     VALUES ($1, $2, 'resolved', 'warning', 0.4, 0.05, $3, $4, $4) RETURNING id`,
    [policyId, cart, new Date(T0), new Date(RESOLVED)],
  );
  incidentId = Number(i[0].id);
  const { rows: p2 } = await db.query("INSERT INTO alert_policies (name, condition_kind, threshold) VALUES ('account quiet', 'failed_invocations', 1) RETURNING id");
  const { rows: i2 } = await db.query(
    "INSERT INTO incidents (policy_id, account_id, state, severity, value, threshold, opened_at, last_evaluated_at) VALUES ($1, $2, 'open', 'critical', NULL, 1, now(), now()) RETURNING id",
    [p2[0].id, accountId],
  );
  bareIncidentId = Number(i2[0].id);
  asOwner = requestAs(await signIn("owner"));
});

afterAll(async () => {
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = undefined;
  await db?.end();
  await tdb?.drop();
});

describe("GET /api/v1/incidents/:id/evidence", () => {
  it("gives the window's figures, failed invocations and top error group as SQL over the raw rows counts them", async () => {
    const route = await import("./[id]/evidence/route");
    const res = await route.GET(asOwner("http://127.0.0.1/x"), ctx(incidentId));
    expect(res.status).toBe(200);
    const e = ((await res.json()) as { data: Evidence }).data;
    expect(e.window).toEqual({ from: new Date(FROM).toISOString(), to: new Date(RESOLVED).toISOString() });

    const { rows: raw } = await db.query<{ invocations: number; failed: number }>(
      `SELECT count(*)::int AS invocations, count(*) FILTER (WHERE status <> 'success')::int AS failed
         FROM invocations WHERE resource_id = $1 AND started_at >= $2 AND started_at <= $3`,
      [cart, new Date(FROM), new Date(RESOLVED)],
    );
    expect(raw[0]).toEqual({ invocations: 12, failed: 5 });
    expect(e.figures).toEqual({ invocations: raw[0].invocations, failed: raw[0].failed, value: raw[0].failed / raw[0].invocations });

    const { rows: failedRows } = await db.query<{ request_id: string }>(
      "SELECT request_id FROM invocations WHERE resource_id = $1 AND started_at BETWEEN $2 AND $3 AND status <> 'success' ORDER BY started_at DESC",
      [cart, new Date(FROM), new Date(RESOLVED)],
    );
    expect(e.failing.total).toBe(failedRows.length);
    expect(e.failing.rows.map((r) => r.requestId)).toEqual(failedRows.map((r) => r.request_id));
    expect(e.failing.rows.map((r) => r.status)).toEqual(["error", "crash", "out_of_memory", "timeout", "error"]);

    const { rows: top } = await db.query<{ group_id: number; n: number }>(
      "SELECT group_id, count(*)::int AS n FROM error_occurrences WHERE resource_id = $1 AND ts BETWEEN $2 AND $3 GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
      [cart, new Date(FROM), new Date(RESOLVED)],
    );
    expect(top[0]).toEqual({ group_id: groupA, n: 3 });
    expect(e.topError).toEqual({ id: groupA, errorType: "Error", message: "Cannot read properties of undefined (reading 'sku')", topFrame: "at price (/var/task/cart.js:12:5)", count: 3 });
  });

  it("answers an incident without a resource with its account and no evidence, and 404 for an unknown one", async () => {
    const route = await import("./[id]/evidence/route");
    const e = ((await (await route.GET(asOwner("http://127.0.0.1/x"), ctx(bareIncidentId))).json()) as { data: Evidence }).data;
    expect(e).toMatchObject({ figures: { invocations: 0, failed: 0, value: null }, failing: { total: 0, rows: [] }, topError: null });
    expect((await route.GET(asOwner("http://127.0.0.1/x"), ctx(987654))).status).toBe(404);
    expect((await route.GET(asOwner("http://127.0.0.1/x"), ctx("x"))).status).toBe(400);

    const list = await import("./route");
    const get = async (qs: string) => ((await (await list.GET(asOwner(`http://127.0.0.1/api/v1/incidents?${qs}`), ctx(""))).json()) as { data: { id: number; account: unknown; resource: unknown }[] }).data;
    const bare = (await get("state=active")).find((x) => x.id === bareIncidentId);
    expect(bare).toMatchObject({ resource: null, account: { id: accountId, name: "prod" } });
    expect((await get("state=active")).map((x) => x.id)).toEqual([bareIncidentId]);
    expect((await get(`policy=${policyId}`)).map((x) => x.id)).toEqual([incidentId]);
    expect((await list.GET(asOwner("http://127.0.0.1/api/v1/incidents?policy=abc"), ctx(""))).status).toBe(400);
  });
});
