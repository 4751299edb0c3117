import { readdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exactPercentile } from "@/lib/analysis/histogram";
import type { AccountRow } from "@/lib/db/account-access";
import { startSandbox, type Sandbox } from "@/lib/sandbox";
import { createPool } from "@/lib/db/pool";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { createSandboxAccount } from "@/test/sandbox-account";
import { discoverAccountRegion } from "@/workers/ingest/discover";
import { pullLogs } from "@/workers/ingest/logs";
import { pullMetrics } from "@/workers/ingest/metrics";
import { pullTraces } from "@/workers/ingest/traces";
import { GET as costRoute } from "./cost/route";
import { GET as getError, PATCH as patchError } from "./errors/[id]/route";
import { GET as errorsRoute } from "./errors/route";
import { GET as openApiRoute } from "./openapi.json/route";
import { GET as overviewRoute } from "./overview/route";
import { GET as getInvocation } from "./resources/[id]/invocations/[requestId]/route";
import { GET as getInvocations } from "./resources/[id]/invocations/route";
import { GET as getResource } from "./resources/[id]/route";
import { GET as getSeries } from "./resources/[id]/series/route";
import { GET as resourcesRoute } from "./resources/route";
import { requestAs, signIn } from "@/test/auth";

// The handlers need a signed-in user: an owner may do everything.
let asOwner: ReturnType<typeof requestAs>;

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const HOURS = 2;
const FROM = NOW - HOURS * 3_600_000;
const REGION = "us-east-1";
const RANGE = `from=${FROM}&to=${NOW}`;

let tdb: TestDatabase;
let db: pg.Pool;
let sandbox: Sandbox;
let account: AccountRow;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// Routes without path parameters take no context.
const noCtx = {} as never;
const getCost = (r: Request) => costRoute(r, noCtx);
const getErrors = (r: Request) => errorsRoute(r, noCtx);
const getOverview = (r: Request) => overviewRoute(r, noCtx);
const getResources = (r: Request) => resourcesRoute(r, noCtx);
const getOpenApi = () => openApiRoute(asOwner("http://osprey.test/api/v1/openapi.json"), noCtx);

const url = (p: string) => asOwner(`http://osprey.test/api/v1/${p}`);
const ctx = <T extends Record<string, string>>(params: T) => ({ params: Promise.resolve(params) });

async function json(res: Response | Promise<Response>, status = 200): Promise<Json> {
  const r = await res;
  const body = r.status === 204 ? {} : await r.json();
  expect(r.status, JSON.stringify(body).slice(0, 500)).toBe(status);
  return body;
}

// What the rollups count: complete invocations by the time they started (or ended, less their duration).
const IN_RANGE = `complete AND coalesce(started_at, ended_at - duration_ms * interval '1 millisecond') >= $1 AND coalesce(started_at, ended_at - duration_ms * interval '1 millisecond') < $2`;

beforeAll(async () => {
  tdb = await createTestDatabase();
  // createPool handles errors of idle clients: a cache refresh may still be connected when the database is dropped.
  db = createPool(tdb.url, 6);
  // The route handlers take their pool from lib/db/prisma.ts: hand them this test's database.
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = db;
  sandbox = await startSandbox({ port: 0, seed: 5, now: () => NOW, backfillMs: (HOURS + 1) * 3_600_000 });
  account = await createSandboxAccount(db, sandbox.url);
  await discoverAccountRegion(db, account, REGION);
  const logs = await pullLogs(db, account, REGION, { now: NOW, lookbackMs: HOURS * 3_600_000 });
  expect(logs.problems).toEqual([]);
  await pullMetrics(db, account, REGION, { now: NOW, lookbackMs: HOURS * 3_600_000 });
  // Hours of every traced function: faster than AWS's 5 X-Ray calls a second (the pacing is not what this checks).
  await pullTraces(db, account, REGION, { now: NOW, lookbackMs: HOURS * 3_600_000, callsPerSecond: 1000 });
  asOwner = requestAs(await signIn("owner"));
}, 240_000);

afterAll(async () => {
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = undefined;
  await sandbox?.close();
  await db?.end();
  await tdb?.drop();
});

