import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IncidentNotice } from "@/lib/analysis/alerts/notice";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { evaluateAlerts } from "./evaluate-alerts";
import { readTopErrors } from "./top-errors";

let tdb: TestDatabase;
let db: pg.Pool;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = new pg.Pool({ connectionString: tdb.url, max: 2 });
});

afterAll(async () => {
  await db?.end();
  await tdb?.drop();
});

const MIN = 60_000;
const NOW = Date.UTC(2026, 11, 3, 12, 30, 20);

async function group(fingerprint: string, type: string, message: string, topFrame: string | null, stack: string | null): Promise<number> {
  const { rows } = await db.query(
    `INSERT INTO error_groups (fingerprint, error_type, message, sample_message, count, first_seen_at, last_seen_at, resource_ids, top_frame, sample_stack)
     VALUES ($1, $2, $3, $3, 1, $4, $4, '{}', $5, $6) RETURNING id`,
    [fingerprint, type, message, new Date(NOW - 60 * MIN), topFrame, stack],
  );
  return rows[0].id;
}

let seq = 0;
async function occur(groupId: number, resourceId: number, at: number, n: number, message: string): Promise<void> {
  for (let i = 0; i < n; i++) await db.query("INSERT INTO error_occurrences (event_id, group_id, resource_id, ts, error_message) VALUES ($1, $2, $3, $4, $5)", [`e${seq++}`, groupId, resourceId, new Date(at + i), message]);
}

describe("the top error group in notices", () => {
  it("puts each notice's most frequent error group of the window, with its top frame and link, into the outbox, reading them in one query", async () => {
    const { rows: a } = await db.query("INSERT INTO accounts (name, regions, updated_at) VALUES ('prod', '{us-east-1}', now()) RETURNING id");
    const fn = async (name: string) => (await db.query("INSERT INTO resources (account_id, region, kind, arn, name) VALUES ($1, 'us-east-1', 'lambda', $2, $3) RETURNING id", [a[0].id, `arn:aws:lambda:us-east-1:1:function:${name}`, name])).rows[0].id as number;
    const checkout = await fn("checkout");
    const cart = await fn("cart");
    const quiet = await fn("quiet");
    for (const id of [checkout, cart, quiet]) {
      await db.query(
        `INSERT INTO rollup_minute (resource_id, bucket_start, invocations, errors) SELECT $1, $2::timestamptz - g * interval '1 minute', 20, 10 FROM generate_series(0, 4) g`,
        [id, new Date(Math.floor(NOW / MIN) * MIN)],
      );
    }
    const typeError = await group("f1", "TypeError", "Cannot read properties of undefined (reading 'total')", "handler (/var/task/index.js:12:5)", null);
    const timeout = await group("f2", "TimeoutError", "Connection timed out", null, "TimeoutError: Connection timed out\n    at node:internal/net:10:3\n    at pay (/var/task/pay.js:40:11)");
    const old = await group("f3", "RangeError", "old", "old (/var/task/old.js:1:1)", null);
    // checkout: TypeError 3 times in the window, the timeout twice; the RangeError more often, but before the window.
    await occur(typeError, checkout, NOW - 2 * MIN, 3, "Cannot read properties of undefined (reading 'total')");
    await occur(timeout, checkout, NOW - 3 * MIN, 2, "Connection timed out after 30000 ms");
    await occur(old, checkout, NOW - 30 * MIN, 9, "old");
    // cart: only the timeout (whose group has no top frame: the sample stack's is used). The group spans both
    // functions; cart's notice carries cart's own latest message, not the group's sample or checkout's.
    await occur(timeout, cart, NOW - 2 * MIN, 1, "Connection timed out after 4000 ms");
    await occur(timeout, cart, NOW - 1 * MIN, 1, "Connection timed out after 5000 ms");
    const { rows: ch } = await db.query("INSERT INTO channels (name, kind, config) VALUES ('hook', 'webhook', '{}') RETURNING id");
    await db.query("INSERT INTO alert_policies (name, condition_kind, threshold, window_minutes, min_invocations, channel_ids) VALUES ('errors', 'error_rate', 0.2, 10, 10, $1)", [[ch[0].id]]);

    // Count the statements that read occurrences, whatever client runs them.
    let queries = 0;
    const original = pg.Client.prototype.query;
    const spy = function (this: pg.Client, ...args: unknown[]) {
      const sql = typeof args[0] === "string" ? args[0] : (args[0] as { text?: string } | undefined)?.text;
      if (sql?.includes("error_occurrences")) queries++;
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
    pg.Client.prototype.query = spy as typeof original;
    const summary = await evaluateAlerts(db, { now: NOW, baseUrl: "http://osprey.test" }).finally(() => {
      pg.Client.prototype.query = original;
    });
    expect(summary.opened).toBe(3);
    expect(queries).toBe(1);

    const { rows } = await db.query<{ notice: IncidentNotice }>("SELECT notice FROM notification_outbox ORDER BY id");
    const byName = new Map(rows.map((r) => [r.notice.resource!.name, r.notice.topError]));
    expect(byName.get("checkout")).toEqual({ groupId: typeError, errorType: "TypeError", message: "Cannot read properties of undefined (reading 'total')", topFrame: "handler (/var/task/index.js:12:5)", url: `http://osprey.test/errors/${typeError}` });
    expect(byName.get("cart")).toEqual({ groupId: timeout, errorType: "TimeoutError", message: "Connection timed out after 5000 ms", topFrame: "pay (/var/task/pay.js:40:11)", url: `http://osprey.test/errors/${timeout}` });
    expect(byName.get("quiet")).toBeNull();
  });

  it("answers nothing without asking for nothing", async () => {
    expect((await readTopErrors(db, [])).size).toBe(0);
  });
});
