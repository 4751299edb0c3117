import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "@/lib/sandbox";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { createSandboxAccount } from "@/test/sandbox-account";
import { discoverAccountRegion } from "@/workers/ingest/discover";
import { evaluateAccountInsights } from "@/workers/ingest/insights";
import { pullLogs } from "@/workers/ingest/logs";
import { requestAs, signIn } from "@/test/auth";

// The handlers need a signed-in user: an owner may do everything.
let asOwner: ReturnType<typeof requestAs>;

// A fixed moment, as the sandbox's data is a function of its seed and the time: these six hours of
// seed 9 hold timeouts, out-of-memory kills and JSON-format INFO lines whatever the day of the run.
const NOW = Date.UTC(2026, 10, 24, 15, 0, 0);
const LOOKBACK = 6 * 3_600_000;
const RANGE = `from=${NOW - LOOKBACK}&to=${NOW}`;
let tdb: TestDatabase;
let db: pg.Pool;
let sandbox: Sandbox;
let insights: typeof import("./route");
let insight: typeof import("./[id]/route");
let rules: typeof import("./rules/route");
let search: typeof import("../search/route");

const get = (path: string) => asOwner(`http://127.0.0.1${path}`);

beforeAll(async () => {
  tdb = await createTestDatabase();
  process.env.DATABASE_URL = tdb.url;
  db = new pg.Pool({ connectionString: tdb.url, max: 3 });
  sandbox = await startSandbox({ port: 0, seed: 9, now: () => NOW, backfillMs: LOOKBACK });
  const account = await createSandboxAccount(db, sandbox.url, ["us-east-1"]);
  await discoverAccountRegion(db, account, "us-east-1", ["lambda"]);
  await pullLogs(db, account, "us-east-1", { now: NOW, lookbackMs: LOOKBACK });
  await evaluateAccountInsights(db, account.id, "us-east-1", NOW);
  insights = await import("./route");
  insight = await import("./[id]/route");
  rules = await import("./rules/route");
  search = await import("../search/route");
  asOwner = requestAs(await signIn("owner"));
}, 180_000);

afterAll(async () => {
  const { closeDb } = await import("@/lib/db/prisma");
  await closeDb();
  await sandbox.close();
  await db.end();
  await tdb.drop();
});

describe("GET /api/v1/insights", () => {
  it("lists findings most severe first, filtered by severity and pillar, each linking to its evidence", async () => {
    const all = await (await insights.GET(get("/api/v1/insights"), undefined as never)).json();
    expect(all.data.length).toBeGreaterThan(3);
    const order = { critical: 0, warning: 1, info: 2 } as Record<string, number>;
    const ranks = all.data.map((i: { severity: string }) => order[i.severity]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const timeouts = all.data.find((i: { ruleId: string }) => i.ruleId === "lambda-timeouts");
    expect(timeouts).toMatchObject({ resourceName: "report-generator", evidenceUrl: expect.stringMatching(/^\/functions\/\d+\?timeouts=1$/) });

    const cost = await (await insights.GET(get("/api/v1/insights?pillar=cost"), undefined as never)).json();
    expect(cost.data.length).toBeGreaterThan(0);
    expect(cost.data.every((i: { pillar: string }) => i.pillar === "cost")).toBe(true);
    expect((await insights.GET(get("/api/v1/insights?severity=urgent"), undefined as never)).status).toBe(400);
  });

  it("narrows to the accounts and regions asked for, one or several, as the overview selects them", async () => {
    const list = async (q: string) => (await (await insights.GET(get(`/api/v1/insights?${q}`), undefined as never)).json()).data as { accountId: number | null; region: string | null }[];
    const all = await list("");
    const accountId = all.find((i) => i.accountId !== null)!.accountId!;
    const own = all.filter((i) => i.accountId === accountId);
    expect((await list(`account=${accountId}`)).length).toBe(own.length);
    expect((await list(`account=${accountId},${accountId + 1000}&region=us-east-1,eu-west-1`)).length).toBe(own.filter((i) => i.region === "us-east-1").length);
    expect(await list(`account=${accountId + 1000}`)).toEqual([]);
    expect(await list("region=eu-west-1")).toEqual([]);
    expect((await insights.GET(get("/api/v1/insights?region=Mars"), undefined as never)).status).toBe(400);
  });

  it("acknowledges and mutes; a muted finding is only listed when asked for", async () => {
    const all = await (await insights.GET(get("/api/v1/insights"), undefined as never)).json();
    const target = all.data[0];
    const ctx = { params: Promise.resolve({ id: String(target.id) }) };
    const patch = (state: string) => insight.PATCH(asOwner("http://x", { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ state }) }), ctx);
    expect((await patch("acknowledged")).status).toBe(200);
    expect((await patch("dismissed")).status).toBe(400);
    expect((await patch("muted")).status).toBe(200);
    const after = await (await insights.GET(get("/api/v1/insights"), undefined as never)).json();
    expect(after.data.find((i: { id: number }) => i.id === target.id)).toBeUndefined();
    expect(after.counts.muted).toBe(1);
    const muted = await (await insights.GET(get("/api/v1/insights?state=muted"), undefined as never)).json();
    expect(muted.data.map((i: { id: number }) => i.id)).toEqual([target.id]);
  });

  it("lets a user change a rule's threshold, and refuses an unknown one", async () => {
    const put = (body: unknown) => rules.PUT(asOwner("http://x", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }), undefined as never);
    expect((await put({ ruleId: "lambda-error-rate", thresholds: { warningRatePct: 2 } })).status).toBe(200);
    const listed = await (await rules.GET(get("/api/v1/insights/rules"), undefined as never)).json();
    const rule = listed.data.find((r: { id: string }) => r.id === "lambda-error-rate");
    expect(rule.thresholds.find((t: { name: string }) => t.name === "warningRatePct")).toMatchObject({ value: 2 });
    expect((await put({ ruleId: "lambda-error-rate", thresholds: { nonsense: 1 } })).status).toBe(400);
  });
});

