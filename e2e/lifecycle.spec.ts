import { expect, test } from "@playwright/test";
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

// `osprey start` as a user runs it: embedded Postgres, migrations, workers, web; then stopped.
const ROOT = path.resolve(import.meta.dirname, "..");

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function start(env: Record<string, string>, opts: { ownProcessGroup?: boolean } = {}): { child: ChildProcess; output: () => string } {
  let out = "";
  const child = spawn(path.join(ROOT, "bin/osprey"), ["start", "--no-build"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: "", OSPREY_SANDBOX: "off", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: opts.ownProcessGroup ?? false,
  });
  child.stdout!.on("data", (b) => (out += b));
  child.stderr!.on("data", (b) => (out += b));
  return { child, output: () => out };
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once("exit", (code) => r(code)));
}

function descendants(pid: number): number[] {
  let out = "";
  try {
    out = execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" });
  } catch {
    return [];
  }
  const kids = out.split("\n").filter(Boolean).map(Number);
  return kids.flatMap((k) => [k, ...descendants(k)]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitHealthy(port: number): Promise<void> {
  await expect
    .poll(async () => (await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null))?.status ?? 0, { timeout: 90_000 })
    .toBe(200);
}

/** Creates the owner through the setup link `start` printed; returns the session cookie. */
async function setUpOwner(output: string, port: number): Promise<string> {
  const link = output.match(/no user yet: create the owner at (\S+)/)?.[1];
  expect(link, output).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/setup\\?token=[A-Za-z0-9_-]{43}$`));
  const token = new URL(link!).searchParams.get("token");
  const res = await fetch(`http://127.0.0.1:${port}/api/setup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token, name: "Lifecycle Owner", email: "owner@lifecycle.test", password: "lifecycle-password-1" }),
  });
  expect(res.status).toBe(201);
  // The link works once.
  const again = await fetch(`http://127.0.0.1:${port}/api/setup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token, name: "Someone Else", email: "else@lifecycle.test", password: "lifecycle-password-2" }),
  });
  expect(again.status).toBe(403);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

test.describe.configure({ mode: "serial" });

let dataDir: string;
test.beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "osprey-lifecycle-"));
});
test.afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test("starts on an embedded Postgres, keeps its data across restarts, and SIGTERM leaves no process behind", async () => {
  test.setTimeout(180_000);
  const port = await freePort();
  const first = start({ PORT: String(port), OSPREY_DATA_DIR: dataDir });
  await waitHealthy(port);
  expect(first.output()).toContain(`ready: http://127.0.0.1:${port}`);
  expect((await fetch(`http://127.0.0.1:${port}/api/v1/accounts`)).status).toBe(401);
  const cookie = await setUpOwner(first.output(), port);

  const created = await fetch(`http://127.0.0.1:${port}/api/v1/accounts`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie },
    body: JSON.stringify({ name: "kept", regions: ["us-east-1"] }),
  });
  expect(created.status).toBe(201);

  const postmaster = Number(readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
  const tree = [first.child.pid!, ...descendants(first.child.pid!), postmaster, ...descendants(postmaster)];
  expect(tree.length).toBeGreaterThan(4);
  first.child.kill("SIGTERM");
  expect(await exited(first.child)).toBe(0);
  await expect.poll(() => tree.filter(alive), { timeout: 20_000 }).toEqual([]);
  expect(existsSync(path.join(dataDir, "pg", "postmaster.pid"))).toBe(false);

  const second = start({ PORT: String(port), OSPREY_DATA_DIR: dataDir });
  await waitHealthy(port);
  // The owner exists: no setup link any more, and the session outlived the restart.
  expect(second.output()).not.toContain("no user yet");
  const accounts = await (await fetch(`http://127.0.0.1:${port}/api/v1/accounts`, { headers: { cookie } })).json();
  expect(accounts.data.map((a: { name: string }) => a.name)).toContain("kept");
  second.child.kill("SIGINT");
  expect(await exited(second.child)).toBe(0);
});

// A terminal's Ctrl-C (SIGINT), and a supervisor's stop (SIGTERM: Playwright, systemd, Docker), go to
// every process of the group at once, Postgres included.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  test(`${signal} to the whole process group stops everything within 5 s, the workers on a database still up, and leaves no process behind`, async () => {
    test.setTimeout(180_000);
    const port = await freePort();
    const ownDir = mkdtempSync(path.join(os.tmpdir(), "osprey-group-signal-"));
    const run = start({ PORT: String(port), OSPREY_DATA_DIR: ownDir, OSPREY_SANDBOX: "on", OSPREY_SANDBOX_PORT: "0" }, { ownProcessGroup: true });
    await waitHealthy(port);
    // The first pass over a day of sandbox history keeps the log jobs busy for a while: stop during it.
    await expect.poll(async () => (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()).workers?.alive ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 2_000));
    const postmaster = Number(readFileSync(path.join(ownDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
    const tree = [run.child.pid!, ...descendants(run.child.pid!), postmaster, ...descendants(postmaster)];
    expect(tree.length).toBeGreaterThan(5);
    const sentAt = Date.now();
    process.kill(-run.child.pid!, signal);
    expect(await exited(run.child)).toBe(0);
    // Everything, the sandbox and Postgres included, is gone within 5 s of Ctrl-C.
    await expect.poll(() => tree.filter(alive), { timeout: 5_000, intervals: [50] }).toEqual([]);
    expect(Date.now() - sentAt).toBeLessThan(5_000);
    expect(run.output()).not.toMatch(/shutting down|terminating connection|Cannot use a pool|Failed task/);
    expect(run.output()).toContain("osprey: stopped");
    rmSync(ownDir, { recursive: true, force: true });
  });
}

test("a port already in use gets a clear message", async () => {
  const port = await freePort();
  const blocker = net.createServer().listen(port, "127.0.0.1");
  try {
    const run = start({ PORT: String(port), OSPREY_DATA_DIR: dataDir });
    expect(await exited(run.child)).toBe(1);
    expect(run.output()).toContain(`port ${port} on 127.0.0.1 is already in use`);
  } finally {
    blocker.close();
  }
});

test("bad configuration gets one line naming the variable and exit code 2", async () => {
  const run = start({ PORT: "not-a-port", OSPREY_DATA_DIR: dataDir });
  expect(await exited(run.child)).toBe(2);
  const lines = run.output().trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^osprey: Invalid configuration: PORT /);
});
