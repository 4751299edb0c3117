// npm run bench:ui – time to first meaningful render of each page in Chromium: from navigation
// start until the page's main data (tiles, table rows, charts) is on screen. Against BENCH_UI_URL,
// or else a production server started here: by default on the API bench's database (1,000 functions,
// 30 days, 10 M invocations; seeded or reused as bench:api does, web server only), or with
// BENCH_UI_DB=sandbox the whole product (`bin/osprey start --no-build`) on the sandbox.
// Median and p95 of LOADS fresh-context loads per page; a dated section is appended to BENCHMARKS.md.
import { chromium, type Browser } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { buildWebApp } from "@/lib/cli/build";
import { buildIsCurrent } from "@/lib/cli/build-stamp";
import { openBenchDatabase } from "./api-db";
import { seedApiBench } from "./seed-api";
import { BENCH_SETUP_TOKEN, benchSession, browserCookies } from "./session";

const ROOT = path.resolve(import.meta.dirname, "..");
const LOADS = Number(process.env.BENCH_UI_LOADS ?? 10);
const TARGET_MS = 1500;
const ON_SANDBOX = process.env.BENCH_UI_DB === "sandbox";
const INVOCATIONS = Number(process.env.BENCH_UI_INVOCATIONS ?? 10_000_000);

