import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { json as reply, startReceiver, type Receiver } from "@/test/receivers";
import { requestAs, signIn } from "@/test/auth";

// The handlers need a signed-in user: an owner may do everything.
let asOwner: ReturnType<typeof requestAs>;
let ownerEmail: string;

// Each audited action, done through its route handler, writes one entry naming its target; no detail holds a secret.

const SLACK_TOKEN = "AuditSlackToken0123456789qrst";
const NEW_TOKEN = "AuditSlackTokenRotated98765uvwx";
const EXTERNAL_ID = "audit-external-id-0099-secret";

let tdb: TestDatabase;
let db: pg.Pool;
let dataDir: string;
let receiver: Receiver;
let r: {
  accounts: typeof import("@/app/api/v1/accounts/route");
  account: typeof import("@/app/api/v1/accounts/[id]/route");
  rotate: typeof import("@/app/api/v1/accounts/[id]/firehose-key/route");
  channels: typeof import("@/app/api/v1/channels/route");
  channel: typeof import("@/app/api/v1/channels/[id]/route");
  test: typeof import("@/app/api/v1/channels/[id]/test/route");
  policies: typeof import("@/app/api/v1/alert-policies/route");
  policy: typeof import("@/app/api/v1/alert-policies/[id]/route");
  sandbox: typeof import("@/app/api/v1/settings/sandbox/route");
  audit: typeof import("@/app/api/v1/audit/route");
};

const ctx = (id: number | string) => ({ params: Promise.resolve({ id: String(id) }) });
const req = (url: string, method: string, body?: unknown, headers: Record<string, string> = {}) =>
  asOwner(`http://127.0.0.1${url}`, { method, headers: { "content-type": "application/json", ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });

interface Entry {
  actor: string;
  action: string;
  target_kind: string;
  target_id: string | null;
  target_name: string | null;
  detail: Record<string, unknown> | null;
  ip: string | null;
}
let seen = 0;
/** The entries written since the last call. */
async function newEntries(): Promise<Entry[]> {
  const { rows } = await db.query<Entry & { id: string }>("SELECT * FROM audit_events WHERE id > $1 ORDER BY id", [seen]);
  if (rows.length) seen = Number(rows.at(-1)!.id);
  return rows;
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "osprey-audit-"));
  process.env.OSPREY_DATA_DIR = dataDir;
  tdb = await createTestDatabase();
  process.env.DATABASE_URL = tdb.url;
  db = new pg.Pool({ connectionString: tdb.url, max: 2 });
  receiver = await startReceiver((_q, res) => reply(res, 200, "ok"));
  r = {
    accounts: await import("@/app/api/v1/accounts/route"),
    account: await import("@/app/api/v1/accounts/[id]/route"),
    rotate: await import("@/app/api/v1/accounts/[id]/firehose-key/route"),
    channels: await import("@/app/api/v1/channels/route"),
    channel: await import("@/app/api/v1/channels/[id]/route"),
    test: await import("@/app/api/v1/channels/[id]/test/route"),
    policies: await import("@/app/api/v1/alert-policies/route"),
    policy: await import("@/app/api/v1/alert-policies/[id]/route"),
    sandbox: await import("@/app/api/v1/settings/sandbox/route"),
    audit: await import("@/app/api/v1/audit/route"),
  };
  const owner = await signIn("owner");
  ownerEmail = owner.user.email;
  asOwner = requestAs(owner);
});