describe("GET /api/v1/search", () => {
  it("finds a known log line by its words, and links it to its invocation", async () => {
    const { rows } = await db.query(
      "SELECT event_id, message, request_id, resource_id FROM log_events WHERE request_id IS NOT NULL AND message LIKE 'REPORT%' AND ts < $1 ORDER BY ts DESC LIMIT 1",
      [new Date(NOW - 60_000)],
    );
    const line = rows[0];
    const id = line.request_id as string;
    const res = await search.GET(get(`/api/v1/search?q=${encodeURIComponent(`REPORT ${id}`)}&${RANGE}`), undefined as never);
    const body = await res.json();
    expect(body.data.map((h: { eventId: string }) => h.eventId)).toContain(line.event_id);
    expect(body.data[0].invocationUrl).toBe(`/functions/${line.resource_id}/invocations/${id}`);
  });

  it("matches quoted phrases exactly and JSON fields by value", async () => {
    const phrase = await (await search.GET(get(`/api/v1/search?q=${encodeURIComponent('"Task timed out after"')}&${RANGE}`), undefined as never)).json();
    expect(phrase.data.length).toBeGreaterThan(0);
    expect(phrase.data.every((h: { message: string }) => h.message.includes("Task timed out after"))).toBe(true);

    const json = await (await search.GET(get(`/api/v1/search?q=${encodeURIComponent("level = info")}&limit=200&${RANGE}`), undefined as never)).json();
    expect(json.data.length).toBeGreaterThan(0);
    // `level` reads the level the ingest parsed, from JSON and text lines alike: a JSON line's own field says the same.
    const hits = json.data as { message: string; level: string | null }[];
    expect(hits.every((h) => h.level === "INFO")).toBe(true);
    const jsonLines = hits.filter((h) => h.message.startsWith("{"));
    expect(jsonLines.length).toBeGreaterThan(0);
    expect(jsonLines.every((h) => JSON.parse(h.message).level === "INFO")).toBe(true);
    const none = await (await search.GET(get(`/api/v1/search?q=${encodeURIComponent("level = NO_SUCH_LEVEL")}&${RANGE}`), undefined as never)).json();
    expect(none.data).toEqual([]);
  });

  it("pages newest first with a cursor, and explains a bad search", async () => {
    const first = await (await search.GET(get(`/api/v1/search?q=START&limit=5&${RANGE}`), undefined as never)).json();
    expect(first.data).toHaveLength(5);
    const second = await (await search.GET(get(`/api/v1/search?q=START&limit=5&${RANGE}&cursor=${first.nextCursor}`), undefined as never)).json();
    expect(second.data[0].ts <= first.data[4].ts).toBe(true);
    expect(second.data.map((h: { eventId: string }) => h.eventId)).not.toContain(first.data[4].eventId);
    const bad = await search.GET(get(`/api/v1/search?q=${encodeURIComponent('"unclosed')}`), undefined as never);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/not closed/);
  });
});
