import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshWatches, TAIL_JOB } from "@/lib/db/log-watches";
import { requestAs, signIn } from "@/test/auth";
import { count, throttledCalls } from "@/test/pull-world";
import { sandboxWorld } from "@/test/sandbox-world";
import { pullLogs, TAIL_CALLS_PER_SECOND } from "../ingest/logs";
import { startWorkerPool, type WorkerHandle } from "../runner";
import { readWatchedOnce, tailLogsTask } from "./tail-logs";

const REGION = "us-east-1";
const MIN = 60_000;
const noCtx = {} as never;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// The real clock: the sandbox invokes its functions as time goes by, and CloudWatch shows each event 1 s after its timestamp.
const w = sandboxWorld({ seed: 7, backfillMs: 5 * MIN, regions: [REGION], quotas: true, ingestionDelayMs: 1_000 });
let asViewer: ReturnType<typeof requestAs>;
let route: typeof import("@/app/api/v1/tail/route");
// The handlers use the app's pool: this file's database.
const app = globalThis as { ospreyPool?: unknown; ospreyPrisma?: unknown };
let worker: WorkerHandle | undefined;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const idOf = async (name: string) => (await w.db.query<{ id: number }>("SELECT id FROM resources WHERE name = $1 AND region = $2", [name, REGION])).rows[0].id;

async function tail(params: Record<string, string | string[] | undefined>): Promise<Json> {
  const url = new URL("http://osprey.test/api/v1/tail");
  for (const [k, v] of Object.entries(params)) for (const one of [v ?? []].flat()) url.searchParams.append(k, one);
  const res = await route.GET(asViewer(url), noCtx);
  expect(res.status).toBe(200);
  return res.json();
}

beforeAll(async () => {
  app.ospreyPool = w.db;
  route = await import("@/app/api/v1/tail/route");
  // One regular pass: every function has its cursor (the tail leaves a never-read function to the pass).
  await pullLogs(w.db, w.account, REGION, { lookbackMs: 5 * MIN });
  asViewer = requestAs(await signIn("viewer"));
}, 120_000);

afterAll(async () => {
  await worker?.stop(30_000);
  app.ospreyPool = undefined;
  app.ospreyPrisma = undefined;
});

