import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLambdaLogEvents, type LogEventInput } from "@/lib/ingest/lambda-logs";
import { writeLambdaBatch } from "@/lib/db/lambda-writer";
import { requestAs, signIn } from "@/test/auth";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { GET as contextRoute } from "./context/route";
import { GET as histogramRoute } from "./histogram/route";
import { GET as searchRoute } from "./route";
import { GET as listSaved, POST as saveSearch } from "../saved-searches/route";
import { DELETE as deleteSaved } from "../saved-searches/[id]/route";

// Log lines in the shapes the issue names, written through the real parser and writer: a Java stack
// trace's exception class inside a dotted name, an S3 key inside a path, Python's BytesIO in a message.
const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);
const FROM = T0 - 3_600_000;
const TO = T0 + 3_600_000;
const GROUP = "/aws/lambda/uploads";

let tdb: TestDatabase;
let db: pg.Pool;
let asViewer: ReturnType<typeof requestAs>;
let asMember: ReturnType<typeof requestAs>;
let resourceId: number;
const noCtx = {} as never;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let seq = 0;
const event = (stream: string, timestamp: number, message: string): LogEventInput => ({
  eventId: `${String(timestamp).padStart(20, "0")}${String(++seq).padStart(8, "0")}`,
  logGroupName: GROUP,
  logStreamName: stream,
  timestamp,
  message,
});

function invocation(i: number): LogEventInput[] {
  const id = `0000000${i % 10}-1111-4222-8333-${String(i).padStart(12, "0")}`;
  const stream = `2026/11/25/[$LATEST]${String(i % 3).repeat(32)}`;
  const t = T0 + i * 10_000;
  const at = (k: number) => new Date(t + k).toISOString();
  const lines = [`START RequestId: ${id} Version: $LATEST\n`];
  if (i % 4 === 0) lines.push(`${at(1)}\t${id}\tERROR\tjava.lang.NullPointerException: Cannot invoke "String.length()" because "name" is null\n`);
  if (i % 4 === 1) lines.push(`${at(1)}\t${id}\tINFO\tstored s3://osprey-demo-uploads/users/${i}/${i % 8 === 1 ? "PHOTO.JPG" : "photo.jpg"} in ${i} ms\n`);
  if (i % 10 === 2) lines.push(`${at(1)}\t${id}\tERROR\tException in thread "main" java.lang.OutOfMemoryError: Java heap space\n`);
  if (i % 10 === 3) lines.push(`[ERROR]\t${at(1)}\t${id}\tTypeError: a bytes-like object is required, not '_io.BytesIO'\n`);
  if (i % 10 === 5) lines.push(JSON.stringify({ timestamp: at(1), level: "WARN", requestId: id, message: `retrying bucket osprey-demo-uploads attempt ${i}` }) + "\n");
  lines.push(`${at(2)}\t${id}\tINFO\tprocessed order ${i}\n`);
  lines.push(`END RequestId: ${id}\n`, `REPORT RequestId: ${id}\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\t\n`);
  return lines.map((m, k) => event(stream, t + k, m));
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 4 });
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = db;
  const { rows: [account] } = await db.query("INSERT INTO accounts (name, regions, updated_at) VALUES ('search', '{us-east-1}', now()) RETURNING id");
  const { rows: [resource] } = await db.query(
    `INSERT INTO resources (account_id, region, kind, arn, name, config) VALUES ($1, 'us-east-1', 'lambda',
      'arn:aws:lambda:us-east-1:123456789012:function:uploads', 'uploads', '{"logGroup": "/aws/lambda/uploads"}') RETURNING id`,
    [account.id],
  );
  resourceId = resource.id;
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    const events = Array.from({ length: 200 }, (_, i) => invocation(i)).flat();
    await writeLambdaBatch(client, { resourceId, region: "us-east-1", architecture: "x86_64" }, parseLambdaLogEvents(events, { functionName: "uploads" }));
    await client.query("COMMIT");
  } finally {
    client.release();
  }
  await db.query("ANALYZE log_events");
  asViewer = requestAs(await signIn("viewer"));
  asMember = requestAs(await signIn("member"));
}, 60_000);

