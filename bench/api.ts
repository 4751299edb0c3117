// API latency over HTTP against the production build: `npm run bench:api` (options: --requests N, --invocations N).
// Seeds (or reuses) a database of 1,000 functions and 30 days of data, starts `next start` on it,
// measures p50/p95 per endpoint with varied parameters and appends the figures to BENCHMARKS.md.
import "dotenv/config";
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { buildWebApp } from "@/lib/cli/build";
import { buildIsCurrent } from "@/lib/cli/build-stamp";
import { freePort } from "@/lib/db/embedded";
import { openBenchDatabase } from "./api-db";
import { benchSession } from "./session";
import { seedApiBench, type SeedInfo } from "./seed-api";
import { refreshStatsSummaries } from "@/lib/db/stats-summary-refresh";

const ROOT = process.cwd();
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const REQUESTS = arg("requests", 200);
const WARMUP = 20;
const INVOCATIONS = arg("invocations", 10_000_000);

interface Case {
  name: string;
  target: number | null;
  urls: string[];
}

interface Sample {
  ids: number[];
  requests: { id: number; requestId: string }[];
  errorGroups: number[];
}

async function sample(db: pg.Pool, seed: SeedInfo): Promise<Sample> {
  const ids = (await db.query<{ id: number }>("SELECT id FROM resources ORDER BY id")).rows.map((r) => r.id);
  const { rows: reqs } = await db.query<{ resource_id: number; request_id: string }>(
    `SELECT resource_id, request_id FROM invocations TABLESAMPLE SYSTEM (1)
      WHERE day >= ($1::timestamptz AT TIME ZONE 'UTC')::date - 1 AND started_at >= $1::timestamptz - interval '1 day' LIMIT 400`,
    [new Date(seed.seededAt)],
  );
  const errorGroups = (await db.query<{ id: number }>("SELECT id FROM error_groups ORDER BY count DESC LIMIT 50")).rows.map((r) => r.id);
  return { ids, requests: reqs.map((r) => ({ id: r.resource_id, requestId: r.request_id })), errorGroups };
}

function cases(s: Sample, to: number): Case[] {
  const pick = <T>(xs: T[], i: number) => xs[(i * 7919) % xs.length];
  const ranges = ["1h", "24h", "7d", "30d"];
  const n = REQUESTS + WARMUP;
  const seq = (f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));
  return [
    { name: "overview", target: 100, urls: seq((i) => `/api/v1/overview?range=${ranges[i % 4]}&to=${to}${i % 5 === 4 ? "&account=1" : ""}`) },
    { name: "resources list", target: 100, urls: seq((i) => `/api/v1/resources?${listQuery(i)}&to=${to}`) },
    { name: "resource detail", target: null, urls: seq((i) => `/api/v1/resources/${pick(s.ids, i)}`) },
    {
      name: "resource series",
      target: 50,
      urls: seq((i) => {
        const metrics = ["invocations,errors,throttles", "duration:p50,duration:p95,duration:p99", "memory,memory_size,cold_starts", "cost,concurrency"][i % 4];
        return `/api/v1/resources/${pick(s.ids, i)}/series?range=${["24h", "7d", "1h", "30d"][i % 4]}&to=${to}&metric=${metrics}`;
      }),
    },
    {
      name: "invocation list",
      target: 50,
      urls: seq((i) => {
        const f = ["", "&status=error,timeout", "&coldStart=true", "&minDurationMs=500", "&retry=true", "&q=order"][i % 6];
        return `/api/v1/resources/${pick(s.ids.slice(0, 200), i)}/invocations?range=${["24h", "7d", "1h"][i % 3]}&to=${to}${f}&limit=50`;
      }),
    },
    {
      name: "invocation detail",
      target: 30,
      urls: seq((i) => {
        const r = pick(s.requests, i);
        return `/api/v1/resources/${r.id}/invocations/${r.requestId}`;
      }),
    },
    { name: "errors list", target: null, urls: seq((i) => `/api/v1/errors?range=${["24h", "7d"][i % 2]}&to=${to}`) },
    { name: "error detail", target: null, urls: seq((i) => `/api/v1/errors/${pick(s.errorGroups, i)}?range=7d&to=${to}`) },
    { name: "cost", target: null, urls: seq((i) => `/api/v1/cost?range=${["30d", "7d"][i % 2]}&to=${to}`) },
  ];
}

