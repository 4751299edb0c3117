// What the push benchmarks (bench:push, bench:freshness --mode push, bench:scale part b) send to: a
// fresh database with an account, its own Firehose key and N functions, the job queue's schema (so a
// delivery requests an alert evaluation as in production; whether anything runs the jobs is the
// benchmark's choice), and Osprey's web server in production mode (`next start`, the last build; built
// first when the sources changed, unless told not to) answering on loopback.
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { makeWorkerUtils } from "graphile-worker";
import pg from "pg";
import { buildWebApp } from "@/lib/cli/build";
import { buildIsCurrent } from "@/lib/cli/build-stamp";
import { generateFirehoseKey, hashFirehoseKey } from "@/lib/crypto/firehose-key";
import { freePort } from "@/lib/db/embedded";
import { benchDatabase } from "./bench-db";

const ROOT = path.resolve(import.meta.dirname, "..");
export const AWS_ACCOUNT = "123456789012";
export const fnName = (i: number) => `push-bench-${String(i).padStart(3, "0")}`;

/** The flags every push benchmark takes, for its parseArgs options. */
export const PUSH_BENCH_FLAGS = {
  // Use the last build even when sources changed since (they must not touch the ingest route).
  "no-build": { type: "boolean", default: false },
  // Print the section without appending it to BENCHMARKS.md (smoke runs).
  "no-report": { type: "boolean", default: false },
} as const;

export interface PushTarget {
  /** A pool on the bench database (what the API reads), for polling. */
  db: pg.Pool;
  /** The bench database's URL, for other processes on it (worker processes). */
  url: string;
  /** The Postgres server, as the report names it. */
  server: string;
  /** The account's functions by name (fnName(i)) → resource id. */
  resourceIds: Map<string, number>;
  /** POSTs one Firehose delivery (an HTTP endpoint request body) with the account's key. */
  post(body: Buffer): Promise<Response>;
  /**
   * post() for a load generator: node:http on kept-alive connections, the answer's status only (its body
   * read and dropped): about a third of the CPU per request that fetch took (0.6 against 1.7 ms in bench:push),
   * spent on the cores the server shares.
   */
  send(body: Buffer): Promise<number>;
  /** Stops the web server alone (the database stays, e.g. to measure on its rows); close() does it too. */
  stopWeb(): Promise<void>;
  close(): Promise<void>;
}

async function waitForServer(base: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    const r = await fetch(`${base}/api/health`).catch(() => null);
    if (r && r.status < 500) return;
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new Error("next start did not answer within 120 s");
}

/**
 * The account the deliveries belong to, with its Firehose key, and `functions` functions. `regions`: the
 * regions the account's scheduled pull jobs cover; an empty list schedules none (push only).
 */
async function setUpAccount(db: pg.Pool, url: string, functions: number, regions: string[]): Promise<{ key: string; resourceIds: Map<string, number> }> {
  const utils = await makeWorkerUtils({ connectionString: url });
  await utils.migrate();
  await utils.release();
  const { rows } = await db.query<{ id: number }>("INSERT INTO accounts (name, aws_account_id, regions, updated_at) VALUES ('push bench', $1, $2, now()) RETURNING id", [AWS_ACCOUNT, regions]);
  const accountId = rows[0].id;
  const key = generateFirehoseKey(accountId);
  await db.query("INSERT INTO account_firehose_keys (account_id, key_hash, hint) VALUES ($1, $2, 'bench')", [accountId, hashFirehoseKey(key)]);
  const resourceIds = new Map<string, number>();
  for (let i = 0; i < functions; i++) {
    const r = await db.query<{ id: number }>(
      `INSERT INTO resources (account_id, region, kind, arn, name, config) VALUES ($1, 'us-east-1', 'lambda', $2, $3, $4) RETURNING id`,
      [accountId, `arn:aws:lambda:us-east-1:${AWS_ACCOUNT}:function:${fnName(i)}`, fnName(i), { logGroup: `/aws/lambda/${fnName(i)}`, architecture: "x86_64" }],
    );
    resourceIds.set(fnName(i), r.rows[0].id);
  }
  return { key, resourceIds };
}

export async function startPushTarget(opts: { database: string; functions: number; build: boolean; regions?: string[] }): Promise<PushTarget> {
  const database = await benchDatabase(opts.database);
  const db = new pg.Pool({ connectionString: database.url, max: 3 });
  let server: ChildProcess | undefined;
  const stopWeb = async () => {
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    server.kill("SIGTERM");
    await new Promise((r) => server!.once("exit", r));
  };
  const close = async () => {
    await stopWeb();
    await db.end();
    await database.close();
  };
  try {
    const { key, resourceIds } = await setUpAccount(db, database.url, opts.functions, opts.regions ?? ["us-east-1"]);
    if (opts.build && !buildIsCurrent(ROOT)) {
      console.error("building the web app (sources changed since the last build)...");
      await buildWebApp();
    }
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    // BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"): node options for the server alone, to profile it.
    const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
    server = spawn(process.execPath, [...nodeArgs, path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: database.url, NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "warn", OSPREY_SANDBOX: "off", NODE_ENV: "production" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    await waitForServer(base, server);
    const headers = () => ({ "content-type": "application/json", "x-amz-firehose-request-id": randomUUID(), "x-amz-firehose-access-key": key, "x-amz-firehose-protocol-version": "1.0" });
    const post = (body: Buffer) => fetch(`${base}/api/v1/ingest/firehose`, { method: "POST", headers: headers(), body: new Uint8Array(body) });
    const agent = new http.Agent({ keepAlive: true });
    const send = (body: Buffer) =>
      new Promise<number>((resolve, reject) => {
        const options = { host: "127.0.0.1", port, path: "/api/v1/ingest/firehose", method: "POST", agent, headers: { ...headers(), "content-length": body.length } };
        const req = http.request(options, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
          res.on("error", reject);
        });
        req.on("error", reject);
        req.end(body);
      });
    const closeAll = async () => {
      agent.destroy();
      await close();
    };
    return { db, url: database.url, server: database.server, resourceIds, post, send, stopWeb, close: closeAll };
  } catch (err) {
    await close();
    throw err;
  }
}
