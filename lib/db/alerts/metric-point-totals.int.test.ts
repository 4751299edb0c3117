import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointKey, windowStart } from "@/lib/analysis/alerts/conditions";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { readMetricPointTotals } from "./metric-point-totals";

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

describe("readMetricPointTotals", () => {
  it("gives, for every window, resource and metric, the sum, maximum and count of the points inside it (finest period only)", async () => {
    const { rows: a } = await db.query("INSERT INTO accounts (name, regions, updated_at) VALUES ('a', '{us-east-1}', now()) RETURNING id");
    const ids: number[] = [];
    for (let f = 0; f < 3; f++) {
      const { rows } = await db.query("INSERT INTO resources (account_id, region, kind, arn, name) VALUES ($1, 'us-east-1', 'lambda', $2, $3) RETURNING id", [a[0].id, `arn:aws:lambda:us-east-1:1:function:f${f}`, `f${f}`]);
      ids.push(rows[0].id);
    }
    const minute = Math.floor(NOW / MIN) * MIN;
    const seeded: { id: number; metric: string; stat: string; period: number; ts: number; value: number }[] = [];
    let k = 0;
    for (const id of ids) {
      for (const ago of [-1, 0, 1, 4, 5, 9, 10, 14, 29, 30, 31]) {
        for (const [metric, stat] of [["Throttles", "Sum"], ["IteratorAge", "Maximum"], ["Errors", "Sum"]]) {
          seeded.push({ id, metric, stat, period: 60, ts: minute - ago * MIN, value: ++k % 17 });
        }
      }
      // The first resource also has Throttles at a 5-minute period over the same stretch: never added to the minute points.
      if (id === ids[0]) for (const ago of [5, 10, 30]) seeded.push({ id, metric: "Throttles", stat: "Sum", period: 300, ts: minute - ago * MIN, value: 1000 });
    }
    // Only the third resource has 5-minute points of IteratorAge: they count for it.
    seeded.push({ id: ids[2], metric: "IteratorAge", stat: "p99", period: 300, ts: minute - 5 * MIN, value: 77 });
    for (const p of seeded) {
      await db.query("INSERT INTO metric_points (resource_id, namespace, metric, stat, period_s, ts, value) VALUES ($1, 'AWS/Lambda', $2, $3, $4, $5, $6)", [p.id, p.metric, p.stat, p.period, new Date(p.ts), p.value]);
    }
    const wants = [
      { windowMinutes: 5, metrics: [{ metric: "Throttles", stat: "Sum" }] },
      { windowMinutes: 10, metrics: [{ metric: "IteratorAge", stat: "Maximum" }, { metric: "IteratorAge", stat: "p99" }] },
      { windowMinutes: 30, metrics: [{ metric: "Throttles", stat: "Sum" }] },
    ];
    const got = await readMetricPointTotals(db, ids, wants, NOW);
    for (const w of wants) {
      for (const m of w.metrics) {
        for (const id of ids) {
          const inside = seeded.filter((p) => p.id === id && p.metric === m.metric && p.stat === m.stat && p.ts >= windowStart(NOW, w.windowMinutes) && p.ts <= NOW);
          const finest = Math.min(...inside.map((p) => p.period));
          const pts = inside.filter((p) => p.period === finest);
          const agg = got.get(w.windowMinutes)?.get(id)?.get(pointKey(m.metric, m.stat));
          if (!pts.length) expect(agg, `${w.windowMinutes} ${id} ${m.metric}`).toBeUndefined();
          else expect(agg, `${w.windowMinutes} ${id} ${m.metric}`).toEqual({ sum: pts.reduce((s, p) => s + p.value, 0), max: Math.max(...pts.map((p) => p.value)), n: pts.length });
        }
      }
    }
    // Errors is read by no policy; the future point is outside every window.
    expect(got.get(30)?.get(ids[1])?.has(pointKey("Errors", "Sum"))).toBe(false);
    expect(got.get(30)?.get(ids[0])?.get(pointKey("Throttles", "Sum"))?.n).toBe(8); // minutes 0, 1, 4, 5, 9, 10, 14, 29 ago
    expect(got.get(10)?.get(ids[2])?.get(pointKey("IteratorAge", "p99"))).toEqual({ sum: 77, max: 77, n: 1 });
  });
});
