import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxWorld } from "../../test/sandbox-world";
import { releaseQuerySlot, takeQuerySlot } from "./query-leases";

const w = sandboxWorld({ seed: 3, backfillMs: 3_600_000, regions: ["us-east-1"], discover: [] });

// Three worker processes, each its own pool.
let pools: pg.Pool[] = [];
beforeAll(() => {
  pools = [0, 1, 2].map(() => new pg.Pool({ connectionString: w.tdb.url, max: 2 }));
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
});

describe("Logs Insights query slots shared by every worker process", () => {
  it("gives out at most the account's slots across processes, each once, and a released slot again", async () => {
    const asks = Array.from({ length: 12 }, (_, i) => takeQuerySlot(pools[i % 3], w.account.id, 5, 60_000));
    const slots = await Promise.all(asks);
    const taken = slots.filter((s): s is number => s !== null);
    expect(taken.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4]);
    expect(await takeQuerySlot(pools[0], w.account.id, 5, 60_000)).toBeNull();
    await releaseQuerySlot(pools[1], w.account.id, 3);
    expect(await takeQuerySlot(pools[2], w.account.id, 5, 60_000)).toBe(3);
    expect(await takeQuerySlot(pools[0], w.account.id, 5, 60_000)).toBeNull();
  });

  it("frees the slot of a worker that died mid-query when its lease runs out", async () => {
    const { rows } = await w.db.query<{ id: number }>(
      "INSERT INTO accounts (name, aws_account_id, regions, credential_method, is_sandbox, endpoint_url, updated_at) VALUES ('second', '210987654321', '{us-east-1}', 'default_chain', true, $1, now()) RETURNING id",
      [w.sandbox.url],
    );
    const other = rows[0].id;
    expect(await takeQuerySlot(pools[0], other, 1, 200)).toBe(0);
    expect(await takeQuerySlot(pools[1], other, 1, 200)).toBeNull();
    await new Promise((r) => setTimeout(r, 300));
    expect(await takeQuerySlot(pools[1], other, 1, 200)).toBe(0);
  });
});
