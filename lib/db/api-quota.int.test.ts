import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RateLimiter } from "../aws/rate-limiter";
import { sandboxWorld } from "../../test/sandbox-world";
import { acquireCall } from "./api-quota";

const NOW = Date.UTC(2026, 11, 1, 15, 0, 0);
const REGION = "us-east-1";
const w = sandboxWorld({ seed: 3, now: () => NOW, backfillMs: 3_600_000, regions: [REGION], discover: [], quotas: true });

// Three worker processes: each its own connection pool and its own AWS client.
let pools: pg.Pool[] = [];
beforeAll(() => {
  pools = [0, 1, 2].map(() => new pg.Pool({ connectionString: w.tdb.url, max: 2 }));
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
});

const client = () => new CloudWatchLogsClient({ endpoint: w.sandbox.url, region: REGION, credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });
const filter = (c: CloudWatchLogsClient) => c.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/api-backend", startTime: NOW - 60_000, endTime: NOW, limit: 1 }));
const throttled = () => w.sandbox.quotas!.throttled.get("FilterLogEvents") ?? 0;
const pause = () => new Promise((r) => setTimeout(r, 1100));

describe("AWS quotas shared by every worker process through Postgres", () => {
  it("three processes together stay within FilterLogEvents' 5 calls a second: none is throttled", async () => {
    await pause();
    const before = throttled();
    const t0 = Date.now();
    await Promise.all(pools.map(async (db) => {
      const c = client();
      for (let i = 0; i < 8; i++) {
        await acquireCall(db, { accountId: w.account.id, region: REGION, api: "FilterLogEvents" }, { perSecond: 4.5 });
        await filter(c);
      }
    }));
    const seconds = (Date.now() - t0) / 1000;
    expect(throttled() - before).toBe(0);
    // 24 calls at 4.5 a second take at least (24 - 1) / 4.5 s, whichever process made them.
    expect(seconds).toBeGreaterThanOrEqual(23 / 4.5 - 0.2);
    const { rows } = await w.db.query("SELECT sum(calls)::int AS calls FROM api_call_counts WHERE account_id = $1 AND region = $2 AND api = 'FilterLogEvents'", [w.account.id, REGION]);
    expect(rows[0].calls).toBe(24);
  }, 30_000);

  it("the same processes each limiting themselves alone (4 a second each) are throttled", async () => {
    await pause();
    const before = throttled();
    await Promise.all(pools.map(async () => {
      const c = client();
      const own = new RateLimiter(4, 1);
      for (let i = 0; i < 8; i++) {
        await own.acquire();
        await filter(c).catch(() => {});
      }
    }));
    expect(throttled() - before).toBeGreaterThan(0);
  }, 30_000);
});
