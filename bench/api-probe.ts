// Query-level timings of the API's lib/db/queries on the seeded bench database, without HTTP:
// `npx tsx bench/api-probe.ts` (seed first with `npm run bench:api` or bench/api-seed-only.ts).
import "dotenv/config";
import pg from "pg";
import { resolveRange } from "@/lib/api/schemas/common";
import { CostQuery } from "@/lib/api/schemas/cost";
import { ErrorListQuery } from "@/lib/api/schemas/errors";
import { InvocationListQuery } from "@/lib/api/schemas/invocations";
import { OverviewQuery } from "@/lib/api/schemas/overview";
import { ResourceListQuery } from "@/lib/api/schemas/resources";
import { SeriesQuery } from "@/lib/api/schemas/series";
import { getCost } from "@/lib/db/queries/cost";
import { listErrorGroups } from "@/lib/db/queries/errors";
import { getInvocation } from "@/lib/db/queries/invocation";
import { listInvocations } from "@/lib/db/queries/invocations";
import { getOverview } from "@/lib/db/queries/overview";
import { listResources } from "@/lib/db/queries/resources";
import { getResourceSeries } from "@/lib/db/queries/series";
import { openBenchDatabase } from "./api-db";
import { readSeed } from "./seed-api";

const bench = await openBenchDatabase();
const db = new pg.Pool({ connectionString: bench.url, max: 10 });
const seed = await readSeed(db);
if (!seed) throw new Error("not seeded");
const to = String(seed.seededAt);

async function time(label: string, f: () => Promise<unknown>, n = 5) {
  const ts: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await f();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  console.log(`${label.padEnd(40)} median ${ts[Math.floor(n / 2)].toFixed(1)} ms  max ${ts[n - 1].toFixed(1)} ms`);
}

const { rows: req } = await db.query(
  `SELECT resource_id, request_id FROM invocations WHERE day = ($1::timestamptz AT TIME ZONE 'UTC')::date AND attempt = 2 LIMIT 1`,
  [new Date(seed.seededAt - 3_600_000)],
);
for (const range of ["1h", "24h", "7d", "30d"]) {
  const oq = OverviewQuery.parse({ range, to });
  await time(`overview ${range}`, () => getOverview(db, oq, resolveRange(oq)));
  const lq = ResourceListQuery.parse({ range, to, sort: "p95" });
  await time(`resources ${range} sort p95`, () => listResources(db, lq, resolveRange(lq)));
  const sq = SeriesQuery.parse({ range, to, metric: "invocations,errors,duration:p95,throttles" });
  await time(`series ${range}`, () => getResourceSeries(db, 1, sq, resolveRange(sq)));
  const iq = InvocationListQuery.parse({ range, to });
  await time(`invocations ${range}`, () => listInvocations(db, 1, iq, resolveRange(iq)));
  const iqe = InvocationListQuery.parse({ range, to, status: "error", q: "order" });
  await time(`invocations ${range} errors+q`, () => listInvocations(db, 1, iqe, resolveRange(iqe)));
  const eq = ErrorListQuery.parse({ range, to });
  await time(`errors ${range}`, () => listErrorGroups(db, eq, resolveRange(eq)));
  const cq = CostQuery.parse({ range, to });
  await time(`cost ${range}`, () => getCost(db, cq, resolveRange(cq), seed.seededAt));
}
if (req[0]) await time("invocation detail (retry)", () => getInvocation(db, req[0].resource_id, req[0].request_id, 2));
await db.end();
await bench.stop();
