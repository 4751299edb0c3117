import pg from "pg";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { dataDir, env, publicUrl } from "../env";
import { issueSetupToken } from "../auth/setup";
import { EMBEDDED_URL_FILE } from "../db/database-url";
import { startEmbeddedPostgres, writeUrlFile, type EmbeddedServer } from "../db/embedded";
import { applyMigrations } from "../db/migrate";
import { redactUrl } from "../db/url";
import { buildWebApp } from "./build";
import { buildIsCurrent } from "./build-stamp";
import { CliError } from "./main";
import { portInUse, ROOT, stopChild } from "./processes";
import { prepareSandbox } from "./sandbox-wiring";
import { prepareSecrets } from "./secrets-startup";

const say = (msg: string) => process.stdout.write(`osprey: ${msg}\n`);

// A terminal's Ctrl-C, and a supervisor's SIGTERM, go to the whole process group. The web server and
// the workers stay in it (the workers let their jobs in flight finish); what those jobs still talk to,
// the sandbox and the embedded Postgres, runs in groups of its own and is stopped after them. The
// sandbox also exits when this process dies (its IPC channel closes), so nothing outlives Osprey.
// Ctrl-C must be done within 5 s: jobs in flight get 1 s (then their AWS calls are aborted, and
// what they committed stays); the sandbox and Postgres then stop side by side.
const WORKER_STOP_GRACE_S = 1;
const WORKER_KILL_MS = WORKER_STOP_GRACE_S * 1000 + 500;
const SANDBOX_KILL_MS = 1_500;
const WEB_KILL_MS = 3_000;

function nodeChild(name: string, args: string[], childEnv: NodeJS.ProcessEnv, opts: { ownGroup?: boolean } = {}): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: childEnv,
    stdio: opts.ownGroup ? ["ignore", "inherit", "inherit", "ipc"] : ["ignore", "inherit", "inherit"],
    detached: opts.ownGroup ?? false,
  });
  child.on("error", (err) => say(`${name} could not start: ${err.message}`));
  return child;
}

async function checkpoint(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("CHECKPOINT");
  } catch {
    // The stop checkpoints anyway.
  } finally {
    await client.end().catch(() => {});
  }
}

const TSX_LOADER = () => `file://${path.join(ROOT, "node_modules/tsx/dist/loader.mjs")}`;
const NEXT_BIN = () => path.join(ROOT, "node_modules/next/dist/bin/next");

/** While nobody can sign in: the token of a one-time setup link (OSPREY_SETUP_TOKEN, else a random one). */
async function issueSetupTokenAt(databaseUrl: string, preset: string | undefined): Promise<string | null> {
  const db = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    return await issueSetupToken(db, preset);
  } finally {
    await db.end();
  }
}

export async function startCommand(args: string[]): Promise<number> {
  const e = env();
  const skipBuild = args.includes("--no-build");
  if (await portInUse(e.PORT, e.HOST)) {
    throw new CliError(`port ${e.PORT} on ${e.HOST} is already in use: stop what uses it, or set PORT to another port`);
  }

  const dir = dataDir(e);
  mkdirSync(dir, { recursive: true });
  const urlFile = path.join(dir, EMBEDDED_URL_FILE);
  const children: ChildProcess[] = [];
  let workers: ChildProcess | undefined;
  let sandboxChild: ChildProcess | undefined;
  let embedded: EmbeddedServer | undefined;
  let stopping = false;

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const stopAt = Date.now();
    say("stopping...");
    // Postgres's shutdown checkpoint writes every dirty buffer; most are written here while the workers
    // use their grace, so the stop itself is quick.
    const flushed = embedded ? checkpoint(embedded.url) : Promise.resolve();
    // Jobs are idempotent and commit with their cursors: one still running after the grace is killed
    // and picks up where it committed next time.
    await Promise.all(children.filter((c) => c !== sandboxChild).map((c) => stopChild(c, c === workers ? WORKER_KILL_MS : WEB_KILL_MS)));
    // At most 2 s into the stop: Postgres's own shutdown finishes the flush (lib/db/embedded.ts bounds it too).
    await Promise.race([flushed, new Promise((r) => setTimeout(r, Math.max(0, stopAt + 2_000 - Date.now())))]);
    await Promise.all([
      sandboxChild && stopChild(sandboxChild, SANDBOX_KILL_MS),
      embedded
        ?.stop()
        .catch(() => {})
        .then(() => rmSync(urlFile, { force: true })),
    ]);
    say(`stopped in ${((Date.now() - stopAt) / 1000).toFixed(1)} s`);
    process.exit(code);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void shutdown(0));

  try {
    let databaseUrl = e.DATABASE_URL;
    if (databaseUrl) {
      say(`using the database at ${redactUrl(databaseUrl)}`);
    } else {
      say(`starting the embedded Postgres in ${path.join(dir, "pg")}`);
      embedded = await startEmbeddedPostgres(path.join(dir, "pg"));
      databaseUrl = embedded.url;
      writeUrlFile(urlFile, databaseUrl);
    }

    const applied = await applyMigrations(databaseUrl);
    say(applied.length ? `applied migrations: ${applied.join(", ")}` : "database schema is current");
    await prepareSecrets(databaseUrl, say);
    const setupToken = await issueSetupTokenAt(databaseUrl, e.OSPREY_SETUP_TOKEN);

    const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, NEXT_TELEMETRY_DISABLED: "1" };

    if (!skipBuild && !buildIsCurrent(ROOT)) {
      say("building the web app (first run, or the sources changed)...");
      await buildWebApp(childEnv);
    }

    const sandbox = await prepareSandbox(databaseUrl, e);
    if (sandbox) {
      say(`sandbox AWS account on ${sandbox.url}`);
      sandboxChild = nodeChild("sandbox", ["--import", TSX_LOADER(), path.join(ROOT, "bin/osprey.ts"), "sandbox", ...sandbox.args], childEnv, { ownGroup: true });
      children.push(sandboxChild);
    }
    const workersEnv = { ...childEnv, OSPREY_WORKER_STOP_GRACE_SECONDS: String(Math.min(e.OSPREY_WORKER_STOP_GRACE_SECONDS, WORKER_STOP_GRACE_S)) };
    workers = nodeChild("workers", ["--import", TSX_LOADER(), path.join(ROOT, "bin/osprey.ts"), "workers"], workersEnv);
    children.push(workers);
    children.push(nodeChild("web", [NEXT_BIN(), "start", "-p", String(e.PORT), "-H", e.HOST], childEnv));

    for (const c of children) {
      c.on("exit", (code, signal) => {
        if (stopping) return;
        say(`a child process exited (${signal ?? `code ${code}`}); stopping the rest`);
        void shutdown(1);
      });
    }
    const shownHost = e.HOST === "0.0.0.0" ? "localhost" : e.HOST;
    say(`ready: http://${shownHost}:${e.PORT}  (Ctrl-C stops everything)`);
    // A preset token is known to whoever set it: it stays out of the output (and so out of any log of it).
    if (setupToken && e.OSPREY_SETUP_TOKEN) say(`no user yet: create the owner at ${publicUrl(e)}/setup?token=<the value of OSPREY_SETUP_TOKEN>  (this link works once)`);
    else if (setupToken) say(`no user yet: create the owner at ${publicUrl(e)}/setup?token=${setupToken}  (this link works once)`);
    await new Promise(() => {});
    return 0;
  } catch (err) {
    say(err instanceof CliError ? err.message : `failed: ${(err as Error).stack ?? err}`);
    await shutdown(err instanceof CliError ? err.exitCode : 1);
    return 1;
  }
}
