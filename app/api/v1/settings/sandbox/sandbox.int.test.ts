import { beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { sandboxWorld } from "@/test/sandbox-world";
import { requestAs, signIn } from "@/test/auth";

// The handlers need a signed-in user: an owner may do everything.
let asOwner: ReturnType<typeof requestAs>;

// As `osprey start` leaves it: the sandbox account pointed at the running endpoint, with its resources.
const world = sandboxWorld({ routes: true, seed: 3, backfillMs: 60_000, regions: ["us-east-1"], poolMax: 2 });
let route: typeof import("./route");
let wiring: typeof import("@/lib/cli/sandbox-wiring");

const put = (body: unknown) => route.PUT(asOwner("http://127.0.0.1/api/v1/settings/sandbox", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }), undefined as never);
const state = async () => (await (await route.GET(asOwner("http://127.0.0.1/api/v1/settings/sandbox"), undefined as never)).json()).data;
const sandboxAccounts = async () => (await world.db.query("SELECT id, endpoint_url FROM accounts WHERE is_sandbox")).rows;

beforeAll(async () => {
  route = await import("./route");
  wiring = await import("@/lib/cli/sandbox-wiring");
  await world.db.query(`INSERT INTO app_settings (key, value) VALUES ('sandbox', $1::jsonb)`, [JSON.stringify({ endpointUrl: world.sandbox.url })]);
  asOwner = requestAs(await signIn("owner"));
});

describe("/api/v1/settings/sandbox", () => {
  it("switched off, removes the sandbox account with its data and keeps it away on the next start", async () => {
    expect(await state()).toEqual({ enabled: true, connected: true, fixedBy: null, startsOnRestart: false });
    expect((await put({ enabled: false })).status).toBe(200);
    expect(await state()).toMatchObject({ enabled: false, connected: false });
    expect(await sandboxAccounts()).toEqual([]);
    expect((await world.db.query("SELECT count(*)::int AS n FROM resources")).rows[0].n).toBe(0);
    expect(await wiring.prepareSandbox(world.tdb.url, parseEnv({}))).toBeNull();
    // OSPREY_SANDBOX=on still wins over the switch.
    expect(await wiring.prepareSandbox(world.tdb.url, parseEnv({ OSPREY_SANDBOX: "on", OSPREY_SANDBOX_PORT: "0" }))).not.toBeNull();
    // That start would run a sandbox of its own: back to the one this test runs.
    await world.db.query("DELETE FROM accounts WHERE is_sandbox");
    await world.db.query("UPDATE app_settings SET value = value || $1::jsonb WHERE key = 'sandbox'", [JSON.stringify({ endpointUrl: world.sandbox.url })]);
  });

  it("switched back on, reconnects at once to the sandbox still running", async () => {
    const res = await put({ enabled: true });
    expect((await res.json()).data).toEqual({ enabled: true, connected: true, fixedBy: null, startsOnRestart: false });
    expect((await sandboxAccounts()).map((a) => a.endpoint_url)).toEqual([world.sandbox.url]);
  });

  it("switched on with no sandbox running, says it starts with the next start", async () => {
    await put({ enabled: false });
    await world.db.query("UPDATE app_settings SET value = value || $1::jsonb WHERE key = 'sandbox'", [JSON.stringify({ endpointUrl: "http://127.0.0.1:1" })]);
    expect((await (await put({ enabled: true })).json()).data).toMatchObject({ enabled: true, connected: false, startsOnRestart: true });
    expect(await wiring.prepareSandbox(world.tdb.url, parseEnv({ OSPREY_SANDBOX_PORT: "0" }))).not.toBeNull();
  });

  it("refuses a body that is not a switch", async () => {
    expect((await put({ enabled: "yes" })).status).toBe(400);
    expect((await put({ enabled: true, extra: 1 })).status).toBe(400);
  });
});
