import { defineConfig } from "@playwright/test";
import os from "node:os";
import path from "node:path";

// Debian's Chromium: Playwright cannot download browsers here.
const executablePath = process.env.PLAYWRIGHT_CHROMIUM_PATH || "/usr/bin/chromium";
const isRoot = process.getuid?.() === 0;
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
const dataDir = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), `osprey-e2e-${process.pid}`);

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
    { name: "ui", testIgnore: /(lifecycle|sandbox-switch)\.spec\.ts/, dependencies: ["cli"] },
    // Switches the sandbox off and on again, which replaces its data: after everything that reads it.
    { name: "ui-last", testMatch: /sandbox-switch\.spec\.ts/, dependencies: ["ui"] },
  ],
  // The real product, as `npm start` runs it: embedded Postgres in a fresh data directory,
  // migrations, workers and the production build of the web app.
  webServer: {
    command: "bin/osprey start --no-build",
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
      LOG_LEVEL: "warn",
    },
  },
});