interface PageSpec {
  name: string;
  path: string;
  ready: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

// The bench owner's session, once the server is up.
let cookie = "";

async function getJson<T>(url: string): Promise<T | null> {
  try {
    const res = await fetch(url, { headers: { cookie } });
    return res.ok ? ((await res.json()) as T) : null;
  } catch {
    return null;
  }
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

interface Server {
  url: string;
  /** How the bench owner is first created: a setup token the server was started with, or the database to issue one in. */
  setup: { databaseUrl?: string; setupToken?: string };
  describe: string;
  stop(): Promise<void>;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
}

/** The web server alone on the API bench's database: its accounts are made up, so no workers poll them. */
async function startOnBenchDatabase(): Promise<Server> {
  const bench = await openBenchDatabase();
  const db = new pg.Pool({ connectionString: bench.url, max: 2 });
  const seed = await seedApiBench(db, { functions: 1000, invocations: INVOCATIONS, days: 30, log: (m) => console.log(m) }).finally(() => db.end());
  if (!buildIsCurrent(ROOT)) await buildWebApp();
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: bench.url, NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "warn", OSPREY_SANDBOX: "off" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor("the server's health check", 180_000, async () => (await fetch(`${url}/api/health`).catch(() => null))?.status !== undefined);
  return {
    url,
    setup: { databaseUrl: bench.url },
    describe: `\`next start\` (production build) on the API bench database (${bench.kind}: ${seed.functions} functions, ${seed.invocations.toLocaleString("en")} invocations over ${seed.days} days, seeded ${new Date(seed.seededAt).toISOString().slice(0, 16)}Z)`,
    stop: async () => {
      await stopChild(child);
      await bench.stop();
    },
  };
}

async function startServer(): Promise<Server> {
  const port = await freePort();
  const dataDir = process.env.OSPREY_DATA_DIR ? null : mkdtempSync(path.join(os.tmpdir(), "osprey-bench-ui-"));
  const child = spawn(path.join(ROOT, "bin/osprey"), ["start", "--no-build"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn", OSPREY_SETUP_TOKEN: BENCH_SETUP_TOKEN, ...(dataDir ? { OSPREY_DATA_DIR: dataDir } : {}) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor("the server's health check", 180_000, async () => (await fetch(`${url}/api/health`).catch(() => null))?.status === 200);
  return {
    url,
    setup: { setupToken: BENCH_SETUP_TOKEN },
    describe: `\`bin/osprey start --no-build\` (production build)${process.env.DATABASE_URL ? " on DATABASE_URL" : ", embedded Postgres"} with the sandbox`,
    stop: async () => {
      await stopChild(child);
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

async function measure(browser: Browser, base: string, spec: PageSpec): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i <= LOADS; i++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addCookies(browserCookies(cookie, base));
    const page = await context.newPage();
    await page.goto(base + spec.path, { waitUntil: "commit" });
    await page.locator(spec.ready).first().waitFor({ state: "visible", timeout: 60_000 });
    const ms = await page.evaluate(() => performance.now());
    await context.close();
    // The first load warms the server (route compilation caches, database buffers) and is not counted.
    if (i > 0) times.push(ms);
  }
  return times.sort((a, b) => a - b);
}

async function main() {
  const server = process.env.BENCH_UI_URL ? null : ON_SANDBOX ? await startServer() : await startOnBenchDatabase();
  const base = (process.env.BENCH_UI_URL ?? server!.url).replace(/\/$/, "");
  cookie = await benchSession(base, server?.setup ?? {});
  try {
    type List = { data: { id: number; name: string }[]; meta: { total: number } };
    const list = await waitFor("functions with data (the sandbox needs a minute or two)", 240_000, async () => {
      const l = await getJson<List>(`${base}/api/v1/resources?range=24h&limit=1&sort=invocations&order=desc`);
      return l && l.data.length && l.meta.total > 0 ? l : null;
    });
    if (server && ON_SANDBOX) {
      // A server started here backfills the sandbox's day of logs first; measuring during that
      // would measure the backfill. Wait until every account region's logs, metrics and traces
      // jobs have each finished once.
      type Overview = { data: { ingest: { jobs: { job: string; lastSuccessAt: string | null }[] }[] } };
      await waitFor("the workers' first pass", 600_000, async () => {
        const o = await getJson<Overview>(`${base}/api/v1/overview?range=1h`);
        const done = (jobs: { job: string; lastSuccessAt: string | null }[], job: string) => jobs.some((j) => j.job === job && j.lastSuccessAt);
        return o && o.data.ingest.length > 0 && o.data.ingest.every((r) => ["logs", "metrics", "traces"].every((j) => done(r.jobs, j)));
      });
    }
    const fn = list.data[0];
    const inv = await waitFor("an invocation", 120_000, async () => (await getJson<{ data: { requestId: string }[] }>(`${base}/api/v1/resources/${fn.id}/invocations?limit=1`))?.data[0]);
    const pages: PageSpec[] = [
      { name: "overview", path: "/", ready: '[data-testid="tile-invocations-value"]' },
      { name: "functions", path: "/functions", ready: '[data-testid="function-row"]' },
      { name: "function", path: `/functions/${fn.id}`, ready: '[data-testid="chart-invocations"][data-state="ready"]' },
      { name: "invocation", path: `/functions/${fn.id}/invocations/${encodeURIComponent(inv.requestId)}`, ready: '[data-testid="invocation-summary"]' },
      { name: "cost", path: "/cost", ready: '[data-testid="cost-table"]' },
      { name: "settings", path: "/settings", ready: '[data-testid="account-row"]' },
    ];
    const browser = await chromium.launch({
      executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH || "/usr/bin/chromium",
      args: [...(process.getuid?.() === 0 ? ["--no-sandbox"] : []), "--disable-gpu", "--disable-background-networking"],
    });
    const rows: { name: string; median: number; p95: number }[] = [];
    try {
      for (const spec of pages) {
        const t = await measure(browser, base, spec);
        const row = { name: spec.name, median: quantile(t, 0.5), p95: quantile(t, 0.95) };
        rows.push(row);
        console.log(`${spec.name.padEnd(11)} median ${row.median.toFixed(0).padStart(5)} ms   p95 ${row.p95.toFixed(0).padStart(5)} ms`);
      }
    } finally {
      await browser.close();
    }
    const mem = (os.totalmem() / 2 ** 30).toFixed(1);
    const lines = [
      "",
      `## UI first meaningful render – ${new Date().toISOString().slice(0, 10)}`,
      "",
      `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown"}), ${mem} GiB memory, Node ${process.version}, Debian Chromium headless. ` +
        `Server: ${server ? server.describe : `BENCH_UI_URL ${base}`}; ` +
        `${list.meta.total} functions in the last 24 h. ${LOADS} loads per page in a fresh browser context (cold browser cache), after one warm-up load; ` +
        `time from navigation start until the page's main data is visible (target ${TARGET_MS} ms).`,
      "",
      "| page | ready when | median | p95 | target |",
      "|---|---|---|---|---|",
      ...rows.map((r) => `| ${r.name} | \`${pages.find((p) => p.name === r.name)!.ready}\` | ${r.median.toFixed(0)} ms | ${r.p95.toFixed(0)} ms | ${r.p95 <= TARGET_MS ? "met" : "missed"} |`),
      "",
    ];
    const file = path.join(ROOT, "BENCHMARKS.md");
    appendFileSync(file, (existsSync(file) ? "" : "# Benchmarks\n") + lines.join("\n"));
    console.log(`appended to ${file}`);
  } finally {
    if (server) await server.stop();
  }
}

await main();