describe("GET /api/v1/overview", () => {
  it("totals equal the sums of the stored invocations, and p95 is within 2 % of the exact one", async () => {
    const body = await json(getOverview(url(`overview?${RANGE}`)));
    const { rows } = await db.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE status <> 'success')::int AS errors, count(*) FILTER (WHERE cold_start)::int AS cold,
              sum(cost_usd)::float8 AS cost, array_agg(duration_ms ORDER BY duration_ms) FILTER (WHERE duration_ms IS NOT NULL) AS durations
         FROM invocations WHERE ${IN_RANGE}`,
      [new Date(FROM), new Date(NOW)],
    );
    const t = body.data.totals;
    expect(rows[0].n).toBeGreaterThan(500);
    expect(t.invocations.value).toBe(rows[0].n);
    expect(t.errors.value).toBe(rows[0].errors);
    expect(t.coldStarts.value).toBe(rows[0].cold);
    expect(t.costUsd.value).toBeCloseTo(rows[0].cost, 9);
    expect(t.errorRate.value).toBeCloseTo(rows[0].errors / rows[0].n, 12);
    const exact = exactPercentile(rows[0].durations, 95)!;
    expect(Math.abs(t.p95.value - exact) / exact).toBeLessThanOrEqual(0.02);

    expect(body.data.series.reduce((n: number, p: Json) => n + p.invocations, 0)).toBe(rows[0].n);
    expect(body.meta.grain).toBe("minute");
    expect(body.data.top.errors.length).toBeGreaterThan(0);
    expect(body.data.top.slowest[0].value).toBeGreaterThanOrEqual(body.data.top.slowest.at(-1).value);
    const health = body.data.ingest.find((h: Json) => h.region === REGION);
    expect(health.newestDataAt).not.toBeNull();
    expect(health.lagMs).toBeGreaterThanOrEqual(0);
    expect(body.data.ingest.map((h: Json) => h.region).sort()).toEqual(["eu-west-1", "us-east-1"]);
  });

  it("reports ingest health from the recorded runs", async () => {
    await db.query(
      `INSERT INTO ingest_runs (job, account_id, region, status, error, started_at, finished_at) VALUES
         ('logs', $1, $2, 'ok', NULL, now() - interval '3 minutes', now() - interval '170 seconds'),
         ('logs', $1, $2, 'failed', 'ThrottlingException: Rate exceeded', now() - interval '1 minute', now() - interval '50 seconds')`,
      [account.id, REGION],
    );
    const body = await json(getOverview(url(`overview?${RANGE}&region=${REGION}`)));
    expect(body.data.ingest).toHaveLength(1);
    const h = body.data.ingest[0];
    expect(h.failures24h).toBe(1);
    expect(h.lastError).toContain("Throttling");
    expect(Date.now() - Date.parse(h.lastSuccessAt)).toBeLessThan(300_000);
    expect(h.jobs.find((j: Json) => j.job === "logs").lastStatus).toBe("failed");
  });

  it("compares with the previous period of the same length", async () => {
    const body = await json(getOverview(url(`overview?from=${NOW - 3_600_000}&to=${NOW}`)));
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM invocations WHERE ${IN_RANGE}`, [new Date(NOW - 7_200_000), new Date(NOW - 3_600_000)]);
    expect(body.data.totals.invocations.previous).toBe(rows[0].n);
    expect(body.meta.prevFrom).toBe(NOW - 7_200_000);
  });
});