afterAll(async () => {
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = undefined;
  await db?.end();
  await tdb?.drop();
});

async function json(res: Response | Promise<Response>, status = 200): Promise<Json> {
  const r = await res;
  const body = r.status === 204 ? {} : await r.json();
  expect(r.status, JSON.stringify(body).slice(0, 300)).toBe(status);
  return body;
}

const search = (q: string, extra = "") => json(searchRoute(asViewer(`http://osprey.test/api/v1/search?q=${encodeURIComponent(q)}&from=${FROM}&to=${TO}&limit=200${extra}`), noCtx));

/** How many stored lines hold `text`, any case, counted by Postgres without the search code. */
async function linesHolding(text: string): Promise<number> {
  const { rows } = await db.query("SELECT count(*)::int AS n FROM log_events WHERE strpos(lower(message), lower($1)) > 0", [text]);
  return rows[0].n;
}

describe("log search finds text inside tokens", () => {
  it.each([
    ["NullPointerException", 50],
    ["nullpointerexception", 50],
    ["photo.jpg", 50],
    ["OutOfMemory", 20],
    ["BytesIO", 20],
    ["osprey-demo-uploads", 70],
  ])("%s finds every line holding it (%i)", async (q, expected) => {
    const body = await search(q);
    expect(await linesHolding(q)).toBe(expected);
    expect(body.data).toHaveLength(expected);
    expect(body.data.every((h: Json) => h.message.toLowerCase().includes(q.toLowerCase()))).toBe(true);
    expect(body.indexed).toBe(true);
  });

  it("still finds the dotted name, and a phrase across words", async () => {
    expect((await search("java.lang.NullPointerException")).data).toHaveLength(50);
    expect((await search('"java heap space"')).data).toHaveLength(20);
    expect((await search('"heap java"')).data).toHaveLength(0);
  });

  it("narrows with a regular expression, case-insensitively", async () => {
    const all = await search("osprey-demo-uploads");
    const narrowed = await search("osprey-demo-uploads /users\\/[0-9]+\\/photo\\.jpg/");
    expect(narrowed.data).toHaveLength(50);
    expect(narrowed.data.every((h: Json) => /users\/\d+\/photo\.jpg/i.test(h.message))).toBe(true);
    expect(narrowed.data.length).toBeLessThan(all.data.length);
    const attempts = await search('/attempt (15|25)"/');
    expect(attempts.data.map((h: Json) => JSON.parse(h.message).message).sort()).toEqual(["retrying bucket osprey-demo-uploads attempt 15", "retrying bucket osprey-demo-uploads attempt 25"]);
  });

  it("answers 400 naming an invalid regular expression", async () => {
    const body = await json(searchRoute(asViewer(`http://osprey.test/api/v1/search?q=${encodeURIComponent("/photo(jpg/")}&from=${FROM}&to=${TO}`), noCtx), 400);
    expect(body.error.message).toMatch(/not a valid regular expression/);
    await json(histogramRoute(asViewer(`http://osprey.test/api/v1/search/histogram?q=${encodeURIComponent("/[z-a]/")}&from=${FROM}&to=${TO}`), noCtx), 400);
  });

  it("filters on the level the ingest read, for text and JSON lines alike", async () => {
    const { rows } = await db.query("SELECT count(*) FILTER (WHERE level = 'ERROR')::int AS e, count(*) FILTER (WHERE level = 'WARN')::int AS w FROM log_events");
    expect(rows[0].e).toBe(90);
    expect((await search("level = ERROR")).data).toHaveLength(rows[0].e);
    expect((await search("level = error OutOfMemory")).data).toHaveLength(20);
    expect((await search("level = warning")).data).toHaveLength(rows[0].w);
    expect((await search("level = WARN")).data).toHaveLength(20);
  });

  it("counts matches over time in a histogram that adds up to the matches", async () => {
    const body = await json(histogramRoute(asViewer(`http://osprey.test/api/v1/search/histogram?q=photo.jpg&from=${FROM}&to=${TO}`), noCtx));
    expect(body.data.exact).toBe(true);
    expect(body.data.bucketMs).toBe(60_000);
    expect(body.data.buckets.reduce((s: number, b: Json) => s + b.count, 0)).toBe(50);
    // Invocation i writes at T0 + i * 10 s: six per minute, half of them (i % 4 === 1) about a photo in the minutes they fall in.
    expect(body.data.buckets[0]).toEqual({ t: T0, count: 2 });
  });

  it("links each line to its invocation and shows the lines around it in its log stream", async () => {
    const [hit] = (await search("OutOfMemory", "&limit=1")).data;
    expect(hit.invocationUrl).toBe(`/functions/${resourceId}/invocations/${encodeURIComponent(hit.requestId)}`);
    const ctx = await json(contextRoute(asViewer(`http://osprey.test/api/v1/search/context?event=${hit.eventId}&ts=${hit.ts}&n=3`), noCtx));
    expect(ctx.data.line.message).toContain("OutOfMemoryError");
    expect(ctx.data.before).toHaveLength(3);
    expect(ctx.data.after).toHaveLength(3);
    expect(ctx.data.before.map((l: Json) => l.message).join("")).toContain(`START RequestId: ${hit.requestId}`);
    expect(ctx.data.after.some((l: Json) => l.message.includes(`processed order`) && l.requestId === hit.requestId)).toBe(true);
    const all = [...ctx.data.before, ctx.data.line, ...ctx.data.after];
    expect(all.every((l: Json) => l.logStream === hit.logStream)).toBe(true);
    expect(all.map((l: Json) => l.ts)).toEqual([...all.map((l: Json) => l.ts)].sort());
    await json(contextRoute(asViewer(`http://osprey.test/api/v1/search/context?event=nope&ts=${hit.ts}`), noCtx), 404);
  });
});

