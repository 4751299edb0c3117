import { LOCAL_ACTOR } from "@/lib/db/audit";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChannelInput } from "../lib/api/schemas/channels";
import { createChannel } from "../lib/db/notifications/channels";
import { enqueueNotices } from "../lib/db/notifications/outbox";
import { deliverDueNotifications, LEASE_MS } from "../lib/notify/deliver";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { waitFor } from "../test/wait";
import { makeNotice } from "../test/notices";
import { json, startReceiver, verifyOspreySignature, type Receiver } from "../test/receivers";

const ROOT = path.resolve(__dirname, "..");
const SIGNING_SECRET = "whsec_crash_0123456789abcdef";
const SLACK_PATH = "/services/T0CRASH/B0CRASH/sl4ckS3cretT0ken";
const ROUTING_KEY = "PdS3cretPdS3cretPdS3cretPdS3cret";

let tdb: TestDatabase;
let db: pg.Pool;
const children: ChildProcess[] = [];

/** The real `osprey workers` process on this test's database; its log output is collected. */
function startWorkers(): { child: ChildProcess; output: () => string } {
  let out = "";
  const child = spawn(path.join(ROOT, "bin/osprey"), ["workers"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: tdb.url, LOG_LEVEL: "trace" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (out += b.toString()));
  children.push(child);
  return { child, output: () => out };
}

const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once("exit", () => r())));

async function enqueue(channelIds: number[], incidentId: number) {
  const c = await db.connect();
  try {
    await c.query("BEGIN");
    await enqueueNotices(c, makeNotice({ incidentId }), channelIds, 1);
    await c.query("COMMIT");
  } finally {
    c.release();
  }
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 3 });
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await db?.end();
  await tdb?.drop();
});

describe("a worker process killed between sending and recording", () => {
  let receiver: Receiver;
  const processed = new Map<string, number>();
  afterAll(() => receiver?.stop());

  it("loses nothing, and the receiver sees the same idempotency key on the resend", async () => {
    let worker: ChildProcess | undefined;
    // The consumer receives the notification, and the worker dies before it reads the answer.
    receiver = await startReceiver((r, res) => {
      if (!verifyOspreySignature(r.body, r.headers["x-osprey-signature"] as string, SIGNING_SECRET)) return json(res, 401, {});
      const key = String(r.headers["x-osprey-idempotency-key"]);
      processed.set(key, (processed.get(key) ?? 0) + 1);
      if (worker) {
        worker.kill("SIGKILL");
        worker = undefined;
        setTimeout(() => json(res, 200, { ok: true }), 200);
        return;
      }
      json(res, 200, { ok: true, duplicate: (processed.get(key) ?? 0) > 1 });
    });
    const id = (await createChannel(ChannelInput.parse({ name: "hook", kind: "webhook", url: `${receiver.url}/osprey`, signingSecret: SIGNING_SECRET }), LOCAL_ACTOR, db)).id;
    await enqueue([id], 5150);
    const w = startWorkers();
    worker = w.child;
    await waitFor(async () => receiver.received.length >= 1);
    await exited(w.child);

    const held = (await db.query("SELECT status, attempts, claim_token FROM notification_outbox WHERE channel_id = $1", [id])).rows[0];
    expect(held).toMatchObject({ status: "sending", attempts: 1 });
    expect(held.claim_token).not.toBeNull();

    // Another worker, once the dead one's claim has run out.
    expect(await deliverDueNotifications(db)).toEqual([]);
    const later = Date.now() + LEASE_MS + 1_000;
    expect(await deliverDueNotifications(db, { now: () => later })).toMatchObject([{ status: "sent" }]);

    const row = (await db.query("SELECT status, attempts, idempotency_key FROM notification_outbox WHERE channel_id = $1", [id])).rows[0];
    expect(row).toMatchObject({ status: "sent", attempts: 2 });
    const keys = receiver.received.map((r) => r.headers["x-osprey-idempotency-key"]);
    expect(keys).toEqual([row.idempotency_key, row.idempotency_key]);
    // A consumer that honours the key processed the notice once; it was delivered, not lost.
    expect(processed.get(row.idempotency_key)).toBe(2);
    expect(new Set(keys).size).toBe(1);
  });
});

describe("secrets never reach the logs", () => {
  it("leaves webhook URLs, signing secrets and routing keys out of the worker's output, even when a receiver echoes them", async () => {
    // Receivers that fail and echo back everything they were sent.
    const echo = await startReceiver((r, res) => {
      res.writeHead(r.path.startsWith("/services") ? 500 : 400, { "content-type": "text/plain" });
      res.end(`rejected ${r.path} ${r.body}`);
    });
    try {
      const slack = (await createChannel(ChannelInput.parse({ name: "slack-echo", kind: "slack", webhookUrl: `${echo.url}${SLACK_PATH}` }), LOCAL_ACTOR, db)).id;
      const pd = (await createChannel(ChannelInput.parse({ name: "pd-echo", kind: "pagerduty", routingKey: ROUTING_KEY, eventsUrl: `${echo.url}/v2/enqueue` }), LOCAL_ACTOR, db)).id;
      const hook = (await createChannel(ChannelInput.parse({ name: "hook-echo", kind: "webhook", url: `${echo.url}/hook`, signingSecret: SIGNING_SECRET }), LOCAL_ACTOR, db)).id;
      await enqueue([slack, pd, hook], 6160);
      const w = startWorkers();
      await waitFor(async () => (await db.query("SELECT count(*)::int AS n FROM notification_outbox WHERE channel_id = ANY($1) AND last_attempt_at IS NOT NULL AND status <> 'sending'", [[slack, pd, hook]])).rows[0].n === 3);
      await waitFor(async () => (w.output().match(/"component":"notifications"/g) ?? []).length >= 3);
      w.child.kill("SIGTERM");
      await exited(w.child);
      const out = w.output();
      expect(out).toMatch(/notification will be retried/);
      expect(out).toMatch(/notification failed for good/);
      for (const secret of [SLACK_PATH, "sl4ckS3cretT0ken", ROUTING_KEY, SIGNING_SECRET]) expect(out).not.toContain(secret);
      const stored = (await db.query("SELECT string_agg(coalesce(last_error, ''), ' ') AS e FROM notification_outbox WHERE channel_id = ANY($1)", [[slack, pd, hook]])).rows[0].e as string;
      expect(stored).toMatch(/HTTP 500|HTTP 400/);
      for (const secret of [SLACK_PATH, ROUTING_KEY]) expect(stored).not.toContain(secret);
    } finally {
      await echo.stop();
    }
  });
});