afterAll(async () => {
  const { closeDb } = await import("@/lib/db/prisma");
  await closeDb();
  await receiver.stop();
  await db.end();
  await tdb.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the audit log", () => {
  let accountId: number;
  let channelId: number;
  let policyId: number;

  it("records an account added, its Firehose key rotated and the account removed, with the address a proxy gives", async () => {
    const created = await r.accounts.POST(
      req("/api/v1/accounts", "POST", { name: "audited", regions: ["eu-west-1"], credentialMethod: "assume_role", roleArn: "arn:aws:iam::111122223333:role/o", externalId: EXTERNAL_ID }, { "x-forwarded-for": "203.0.113.7, 10.0.0.1" }),
      undefined as never,
    );
    accountId = (await created.json()).data.id;
    expect(await newEntries()).toEqual([
      expect.objectContaining({ actor: ownerEmail, action: "account.added", target_kind: "account", target_id: String(accountId), target_name: "audited", ip: "203.0.113.7", detail: expect.objectContaining({ externalIdSet: true, roleArn: "arn:aws:iam::111122223333:role/o" }) }),
    ]);
    await r.rotate.POST(req(`/api/v1/accounts/${accountId}/firehose-key`, "POST"), ctx(accountId));
    expect(await newEntries()).toEqual([expect.objectContaining({ action: "account.firehose_key_rotated", target_kind: "account", target_id: String(accountId), target_name: "audited", ip: null })]);
  });

  it("records a channel added, changed, tested and removed", async () => {
    const created = await r.channels.POST(req("/api/v1/channels", "POST", { name: "ops", kind: "slack", webhookUrl: `${receiver.url}/services/${SLACK_TOKEN}` }), undefined as never);
    channelId = (await created.json()).data.id;
    const added = await newEntries();
    expect(added).toEqual([expect.objectContaining({ action: "channel.added", target_kind: "channel", target_id: String(channelId), target_name: "ops" })]);
    expect(added[0].detail).toMatchObject({ kind: "slack", secretsSet: ["webhookUrl"], config: { rateLimitPerMinute: 10 } });

    await r.channel.PATCH(req(`/api/v1/channels/${channelId}`, "PATCH", { name: "ops-2", webhookUrl: `${receiver.url}/services/${NEW_TOKEN}` }), ctx(channelId));
    const changed = await newEntries();
    expect(changed).toEqual([expect.objectContaining({ action: "channel.changed", target_id: String(channelId), target_name: "ops-2" })]);
    expect(changed[0].detail).toEqual({ changed: ["name", "webhookUrl"], from: "ops" });

    await r.test.POST(req(`/api/v1/channels/${channelId}/test`, "POST"), ctx(channelId));
    expect(await newEntries()).toEqual([expect.objectContaining({ action: "channel.tested", target_id: String(channelId), detail: { status: "sent" } })]);

    expect((await r.channel.DELETE(req(`/api/v1/channels/${channelId}`, "DELETE"), ctx(channelId))).status).toBe(204);
    expect(await newEntries()).toEqual([expect.objectContaining({ action: "channel.removed", target_id: String(channelId), target_name: "ops-2" })]);
    // A failed write (no such channel) records nothing.
    expect((await r.channel.DELETE(req(`/api/v1/channels/${channelId}`, "DELETE"), ctx(channelId))).status).toBe(404);
    expect(await newEntries()).toEqual([]);
  });

  it("records an alert policy added, changed and removed", async () => {
    const created = await r.policies.POST(req("/api/v1/alert-policies", "POST", { name: "p99 over 2 s", conditionKind: "p99_duration", threshold: 2000 }), undefined as never);
    policyId = (await created.json()).data.id;
    expect(await newEntries()).toEqual([expect.objectContaining({ action: "alert_policy.added", target_kind: "alert_policy", target_id: String(policyId), target_name: "p99 over 2 s" })]);
    await r.policy.PATCH(req(`/api/v1/alert-policies/${policyId}`, "PATCH", { threshold: 3000 }), ctx(policyId));
    expect(await newEntries()).toEqual([expect.objectContaining({ action: "alert_policy.changed", target_id: String(policyId), detail: { changed: { threshold: 3000 } } })]);
    // A refused change (validation) records nothing.
    expect((await r.policy.PATCH(req(`/api/v1/alert-policies/${policyId}`, "PATCH", { threshold: -1 }), ctx(policyId))).status).toBe(400);
    expect(await newEntries()).toEqual([]);
    await r.policy.DELETE(req(`/api/v1/alert-policies/${policyId}`, "DELETE"), ctx(policyId));
    expect(await newEntries()).toEqual([expect.objectContaining({ action: "alert_policy.removed", target_id: String(policyId), target_name: "p99 over 2 s" })]);
  });

  it("records the sandbox switch and an account removed", async () => {
    await r.sandbox.PUT(req("/api/v1/settings/sandbox", "PUT", { enabled: false }), undefined as never);
    expect(await newEntries()).toEqual([expect.objectContaining({ action: "settings.sandbox_changed", target_kind: "settings", target_id: "sandbox", detail: { enabled: false } })]);
    expect((await r.account.DELETE(req(`/api/v1/accounts/${accountId}`, "DELETE"), ctx(accountId))).status).toBe(204);
    expect(await newEntries()).toEqual([expect.objectContaining({ action: "account.removed", target_id: String(accountId), target_name: "audited" })]);
  });

  it("keeps the entries after what they name is gone, and never a secret in them", async () => {
    const { rows } = await db.query<{ line: string }>("SELECT row_to_json(a)::text AS line FROM audit_events a");
    expect(rows).toHaveLength(11);
    for (const { line } of rows) for (const secret of [SLACK_TOKEN, NEW_TOKEN, EXTERNAL_ID]) expect(line).not.toContain(secret);
  });

  it("GET /api/v1/audit pages newest first and filters by action and target", async () => {
    const get = async (q: string) => {
      const res = await r.audit.GET(req(`/api/v1/audit${q}`, "GET"), undefined as never);
      return { status: res.status, body: await res.json() };
    };
    const first = await get("?limit=5");
    expect(first.status).toBe(200);
    expect(first.body.data.map((e: { action: string }) => e.action)).toEqual(["account.removed", "settings.sandbox_changed", "alert_policy.removed", "alert_policy.changed", "alert_policy.added"]);
    const second = await get(`?limit=5&before=${first.body.nextBefore}`);
    expect(second.body.data[0].action).toBe("channel.removed");
    const third = await get(`?limit=5&before=${second.body.nextBefore}`);
    expect(second.body.data.at(-1).action).toBe("account.firehose_key_rotated");
    expect(third.body.data.map((e: { action: string }) => e.action)).toEqual(["account.added"]);
    expect(third.body.nextBefore).toBeNull();

    const channel = await get(`?targetKind=channel&targetId=${channelId}`);
    expect(channel.body.data.map((e: { action: string }) => e.action)).toEqual(["channel.removed", "channel.tested", "channel.changed", "channel.added"]);
    const tested = await get("?action=channel.tested");
    expect(tested.body.data).toHaveLength(1);
    expect(tested.body.data[0]).toMatchObject({ actor: ownerEmail, target: { kind: "channel", id: String(channelId), name: "ops-2" } });

    expect((await get("?action=nope")).status).toBe(400);
    expect((await get("?limit=0")).status).toBe(400);
    expect((await get("?before=1e3")).status).toBe(400);
    expect((await get("?sort=asc")).status).toBe(400);
  });

  it("forgets entries past the retention like other data", async () => {
    await db.query("UPDATE audit_events SET at = now() - interval '100 days' WHERE action = 'account.added'");
    const { applyRetention } = await import("./retention");
    const counts = await applyRetention(db, 30);
    expect(counts.audit_events).toBe(1);
    expect((await db.query("SELECT count(*)::int AS n FROM audit_events WHERE action = 'account.added'")).rows[0].n).toBe(0);
    expect((await db.query("SELECT count(*)::int AS n FROM audit_events")).rows[0].n).toBe(10);
  });
});
