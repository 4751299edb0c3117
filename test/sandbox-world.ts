import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import type { AccountRow } from "../lib/db/account-access";
import { startSandbox, type Sandbox, type SandboxOptions } from "../lib/sandbox";
import type { ResourceKind } from "../lib/db/resources";
import { discoverAccountRegion } from "../workers/ingest/discover";
import { createTestDatabase, type TestDatabase } from "./db";
import { createSandboxAccount } from "./sandbox-account";

/** A test file's own database, a sandbox of its own and the sandbox account pointing at it. */
export interface SandboxWorld {
  tdb: TestDatabase;
  db: pg.Pool;
  sandbox: Sandbox;
  account: AccountRow;
}

export interface SandboxWorldOptions extends Omit<SandboxOptions, "port"> {
  /** regions of the account (default both sandbox regions) */
  regions?: string[];
  /** discover these resource kinds in the first region before the tests (default lambda; [] for none) */
  discover?: ResourceKind[] | "all";
  poolMax?: number;
  /** the file calls route handlers: point the app's own pool (DATABASE_URL) at this database, and close it after */
  routes?: boolean;
}

/**
 * Registers the file's beforeAll/afterAll: a fresh database, a sandbox on a free port, the sandbox account and
 * (by default) its functions discovered in the first region. The returned object's fields are set once
 * beforeAll has run; read them inside hooks and tests.
 */
export function sandboxWorld(opts: SandboxWorldOptions = {}): SandboxWorld {
  const { regions, discover = ["lambda"], poolMax = 4, routes = false, ...sandboxOptions } = opts;
  const world = {} as SandboxWorld;
  beforeAll(async () => {
    world.tdb = await createTestDatabase();
    if (routes) process.env.DATABASE_URL = world.tdb.url;
    world.db = new pg.Pool({ connectionString: world.tdb.url, max: poolMax });
    world.sandbox = await startSandbox({ port: 0, ...sandboxOptions });
    world.account = await createSandboxAccount(world.db, world.sandbox.url, regions);
    const region = world.account.regions[0];
    if (discover === "all") await discoverAccountRegion(world.db, world.account, region);
    else if (discover.length) await discoverAccountRegion(world.db, world.account, region, discover);
  }, 120_000);
  afterAll(async () => {
    if (routes) await (await import("../lib/db/prisma")).closeDb();
    await world.sandbox?.close();
    await world.db?.end();
    await world.tdb?.drop();
  });
  return world;
}