// The function list's default range and the ranges people open most, with varied sorts and filters.
function listQuery(i: number): string {
  const listRanges = ["24h", "24h", "7d", "1h", "30d"];
  const sorts = ["invocations", "errors", "errorRate", "p95", "p99", "costUsd", "coldStartRate", "memoryUsedRatio", "name"];
  const filters = ["", "&region=us-east-1", "&runtime=nodejs20.x", "&q=orders", "&tag=env:prod", "&filter=errorRate:gt:0.01"];
  return `range=${listRanges[i % 5]}&sort=${sorts[i % sorts.length]}&order=${i % 2 ? "asc" : "desc"}${filters[i % filters.length]}&limit=50`;
}

/**
 * Against a server whose result cache is off (OSPREY_RESULT_CACHE_MS=0): every request does the
 * work the first view of a newly opened dashboard does. The preset ranges ending now are what the
 * UI asks for, answered from the summaries the workers keep (refreshed here as the workers do);
 * a range ending elsewhere (an API caller's `from`/`to`) reads the rollups.
 */
function firstViewCases(to: number): Case[] {
  const ranges = ["1h", "24h", "7d", "30d"];
  const n = REQUESTS + WARMUP;
  const seq = (f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));
  const hoursBack = (i: number) => `&to=${to - (1 + (i % 48)) * 3_600_000}`;
  return [
    { name: "overview, first view", target: 100, urls: seq((i) => `/api/v1/overview?range=${ranges[i % 4]}${i % 5 === 4 ? "&account=1" : ""}`) },
    { name: "resources list, first view", target: 100, urls: seq((i) => `/api/v1/resources?${listQuery(i)}`) },
    { name: "overview, range ending in the past, no cache", target: null, urls: seq((i) => `/api/v1/overview?range=${ranges[i % 4]}${hoursBack(i)}`) },
    { name: "resources list, range ending in the past, no cache", target: null, urls: seq((i) => `/api/v1/resources?${listQuery(i)}${hoursBack(i)}`) },
  ];
}

