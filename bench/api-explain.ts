// EXPLAIN ANALYZE of the resource-stats query on the bench database: `npx tsx bench/api-explain.ts 24h`.
import "dotenv/config";
import pg from "pg";
import { RANGE_PRESETS } from "@/lib/api/schemas/common";
import { resourceStatsSql } from "@/lib/db/queries/resource-stats";
import { openBenchDatabase } from "./api-db";
import { readSeed } from "./seed-api";

const bench = await openBenchDatabase();
const db = new pg.Pool({ connectionString: bench.url, max: 2 });
const seed = (await readSeed(db))!;
const span = RANGE_PRESETS[(process.argv[2] ?? "24h") as keyof typeof RANGE_PRESETS];
const { sql, params } = resourceStatsSql({ kind: "lambda" }, seed.seededAt - span, seed.seededAt);
const c = await db.connect();
await c.query("SET work_mem = '64MB'");
const { rows: plan } = await c.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
console.log(plan.map((r) => r["QUERY PLAN"]).join("\n"));
c.release();
await db.end();
await bench.stop();