describe("saved searches", () => {
  it("a member saves a search, everyone lists it with its URL, a viewer cannot save or delete", async () => {
    const input = { name: "Uploads failing", q: 'photo.jpg "in 1" /users/\\d+/', range: "7d", resource: [resourceId] };
    const saved = await json(saveSearch(asMember("http://osprey.test/api/v1/saved-searches", { method: "POST", body: JSON.stringify(input), headers: { "content-type": "application/json" } }), noCtx), 201);
    expect(saved.data).toMatchObject({ ...input, createdBy: expect.stringContaining("@osprey.test") });
    const url = new URL(saved.data.url, "http://osprey.test");
    expect(url.pathname).toBe("/search");
    expect(Object.fromEntries(url.searchParams)).toEqual({ q: input.q, range: "7d", resource: String(resourceId) });
    const list = await json(listSaved(asViewer("http://osprey.test/api/v1/saved-searches"), noCtx));
    expect(list.data.map((s: Json) => s.name)).toContain("Uploads failing");
    await json(saveSearch(asViewer("http://osprey.test/api/v1/saved-searches", { method: "POST", body: JSON.stringify(input), headers: { "content-type": "application/json" } }), noCtx), 403);
    await json(saveSearch(asMember("http://osprey.test/api/v1/saved-searches", { method: "POST", body: JSON.stringify({ ...input, name: "" }), headers: { "content-type": "application/json" } }), noCtx), 400);
    const del = (who: typeof asMember) => deleteSaved(who(`http://osprey.test/api/v1/saved-searches/${saved.data.id}`, { method: "DELETE" }), { params: Promise.resolve({ id: String(saved.data.id) }) });
    await json(del(asViewer), 403);
    await json(del(asMember), 204);
    await json(del(asMember), 404);
  });
});
