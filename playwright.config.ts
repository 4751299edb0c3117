import { defineConfig } from "@playwright/test";
import os from "node:os";
import path from "node:path";

// Debian's Chromium: Playwright cannot download browsers here.
const executablePath = process.env.PLAYWRIGHT_CHROMIUM_PATH || "/usr/bin/chromium";
const isRoot = process.getuid?.() === 0;
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
// Set once by the runner; its workers inherit it, so a spec can reach the same data (bin/osprey users ...).
const dataDir = (process.env.E2E_DATA_DIR ??= path.join(os.tmpdir(), `osprey-e2e-${process.pid}`));
// The first-run setup link's token (OSPREY_SETUP_TOKEN), and where the owner's signed-in browser state is kept.
export const E2E_SETUP_TOKEN = "e2e-setup-token-0123456789abcdef";
export const OWNER_STATE = path.join(import.meta.dirname, "test-results", ".auth", "owner.json");
// Beside the data directory: everything the server writes (at LOG_LEVEL debug), and the secrets the specs used,
// which e2e/secrets-in-logs.spec.ts looks for in that log.
export const E2E_SERVER_LOG = `${dataDir}-server.log`;
export const E2E_SECRETS_FILE = `${dataDir}-secrets.jsonl`;

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      args: [
        ...(isRoot ? ["--no-sandbox"] : []),
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "cli", testMatch: /lifecycle\.spec\.ts/ },
    // Creates the owner through the setup link, as a first-time user does, and keeps the session for the ui projects.
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    { name: "ui", testIgnore: /(lifecycle|sandbox-switch|secrets-in-logs)\.spec\.ts/, dependencies: ["cli", "setup"], use: { storageState: OWNER_STATE } },
    // Switches the sandbox off and on again, which replaces its data: after everything that reads it. Then (files run
    // in name order) the server's log is searched for every secret the run used.
    { name: "ui-last", testMatch: /(sandbox-switch|secrets-in-logs)\.spec\.ts/, dependencies: ["ui"], use: { storageState: OWNER_STATE } },
  ],
  // The real product, as `npm start` runs it: embedded Postgres in a fresh data directory,
  // migrations, workers and the production build of the web app.
  webServer: {
    // Its whole output goes to E2E_SERVER_LOG; what it writes to stderr is shown here too.
    command: `exec bash -c 'exec bin/osprey start --no-build >"$E2E_SERVER_LOG" 2> >(tee -a "$E2E_SERVER_LOG" >&2)'`,
    url: `http://127.0.0.1:${E2E_PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 180_000,
    gracefulShutdown: { signal: "SIGTERM", timeout: 30_000 },
    stdout: "ignore",
    stderr: "pipe",
    env: {
      PORT: String(E2E_PORT),
      HOST: "127.0.0.1",
      DATABASE_URL: "",
      OSPREY_DATA_DIR: dataDir,
      OSPREY_SANDBOX_PORT: "0",
      LOG_LEVEL: "debug",
      OSPREY_SETUP_TOKEN: E2E_SETUP_TOKEN,
      E2E_SERVER_LOG,
    },
  },
});
