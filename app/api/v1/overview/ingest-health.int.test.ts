import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OverviewResponse } from "@/lib/api/schemas/overview";
import { toIngestWarning } from "@/lib/aws/call-failure";
import { recordIngestWarnings } from "@/lib/db/ingest-warnings";
import { createPool } from "@/lib/db/pool";
import { quarantineEvent } from "@/lib/db/quarantine";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { GET as overviewRoute } from "./route";
import { requestAs, signIn } from "@/test/auth";

// The handlers need a signed-in user: an owner may do everything.
let asOwner: ReturnType<typeof requestAs>;

const REGION = "us-east-1";
let tdb: TestDatabase;
let db: pg.Pool;
let accountId: number;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = createPool(tdb.url, 4);
  // The route handlers take their pool from lib/db/prisma.ts: hand them this test's database.
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = db;
  const { rows } = await db.query("INSERT INTO accounts (name, regions, updated_at) VALUES ('prod', '{us-east-1,eu-west-1}', now()) RETURNING id");
  accountId = rows[0].id;
  asOwner = requestAs(await signIn("owner"));
});

afterAll(async () => {
  (globalThis as { ospreyPool?: pg.Pool }).ospreyPool = undefined;
  await db?.end();
  await tdb?.drop();
});

const denial = Object.assign(
  new Error(
    "User: arn:aws:sts::123456789012:assumed-role/osprey-readonly/osprey is not authorized to perform: lambda:ListProvisionedConcurrencyConfigs on resource: arn:aws:lambda:us-east-1:123456789012:function:orders-api because no identity-based policy allows the lambda:ListProvisionedConcurrencyConfigs action",
  ),
  { name: "AccessDeniedException", $metadata: { httpStatusCode: 403 } },
);

async function health() {
  const res = await overviewRoute(asOwner(`http://osprey.test/api/v1/overview?range=1h&region=${REGION}`), {} as never);
  expect(res.status).toBe(200);
  return OverviewResponse.parse(await res.json()).data.ingest;
}

describe("GET /api/v1/overview: ingest health", () => {
  it("shows each warning by feature, function and IAM action, and each quarantined event with its reason", async () => {
    await recordIngestWarnings(db, { accountId, region: REGION }, ["provisioned concurrency"], [
      toIngestWarning("provisioned concurrency", "orders-api", "lambda:ListProvisionedConcurrencyConfigs", denial),
    ]);
    const nul = "2026-11-20T12:00:00.000Z\tc0ffee00-1111-4222-8333-444455556666\tINFO\tpayload \u0000 here\n";
    await quarantineEvent(
      db,
      { accountId, region: REGION, logGroup: "/aws/lambda/orders-api" },
      { eventId: "37777777777777777777777777777777770001", logGroupName: "/aws/lambda/orders-api", logStreamName: "s", timestamp: -1e15, message: nul },
      Object.assign(new Error('new row for relation "log_events" violates check constraint "x"'), { code: "23514" }),
    );

    const [h] = await health();
    expect(h.region).toBe(REGION);
    expect(h.warnings).toEqual([
      expect.objectContaining({ feature: "provisioned concurrency", resource: "orders-api", action: "lambda:ListProvisionedConcurrencyConfigs", denied: true, count: 1 }),
    ]);
    expect(h.quarantinedCount).toBe(1);
    expect(h.quarantined).toEqual([
      expect.objectContaining({
        logGroup: "/aws/lambda/orders-api",
        eventId: "37777777777777777777777777777777770001",
        reason: expect.stringContaining("violates check constraint"),
        sqlstate: "23514",
        message: expect.stringContaining("payload \uFFFD here"),
      }),
    ]);
  });

  it("drops a warning once its call succeeds again", async () => {
    await recordIngestWarnings(db, { accountId, region: REGION }, ["provisioned concurrency"], []);
    const [h] = await health();
    expect(h.warnings).toEqual([]);
    expect(h.quarantinedCount).toBe(1);
  });
});
