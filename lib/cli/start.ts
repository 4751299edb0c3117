import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { dataDir, env } from "../env";
import { EMBEDDED_URL_FILE } from "../db/database-url";
import { startEmbeddedPostgres, writeUrlFile, type EmbeddedServer } from "../db/embedded";
import { applyMigrations } from "../db/migrate";
import { redactUrl } from "../db/url";
import { buildWebApp } from "./build";
import { buildIsCurrent } from "./build-stamp";
import { CliError } from "./main";
import { portInUse, ROOT, stopChild } from "./processes";
import { prepareSandbox } from "./sandbox-wiring";

const say = (msg: string) => process.stdout.write(`osprey: ${msg}\n`);

// A terminal's Ctrl-C, and a supervisor's SIGTERM, go to the whole process group. The web server and
// the workers stay in it (the workers let their jobs in flight finish); what those jobs still talk to,
// the sandbox and the embedded Postgres, runs in groups of its own and is stopped after them. The
// sandbox also exits when this process dies (its IPC channel closes), so nothing outlives Osprey.
const WORKER_GRACE_MS = 10_000;

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

const TSX_LOADER = () => `file://${path.join(ROOT, "node_modules/tsx/dist/loader.mjs")}`;
const NEXT_BIN = () => path.join(ROOT, "node_modules/next/dist/bin/next");

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
    say("stopping...");
    // Jobs are idempotent and commit with their cursors: one still running after the grace is killed
    // and picks up where it committed next time.
    await Promise.all(children.filter((c) => c !== sandboxChild).map((c) => stopChild(c, c === workers ? WORKER_GRACE_MS : undefined)));
    if (sandboxChild) await stopChild(sandboxChild);
    if (embedded) {
      await embedded.stop().catch(() => {});
      rmSync(urlFile, { force: true });
    }
    say("stopped");
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
    workers = nodeChild("workers", ["--import", TSX_LOADER(), path.join(ROOT, "bin/osprey.ts"), "workers"], childEnv);
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
    await new Promise(() => {});
    return 0;
  } catch (err) {
    say(err instanceof CliError ? err.message : `failed: ${(err as Error).stack ?? err}`);
    await shutdown(err instanceof CliError ? err.exitCode : 1);
    return 1;
  }
}