describe("GET /api/v1/resources", () => {
  it("lists functions with their numbers; each function's p95 within 2 % of the exact one", async () => {
    const body = await json(getResources(url(`resources?${RANGE}&limit=500`)));
    const overview = await json(getOverview(url(`overview?${RANGE}`)));
    expect(body.data.reduce((n: number, r: Json) => n + r.invocations, 0)).toBe(overview.data.totals.invocations.value);
    const busiest = body.data[0];
    expect(busiest.invocations).toBeGreaterThanOrEqual(body.data[1].invocations);
    const { rows } = await db.query(
      `SELECT array_agg(duration_ms ORDER BY duration_ms) AS d FROM invocations WHERE resource_id = $3 AND duration_ms IS NOT NULL AND ${IN_RANGE}`,
      [new Date(FROM), new Date(NOW), busiest.id],
    );
    for (const p of [50, 95, 99] as const) {
      const exact = exactPercentile(rows[0].d, p)!;
      expect(Math.abs(busiest[`p${p}`] - exact) / exact).toBeLessThanOrEqual(0.02);
    }
    expect(busiest.sparkline.reduce((a: number, b: number) => a + b, 0)).toBe(busiest.invocations);
    expect(busiest.runtime).toBeTruthy();
    expect(busiest.memorySizeMB).toBeGreaterThan(0);
  });

  it("sorts on any column, nulls last", async () => {
    for (const sort of ["p95", "errorRate", "costUsd", "name", "memoryUsedRatio"]) {
      for (const order of ["asc", "desc"]) {
        const body = await json(getResources(url(`resources?${RANGE}&sort=${sort}&order=${order}&limit=500`)));
        const values = body.data.map((r: Json) => r[sort]);
        const present = values.filter((v: unknown) => v !== null);
        expect(values.slice(0, present.length)).toEqual(present);
        const sorted = [...present].sort((a, b) => (typeof a === "number" ? a - b : String(a).localeCompare(String(b))));
        expect(present).toEqual(order === "asc" ? sorted : sorted.reverse());
      }
    }
  });

  it("filters by name, region, runtime, tag and numeric columns, and pages", async () => {
    const all = (await json(getResources(url(`resources?${RANGE}&limit=500`)))).data as Json[];
    const some = all[0];
    const byName = await json(getResources(url(`resources?${RANGE}&q=${encodeURIComponent(some.name.slice(1, 6).toUpperCase())}`)));
    expect(byName.data.map((r: Json) => r.id)).toContain(some.id);
    for (const r of byName.data) expect(r.name.toLowerCase()).toContain(some.name.slice(1, 6).toLowerCase());

    const byRuntime = await json(getResources(url(`resources?${RANGE}&runtime=${some.runtime}`)));
    expect(byRuntime.data.length).toBeGreaterThan(0);
    for (const r of byRuntime.data) expect(r.runtime).toBe(some.runtime);

    const otherRegion = await json(getResources(url(`resources?${RANGE}&region=eu-west-1`)));
    expect(otherRegion.data.every((r: Json) => r.region === "eu-west-1")).toBe(true);

    const { rows: tagged } = await db.query(`SELECT id, tags FROM resources WHERE tags <> '{}' AND kind = 'lambda' AND deleted_at IS NULL LIMIT 1`);
    if (tagged.length) {
      const [k, v] = Object.entries(tagged[0].tags as Record<string, string>)[0];
      const byTag = await json(getResources(url(`resources?${RANGE}&tag=${encodeURIComponent(`${k}:${v}`)}`)));
      expect(byTag.data.map((r: Json) => r.id)).toContain(tagged[0].id);
    }

    const failing = await json(getResources(url(`resources?${RANGE}&filter=errors:gt:0,errorRate:lte:1`)));
    expect(failing.data.length).toBeGreaterThan(0);
    for (const r of failing.data) expect(r.errors).toBeGreaterThan(0);

    const p1 = await json(getResources(url(`resources?${RANGE}&limit=3&sort=name&order=asc`)));
    expect(p1.nextCursor).toBeTruthy();
    const p2 = await json(getResources(url(`resources?${RANGE}&limit=3&sort=name&order=asc&cursor=${p1.nextCursor}`)));
    expect(p2.data.map((r: Json) => r.id)).toEqual(all.sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id).slice(3, 6).map((r) => r.id));
  });

  it("offers as runtimes those of the stored functions, whatever the page or the runtime chosen", async () => {
    const { rows } = await db.query(
      `SELECT DISTINCT config->>'runtime' AS r FROM resources WHERE kind = 'lambda' AND deleted_at IS NULL AND config->>'runtime' IS NOT NULL ORDER BY 1`,
    );
    const stored = rows.map((r) => r.r as string);
    expect(stored.length).toBeGreaterThan(1);
    const one = await json(getResources(url(`resources?${RANGE}&limit=1`)));
    expect(one.meta.runtimes).toEqual(stored);
    const filtered = await json(getResources(url(`resources?${RANGE}&runtime=${stored[0]}`)));
    expect(filtered.meta.runtimes).toEqual(stored);
    expect(one.meta.runtimes).not.toContain("go1.x");
  });
});

async function busiestFunction(): Promise<Json> {
  return (await json(getResources(url(`resources?${RANGE}&sort=errors&limit=1`)))).data[0];
}