async function waitForServer(base: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${base}/api/health`);
      if (r.status < 500) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("next start did not answer within 60 s");
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

async function measure(base: string, cookie: string, c: Case): Promise<{ p50: number; p95: number; max: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < c.urls.length; i++) {
    const t0 = performance.now();
    const res = await fetch(base + c.urls[i], { headers: { cookie } });
    const body = await res.arrayBuffer();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`${c.urls[i]}: HTTP ${res.status} ${Buffer.from(body).toString("utf8").slice(0, 300)}`);
    if (i >= WARMUP) {
      times.push(ms);
      bytes += body.byteLength;
    }
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), max: times[times.length - 1], bytes: bytes / times.length };
}

async function main() {
  const bench = await openBenchDatabase();
  const db = new pg.Pool({ connectionString: bench.url, max: 2 });
  let server: ChildProcess | undefined;
  try {
    const seed = await seedApiBench(db, { functions: 1000, invocations: INVOCATIONS, days: 30, log: (m) => console.log(m) });
    const s = await sample(db, seed);
    const { rows: sizes } = await db.query<{ inv: string; minute: string; hour: string; day: string; logs: string }>(
      `SELECT (SELECT count(*) FROM invocations) AS inv, (SELECT count(*) FROM rollup_minute) AS minute, (SELECT count(*) FROM rollup_hour) AS hour,
              (SELECT count(*) FROM rollup_day) AS day, (SELECT count(*) FROM log_events) AS logs`,
    );
    if (!buildIsCurrent(ROOT)) {
      console.log("building the web app (sources changed since the last build)...");
      await buildWebApp();
    }
    const results: { c: Case; r: Awaited<ReturnType<typeof measure>> }[] = [];
    const run = async (serverEnv: Record<string, string>, list: Case[]) => {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      server = spawn(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: bench.url, NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "warn", OSPREY_SANDBOX: "off", ...serverEnv },
        stdio: ["ignore", "ignore", "inherit"],
      });
      await waitForServer(base, server);
      const cookie = await benchSession(base, { databaseUrl: bench.url });
      for (const c of list) {
        const r = await measure(base, cookie, c);
        results.push({ c, r });
        console.log(`${c.name.padEnd(18)} p50 ${r.p50.toFixed(1).padStart(7)} ms  p95 ${r.p95.toFixed(1).padStart(7)} ms  max ${r.max.toFixed(1).padStart(7)} ms`);
      }
      server.kill("SIGTERM");
      await new Promise((r) => server!.once("exit", r));
    };
    await run({}, cases(s, seed.seededAt));
    // The workers refresh the summaries every minute: so does the bench while it measures.
    const refresh = async () => {
      const t0 = performance.now();
      const counts = await refreshStatsSummaries(db);
      refreshMs.push(performance.now() - t0);
      return counts;
    };
    const refreshMs: number[] = [];
    await refresh();
    const timer = setInterval(() => void refresh().catch((err) => console.error("summary refresh failed:", err)), 60_000);
    try {
      await run({ OSPREY_RESULT_CACHE_MS: "0" }, firstViewCases(seed.seededAt));
    } finally {
      clearInterval(timer);
    }
    const refreshNote = `Summary refresh (all four presets, 1,000 functions, as the workers run it every minute): ${refreshMs.map((m) => Math.round(m)).join(", ")} ms.`;
    console.log(refreshNote);
    const lines = [
      "| endpoint | p50 ms | p95 ms | max ms | target p95 | met | avg response |",
      "|---|---:|---:|---:|---:|:-:|---:|",
      ...results.map(({ c, r }) =>
        `| ${c.name} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)} | ${c.target ? `< ${c.target} ms` : "-"} | ${c.target ? (r.p95 < c.target ? "yes" : "**no**") : "-"} | ${(r.bytes / 1024).toFixed(1)} KiB |`,
      ),
    ];
    console.log("\n" + lines.join("\n"));
    const memGb = (os.totalmem() / 2 ** 30).toFixed(1);
    const section = [
      "",
      `## API latency (bench:api), ${new Date().toISOString().slice(0, 10)}`,
      "",
      `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown"}), ${memGb} GiB RAM, Node ${process.version}, ${bench.kind}.`,
      `Data: ${s.ids.length} functions, ${Number(sizes[0].inv).toLocaleString("en")} invocations over ${seed.days} days, rollups ${Number(sizes[0].minute).toLocaleString("en")} minute / ${Number(sizes[0].hour).toLocaleString("en")} hour / ${Number(sizes[0].day).toLocaleString("en")} day rows, ${Number(sizes[0].logs).toLocaleString("en")} log events (last 24 h).`,
      `Method: production build (\`next start\`), ${REQUESTS} sequential requests per endpoint after ${WARMUP} warm-up requests, parameters varied (ranges 1h/24h/7d/30d, sort columns, filters, functions, request ids). "First view" and "no cache" rows: a second server with its result cache off (\`OSPREY_RESULT_CACHE_MS=0\`), so each request does the work of a dashboard's first view; presets end now and read the summaries the workers keep, ranges ending in the past read the rollups.`,
      refreshNote,
      "",
      ...lines,
      "",
    ].join("\n");
    const file = path.join(ROOT, "BENCHMARKS.md");
    if (!existsSync(file) || !readFileSync(file, "utf8").trim()) appendFileSync(file, "# Benchmarks\n");
    appendFileSync(file, section);
    console.log(`\nappended to ${file}`);
  } finally {
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server!.once("exit", r));
    }
    await db.end();
    await bench.stop();
  }
}

await main();
