// Seeds (or reuses) the API bench database without measuring: `npx tsx bench/api-seed-only.ts [invocations]`.
import "dotenv/config";
import pg from "pg";
import { openBenchDatabase } from "./api-db";
import { seedApiBench } from "./seed-api";

const invocations = Number(process.argv[2] ?? 10_000_000);
const bench = await openBenchDatabase();
const db = new pg.Pool({ connectionString: bench.url, max: 2 });
try {
  const info = await seedApiBench(db, { functions: 1000, invocations, days: 30, log: (m) => console.log(m) });
  console.log(JSON.stringify(info));
} finally {
  await db.end();
  await bench.stop();
}