describe("live tail", () => {
  it("shows a function's new lines through GET /api/v1/tail within seconds, without the minute pass", async () => {
    worker = await startWorkerPool(w.db, { taskList: { [TAIL_JOB.task]: tailLogsTask(w.db) }, concurrency: 1, pollInterval: 250 });
    const fn = await idOf("api-backend");
    const first = await tail({ resource: String(fn) });
    expect(first.watched).toEqual([fn]);
    let cursor: string | null = first.cursor;
    const started = Date.now();
    const delays: number[] = [];
    const requestIds: string[] = [];
    const seen = new Set<string>(first.data.map((l: Json) => l.eventId));
    while (delays.length < 5 && Date.now() - started < 90_000) {
      await sleep(250);
      const body = await tail({ resource: String(fn), after: cursor ?? undefined });
      cursor = body.cursor;
      for (const line of body.data) {
        expect(seen.has(line.eventId)).toBe(false);
        seen.add(line.eventId);
        expect(line.resourceId).toBe(fn);
        // Each invocation's last line: the delay from the event's own timestamp to the tail returning it.
        if (Date.parse(line.ts) >= started && line.message.startsWith("REPORT")) {
          delays.push(Date.now() - Date.parse(line.ts));
          requestIds.push(line.requestId);
          expect(line.invocationUrl).toBe(`/functions/${fn}/invocations/${encodeURIComponent(line.requestId)}`);
        }
      }
    }
    expect(delays.length).toBeGreaterThanOrEqual(5);
    const median = [...delays].sort((a, b) => a - b)[Math.floor(delays.length / 2)];
    console.log(`live tail: event timestamp to returned by the tail, ms: ${delays.join(", ")} (median ${median})`);
    // 1 s of CloudWatch delay, a read every 3 s, the 250 ms poll: well under the minute pass.
    expect(median).toBeLessThan(8_000);
    expect(Math.max(...delays)).toBeLessThan(15_000);
    // The tail wrote through the pass's path: the invocations exist for the invocation page.
    const { rows } = await w.db.query<{ n: number }>("SELECT count(DISTINCT request_id)::int AS n FROM invocations WHERE resource_id = $1 AND request_id = ANY($2)", [fn, requestIds]);
    expect(rows[0].n).toBe(new Set(requestIds).size);
    await worker.stop(30_000);
    worker = undefined;
  }, 120_000);

  it("narrows with the search syntax and, across functions, creates no watch", async () => {
    const fn = await idOf("api-backend");
    const errorsOnly = await tail({ resource: String(fn), q: "level = INFO" });
    expect(errorsOnly.data.length).toBeGreaterThan(0);
    for (const line of errorsOnly.data) expect(line.level).toBe("INFO");
    await w.db.query("DELETE FROM log_watches");
    const all = await tail({});
    expect(all.watched).toEqual([]);
    expect(new Set(all.data.map((l: Json) => l.functionName)).size).toBeGreaterThan(1);
    const { rows } = await w.db.query<{ n: number }>("SELECT count(*)::int AS n FROM log_watches");
    expect(rows[0].n).toBe(0);
  }, 60_000);

  it("reads only the last minute of a function whose cursor is far behind, and leaves that cursor to the pass", async () => {
    const fn = await idOf("auth-authorizer");
    const group = "/aws/lambda/auth-authorizer";
    const behind = Date.now() - 30 * MIN;
    await w.db.query("UPDATE ingest_cursors SET position = $1 WHERE job = 'logs' AND account_id = $2 AND region = $3 AND key = $4", [behind, w.account.id, REGION, group]);
    await w.db.query("DELETE FROM log_watches");
    await refreshWatches(w.db, [fn]);
    const started = Date.now();
    const r = await readWatchedOnce(w.db);
    expect(r.problems).toEqual([]);
    expect(r.apiCalls).toBe(1);
    const { rows: [cursor] } = await w.db.query<{ position: string }>("SELECT position FROM ingest_cursors WHERE job = 'logs' AND account_id = $1 AND key = $2", [w.account.id, group]);
    expect(Number(cursor.position)).toBe(behind);
    // What the tail read lies within its window: nothing older than a minute before the read came in.
    const events = w.sandbox.workload.logEvents(group, REGION, started - 60_000, started).filter((e) => (e.ingestionTime ?? e.timestamp) <= started);
    expect(events.length).toBeGreaterThan(0);
    expect(r.eventsRead).toBeGreaterThanOrEqual(events.length);
    expect(r.eventsRead).toBeLessThan(events.length * 2);
  }, 60_000);

  it("takes at most its share of the FilterLogEvents quota while a pass reads at the same time", async () => {
    const { rows } = await w.db.query<{ id: number }>("SELECT id FROM resources WHERE account_id = $1 AND region = $2 AND kind = 'lambda' ORDER BY id LIMIT 8", [w.account.id, REGION]);
    expect(rows.length).toBe(8);
    await refreshWatches(w.db, rows.map((r) => r.id));
    const calls = count(w.sandbox, "FilterLogEvents");
    const started = Date.now();
    const [tailed, pass] = await Promise.all([
      readWatchedOnce(w.db),
      pullLogs(w.db, w.account, REGION),
    ]);
    const elapsedS = (Date.now() - started) / 1000;
    expect(tailed.watched).toBe(8);
    expect(tailed.problems).toEqual([]);
    expect(tailed.apiCalls).toBeGreaterThanOrEqual(8);
    // The tail's calls go out at no more than TAIL_CALLS_PER_SECOND (the first without waiting).
    expect((tailed.apiCalls - 1) / elapsedS).toBeLessThanOrEqual(TAIL_CALLS_PER_SECOND * 1.05);
    expect(pass.problems).toEqual([]);
    expect(throttledCalls(w.sandbox)).toBe(0);
    expect(count(w.sandbox, "FilterLogEvents") - calls).toBe(tailed.apiCalls + pass.counts.apiCalls);
  }, 120_000);
});
