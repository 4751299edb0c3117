import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { windowTotals, type MinuteRollup } from "@/lib/analysis/alerts/evaluate";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { readWindowTotals, type PolicyRow } from "./evaluate-alerts";

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
const NOW = Date.UTC(2026, 11, 3, 12, 30, 40);

describe("readWindowTotals", () => {
  it("gives, for every window and resource, the sums windowTotals gives over the same minute rows", async () => {
    const { rows: a } = await db.query("INSERT INTO accounts (name, regions, updated_at) VALUES ('a', '{us-east-1}', now()) RETURNING id");
    const ids: number[] = [];
    for (let f = 0; f < 3; f++) {
      const { rows } = await db.query("INSERT INTO resources (account_id, region, kind, arn, name) VALUES ($1, 'us-east-1', 'lambda', $2, $3) RETURNING id", [a[0].id, `arn:aws:lambda:us-east-1:1:function:f${f}`, `f${f}`]);
      ids.push(rows[0].id);
    }
    // Varied minutes, some outside every window (older, and one in the future), with histograms and longest durations.
    const seeded: MinuteRollup[] = [];
    let k = 0;
    for (const id of ids) {
      for (const ago of [-1, 0, 1, 4, 5, 9, 10, 14, 29, 30, 31]) {
        k++;
        const r: MinuteRollup = {
          resourceId: id, minute: Math.floor(NOW / MIN) * MIN - ago * MIN, invocations: 10 + k, errors: k % 3, timeouts: k % 2, outOfMemory: k % 5 === 0 ? 1 : 0, crashes: k % 7 === 0 ? 1 : 0,
          coldStarts: k % 4, costUsd: k / 1000, histBuckets: [100 + (k % 3), 200 + (k % 5)], histCounts: [5 + k, 5], maxDurationMs: k % 6 === 0 ? null : 100 + k,
        };
        seeded.push(r);
        await db.query(
          `INSERT INTO rollup_minute (resource_id, bucket_start, invocations, errors, timeouts, out_of_memory, crashes, cold_starts, cost_usd, hist_buckets, hist_counts, max_duration_ms)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [r.resourceId, new Date(r.minute), r.invocations, r.errors, r.timeouts, r.outOfMemory, r.crashes, r.coldStarts, r.costUsd, r.histBuckets, r.histCounts, r.maxDurationMs],
        );
      }
    }
    const policy = (window: number, kind: string) => ({ window_minutes: window, condition_kind: kind }) as PolicyRow;
    const policies = [policy(5, "error_rate"), policy(10, "p99_duration"), policy(15, "cost_per_hour"), policy(30, "p95_duration")];
    const got = await readWindowTotals(db, policies, ids, NOW);
    for (const p of policies) {
      const expected = windowTotals(seeded, p.window_minutes, NOW);
      for (const id of ids) {
        const g = got.get(p.window_minutes)!.get(id)!;
        const e = expected.get(id)!;
        expect({ ...g, costUsd: Number(g.costUsd.toFixed(9)), hist: Object.fromEntries(g.hist) }).toEqual({ ...e, costUsd: Number(e.costUsd.toFixed(9)), hist: Object.fromEntries(e.hist) });
      }
    }
  });
});