describe("GET /api/v1/resources/:id and /series", () => {
  it("shows configuration and its history", async () => {
    const fn = await busiestFunction();
    const body = await json(getResource(url(`resources/${fn.id}`), ctx({ id: String(fn.id) })));
    expect(body.data.name).toBe(fn.name);
    expect(body.data.config.memorySizeMB).toBe(fn.memorySizeMB);
    expect(body.data.versions.length).toBeGreaterThanOrEqual(1);
    expect(body.data.deleted).toBe(false);
  });

  it("series sum to the list's totals; duration percentiles per point; CloudWatch metrics", async () => {
    const fn = await busiestFunction();
    const body = await json(getSeries(url(`resources/${fn.id}/series?${RANGE}&metric=invocations,errors,duration,throttles,Invocations:Sum&stat=p95&period=300`), ctx({ id: String(fn.id) })));
    const [inv, errs, dur, thr, cwInv] = body.data.series;
    expect(inv.points).toHaveLength(24);
    expect(inv.points.reduce((n: number, p: Json) => n + p.v, 0)).toBe(fn.invocations);
    expect(errs.points.reduce((n: number, p: Json) => n + p.v, 0)).toBe(fn.errors);
    expect(dur.stat).toBe("p95");
    expect(dur.points.some((p: Json) => p.v > 0)).toBe(true);
    expect(thr.source).toBe("cloudwatch");
    expect(cwInv.points.reduce((n: number, p: Json) => n + (p.v ?? 0), 0)).toBeGreaterThan(0);
  });
});

describe("GET /api/v1/resources/:id/invocations", () => {
  it("filters by status, cold start, retry, duration and log text; pages newest first", async () => {
    const fn = await busiestFunction();
    const c = ctx({ id: String(fn.id) });
    const list = async (q: string) => (await json(getInvocations(url(`resources/${fn.id}/invocations?${RANGE}&${q}`), c))).data as Json[];

    const errors = await list("status=error,timeout,out_of_memory,crash&limit=500");
    expect(errors.length).toBe(fn.errors);
    for (const i of errors) expect(i.status).not.toBe("success");

    const cold = await list("coldStart=true&limit=500");
    expect(cold.every((i) => i.coldStart)).toBe(true);
    expect(cold.length).toBe(fn.coldStarts);

    const slow = await list(`minDurationMs=${fn.p50}&limit=500`);
    expect(slow.length).toBeGreaterThan(0);
    expect(slow.every((i) => i.durationMs >= fn.p50)).toBe(true);

    const first = await json(getInvocations(url(`resources/${fn.id}/invocations?${RANGE}&limit=5`), c));
    const second = await json(getInvocations(url(`resources/${fn.id}/invocations?${RANGE}&limit=5&cursor=${first.nextCursor}`), c));
    const times = [...first.data, ...second.data].map((i: Json) => Date.parse(i.startedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set([...first.data, ...second.data].map((i: Json) => i.id)).size).toBe(10);

    const { rows } = await db.query(
      `SELECT l.request_id, l.message FROM log_events l JOIN invocations i ON i.resource_id = l.resource_id AND i.request_id = l.request_id
        WHERE l.resource_id = $1 AND i.started_at >= $2 AND i.started_at < $3 AND l.message NOT LIKE 'START%' AND l.message NOT LIKE 'END%' AND l.message NOT LIKE 'REPORT%'
        ORDER BY l.ts LIMIT 1`,
      [fn.id, new Date(FROM), new Date(NOW)],
    );
    const word = (rows[0].message as string).split(/[\s"{}:,]+/).filter((w) => w.length >= 6 && !w.includes(rows[0].request_id))[0];
    // The handler reads the resource's log lines from the range's start to 15 minutes past its end.
    const { rows: expected } = await db.query(
      `SELECT i.id::text FROM invocations i
        WHERE i.resource_id = $1 AND i.started_at >= $2 AND i.started_at < $3
          AND i.request_id IN (SELECT request_id FROM log_events WHERE resource_id = $1 AND ts >= $2 AND ts < $3::timestamptz + interval '15 minutes' AND message ILIKE $4)`,
      [fn.id, new Date(FROM), new Date(NOW), `%${word}%`],
    );
    const found: Json[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page: Json = await json(getInvocations(url(`resources/${fn.id}/invocations?${RANGE}&q=${encodeURIComponent(word)}&limit=100${cursor ? `&cursor=${cursor}` : ""}`), c));
      found.push(...page.data);
      cursor = page.nextCursor;
    }
    expect(found.map((i) => i.id).sort()).toEqual(expected.map((r) => r.id).sort());
    expect(found.map((i) => i.requestId)).toContain(rows[0].request_id);
    const nothing = await list(`q=${encodeURIComponent("no-such-text-anywhere-42")}`);
    expect(nothing).toEqual([]);
  });

  it("retry filter returns later attempts only", async () => {
    const { rows } = await db.query(`SELECT resource_id FROM invocations WHERE attempt > 1 AND ${IN_RANGE} GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`, [new Date(FROM), new Date(NOW)]);
    expect(rows.length).toBe(1);
    const id = rows[0].resource_id;
    const body = await json(getInvocations(url(`resources/${id}/invocations?${RANGE}&retry=true&limit=500`), ctx({ id: String(id) })));
    expect(body.data.length).toBeGreaterThan(0);
    expect(body.data.every((i: Json) => i.attempt > 1 && i.retry)).toBe(true);
  });
});

describe("GET /api/v1/resources/:id/invocations/:requestId", () => {
  it("shows every field, the logs in order, the retry chain, cost, neighbours and a console link", async () => {
    const { rows } = await db.query(
      `SELECT resource_id, request_id, max(attempt) AS attempts FROM invocations WHERE ${IN_RANGE} AND request_id IN (SELECT request_id FROM invocations WHERE attempt > 1)
        GROUP BY 1, 2 HAVING min(attempt) = 1 ORDER BY 3 DESC, 2 LIMIT 1`,
      [new Date(FROM - 3_600_000), new Date(NOW)],
    );
    const { resource_id: id, request_id: requestId, attempts } = rows[0];
    const c = ctx({ id: String(id), requestId });
    const body = await json(getInvocation(url(`resources/${id}/invocations/${requestId}?attempt=2`), c));
    const d = body.data;
    expect(d.invocation.requestId).toBe(requestId);
    expect(d.invocation.attempt).toBe(2);
    expect(d.invocation.retry).toBe(true);
    expect(d.retryChain.map((a: Json) => a.attempt)).toEqual(Array.from({ length: attempts }, (_, i) => i + 1));
    expect(d.logs.length).toBeGreaterThan(0);
    const ts = d.logs.map((l: Json) => Date.parse(l.ts));
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expect(d.logs.every((l: Json) => !l.message.startsWith("START") || l.message.includes(requestId))).toBe(true);
    expect(d.cost.totalUsd).toBeGreaterThan(0);
    expect(d.console.logStreamUrl).toContain(`${REGION}.console.aws.amazon.com`);
    expect(d.previous ?? d.next).not.toBeNull();

    const first = await json(getInvocation(url(`resources/${id}/invocations/${requestId}`), c));
    expect(first.data.invocation.attempt).toBe(1);
  });

  it("flags JSON log lines and lists spans in start order", async () => {
    const { rows } = await db.query(
      `SELECT i.resource_id, i.request_id FROM invocations i WHERE i.trace_id IS NOT NULL AND EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = i.trace_id)
        AND ${IN_RANGE.replace(/started_at|ended_at|duration_ms|complete/g, (m) => `i.${m}`)} LIMIT 1`,
      [new Date(FROM), new Date(NOW)],
    );
    if (rows.length) {
      const { resource_id: id, request_id: requestId } = rows[0];
      const body = await json(getInvocation(url(`resources/${id}/invocations/${requestId}`), ctx({ id: String(id), requestId })));
      const starts = body.data.spans.map((s: Json) => Date.parse(s.startTime));
      expect(starts.length).toBeGreaterThan(0);
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
      expect(body.data.console.traceUrl).toContain("xray");
    }
    const { rows: jsonLines } = await db.query(`SELECT resource_id, request_id FROM log_events WHERE message LIKE '{%' AND request_id IS NOT NULL LIMIT 1`);
    if (jsonLines.length) {
      const { resource_id: id, request_id: requestId } = jsonLines[0];
      const body = await json(getInvocation(url(`resources/${id}/invocations/${requestId}`), ctx({ id: String(id), requestId })));
      expect(body.data.logs.some((l: Json) => l.isJson && l.json)).toBe(true);
    }
  });
});

describe("errors and cost", () => {
  it("lists error groups with counts in the range; shows one with occurrences; sets its state", async () => {
    const body = await json(getErrors(url(`errors?${RANGE}`)));
    expect(body.data.length).toBeGreaterThan(0);
    const g = body.data[0];
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM error_occurrences WHERE group_id = $1 AND ts >= $2 AND ts < $3`, [g.id, new Date(FROM), new Date(NOW)]);
    expect(g.count).toBe(rows[0].n);
    expect(g.sparkline.reduce((a: number, b: number) => a + b, 0)).toBe(g.count);
    expect(g.resources.length).toBeGreaterThan(0);

    const detail = await json(getError(url(`errors/${g.id}?${RANGE}&limit=500`), ctx({ id: String(g.id) })));
    expect(detail.data.occurrences.length).toBe(g.count);
    // The occurrences chart covers the whole range, bin by bin as SQL counts them.
    const tl = detail.data.timeline;
    expect(tl.from).toBe(FROM);
    expect(tl.counts.reduce((a: number, b: number) => a + b, 0)).toBe(g.count);
    const busiest = tl.counts.indexOf(Math.max(...tl.counts));
    const { rows: inBin } = await db.query(`SELECT count(*)::int AS n FROM error_occurrences WHERE group_id = $1 AND ts >= $2 AND ts < $3`, [
      g.id,
      new Date(tl.from + busiest * tl.binMs),
      new Date(Math.min(tl.from + (busiest + 1) * tl.binMs, NOW)),
    ]);
    expect(tl.counts[busiest]).toBe(inBin[0].n);
    const occ = detail.data.occurrences.find((o: Json) => o.requestId);
    const inv = await json(getInvocation(url(`resources/${occ.resourceId}/invocations/${occ.requestId}`), ctx({ id: String(occ.resourceId), requestId: occ.requestId })));
    expect(inv.data.invocation.requestId).toBe(occ.requestId);

    // An error in a retry links to that attempt, not to the request's first one.
    const retried = [];
    for (const group of body.data) {
      const d = await json(getError(url(`errors/${group.id}?${RANGE}&limit=500`), ctx({ id: String(group.id) })));
      expect(d.data.occurrences.filter((o: Json) => o.requestId).every((o: Json) => o.attempt >= 1)).toBe(true);
      const linked = d.data.occurrences.filter((o: Json) => o.requestId && o.attempt !== null && o.resourceId === d.data.occurrences.find((x: Json) => x.attempt > 1)?.resourceId).map((o: Json) => `${o.requestId}#${o.attempt}`);
      retried.push(...d.data.occurrences.filter((o: Json) => o.attempt > 1).map((o: Json) => ({ ...o, groupId: group.id, linked })));
    }
    expect(retried.length).toBeGreaterThan(0);
    // The function's invocations filtered to the group: exactly the attempts its occurrences link to.
    const o1 = retried[0];
    const filtered: Json[] = (await json(getInvocations(url(`resources/${o1.resourceId}/invocations?${RANGE}&errorGroup=${o1.groupId}&limit=500`), ctx({ id: String(o1.resourceId) })))).data;
    const linked = new Set(o1.linked as string[]);
    expect(new Set(filtered.map((i) => `${i.requestId}#${i.attempt}`))).toEqual(linked);
    expect(filtered.some((i) => i.attempt > 1)).toBe(true);
    for (const o of retried.slice(0, 5)) {
      const attempt = await json(getInvocation(url(`resources/${o.resourceId}/invocations/${o.requestId}?attempt=${o.attempt}`), ctx({ id: String(o.resourceId), requestId: o.requestId })));
      expect(attempt.data.invocation.attempt).toBe(o.attempt);
      expect(attempt.data.invocation.status).not.toBe("success");
      expect(Date.parse(attempt.data.invocation.startedAt)).toBeLessThanOrEqual(Date.parse(o.ts));
    }

    const patched = await json(patchError(asOwner(`http://osprey.test/api/v1/errors/${g.id}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ state: "resolved" }) }), ctx({ id: String(g.id) })));
    expect(patched.data.state).toBe("resolved");
    expect(patched.data.resolvedAt).not.toBeNull();
    const resolved = await json(getErrors(url(`errors?${RANGE}&state=resolved`)));
    expect(resolved.data.map((e: Json) => e.id)).toContain(g.id);
    await json(patchError(asOwner(`http://osprey.test/api/v1/errors/${g.id}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ state: "bogus" }) }), ctx({ id: String(g.id) })), 400);
  });

  it("costs per resource per day add up to the stored invocations' cost", async () => {
    const body = await json(getCost(url(`cost?${RANGE}`)));
    const { rows } = await db.query(`SELECT sum(cost_usd)::float8 AS c FROM invocations WHERE ${IN_RANGE}`, [new Date(FROM), new Date(NOW)]);
    expect(body.data.totals.costUsd).toBeCloseTo(rows[0].c, 9);
    expect(body.data.totals.daily.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(rows[0].c, 9);
    const top = body.data.groups[0];
    expect(top.rightSizing.options.some((o: Json) => o.current)).toBe(true);
    expect(body.data.assumptions.length).toBeGreaterThan(0);
  });
});

describe("errors of the API itself", () => {
  it("answers 400 on bad parameters", async () => {
    for (const q of ["range=2h", `from=${NOW}&to=${FROM}`, "limit=0", "limit=501", "sort=bogus", "filter=p95:near:3", "cursor=%%%", "region=mars", "tag=novalue"]) {
      const body = await json(getResources(url(`resources?${q}`)), 400);
      expect(body.error.code).toBe("validation_error");
    }
    await json(getSeries(url(`resources/1/series?period=7`), ctx({ id: "1" })), 400);
    await json(getSeries(url(`resources/1/series?range=30d&period=60`), ctx({ id: "1" })), 400);
    await json(getInvocations(url(`resources/1/invocations?status=weird`), ctx({ id: "1" })), 400);
    await json(getResource(url(`resources/abc`), ctx({ id: "abc" })), 400);
  });

  it("answers 404 on unknown ids", async () => {
    await json(getResource(url("resources/999999"), ctx({ id: "999999" })), 404);
    await json(getSeries(url("resources/999999/series"), ctx({ id: "999999" })), 404);
    await json(getInvocations(url("resources/999999/invocations"), ctx({ id: "999999" })), 404);
    const fn = await busiestFunction();
    await json(getInvocation(url(`resources/${fn.id}/invocations/nope`), ctx({ id: String(fn.id), requestId: "nope" })), 404);
    await json(getError(url("errors/999999"), ctx({ id: "999999" })), 404);
  });

  it("describes every route in the OpenAPI document", async () => {
    const doc = await json(getOpenApi());
    expect(doc.openapi).toBe("3.1.0");
    const root = path.join(process.cwd(), "app/api/v1");
    const routes = (readdirSync(root, { recursive: true }) as string[])
      .filter((f) => f.endsWith("route.ts") && !f.includes("[..."))
      .map((f) => "/api/v1/" + path.dirname(f).replace(/\[(\w+)\]/g, "{$1}"));
    expect(routes.length).toBeGreaterThanOrEqual(10);
    for (const r of routes) expect(Object.keys(doc.paths), r).toContain(r);
    const list = doc.paths["/api/v1/resources"].get;
    expect(list.parameters.map((p: Json) => p.name)).toEqual(expect.arrayContaining(["range", "from", "to", "sort", "order", "cursor", "limit", "q", "tag"]));
    expect(list.responses["200"].content["application/json"].schema.properties.data.items.properties.p95).toBeDefined();
    // Signing in: every route but the Firehose endpoint needs the session cookie or an API token, and may answer 401 or 403.
    expect(doc.security).toEqual([{ session: [] }, { token: [] }]);
    expect(doc.components.securitySchemes.session).toMatchObject({ type: "apiKey", in: "cookie", name: "osprey.session_token" });
    expect(doc.components.securitySchemes.token).toMatchObject({ type: "http", scheme: "bearer" });
    expect(Object.keys(doc.paths["/api/v1/accounts"].post.responses)).toEqual(expect.arrayContaining(["401", "403"]));
    expect(doc.paths["/api/v1/ingest/firehose"].post.security).toEqual([]);
  });
});
