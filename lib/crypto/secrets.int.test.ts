import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { json as reply, startReceiver, verifyOspreySignature, type Receiver } from "@/test/receivers";
import { requestAs, signIn } from "@/test/auth";

// The handlers need a signed-in user: an owner may do everything.
let asOwner: ReturnType<typeof requestAs>;

// The real product path with pino at debug and every line captured: accounts and channels made through
// the route handlers, test sends to loopback receivers, a Firehose delivery with the account's own key,
// the key rotated by the CLI command. No secret may appear in a log line, a response body or the audit log.

const SLACK_TOKEN = "SlackT0kenNeverSh0wn9876wxyz";
const SIGNING_SECRET = "whsec_NeverLogged_0123456789abcdef";
const ROUTING_KEY = "Pd0123456789abcdefABCDEFpdRoUtE1";
const EXTERNAL_ID = "ext-id-Never-Logged-0042";
const LEGACY_SLACK = "LegacyPlaintextHook0000abcd";
const LEGACY_EXTERNAL = "legacy-external-id-plain-7777";

let tdb: TestDatabase;
let db: pg.Pool;
let dataDir: string;
let receiver: Receiver;
const logLines: string[] = [];
const bodies: string[] = [];
const cliOut: string[] = [];
let routes: {
  accounts: typeof import("@/app/api/v1/accounts/route");
  rotate: typeof import("@/app/api/v1/accounts/[id]/firehose-key/route");
  channels: typeof import("@/app/api/v1/channels/route");
  channel: typeof import("@/app/api/v1/channels/[id]/route");
  test: typeof import("@/app/api/v1/channels/[id]/test/route");
  firehose: typeof import("@/app/api/v1/ingest/firehose/route");
  audit: typeof import("@/app/api/v1/audit/route");
};

const ctx = (id: number) => ({ params: Promise.resolve({ id: String(id) }) });
const jsonReq = (url: string, method: string, body?: unknown) =>
  asOwner(`http://127.0.0.1${url}`, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });

async function text(res: Response | Promise<Response>): Promise<{ status: number; body: string }> {
  const r = await res;
  const body = await r.text();
  bodies.push(body);
  return { status: r.status, body };
}

const REQ = "5b1c0d3e-4f1c-4b7a-9d3e-2c1f0e9b8a7d";
const T = Date.UTC(2026, 10, 20, 10, 0, 0);
function delivery(owner: string) {
  const payload = {
    messageType: "DATA_MESSAGE",
    owner,
    logGroup: "/aws/lambda/pay",
    logStream: "2026/11/20/[$LATEST]0123",
    subscriptionFilters: ["osprey"],
    logEvents: [
      { id: `${owner}1`, timestamp: T, message: `START RequestId: ${REQ} Version: $LATEST\n` },
      { id: `${owner}2`, timestamp: T + 50, message: `END RequestId: ${REQ}\n` },
      { id: `${owner}3`, timestamp: T + 51, message: `REPORT RequestId: ${REQ}\tDuration: 50.00 ms\tBilled Duration: 50 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t\n` },
    ],
  };
  return JSON.stringify({ requestId: "fh-1", timestamp: Date.now(), records: [{ data: gzipSync(JSON.stringify(payload)).toString("base64") }] });
}
const firehose = (key: string | null, owner = "111122223333") =>
  text(
    routes.firehose.POST(
      asOwner("http://127.0.0.1/api/v1/ingest/firehose", {
        method: "POST",
        headers: { "content-type": "application/json", "x-amz-firehose-request-id": "fh-1", ...(key ? { "x-amz-firehose-access-key": key } : {}) },
        body: delivery(owner),
      }),
    ),
  );

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const { secretsCommand } = await import("@/lib/cli/secrets");
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((c: string | Uint8Array) => (chunks.push(String(c)), true)) as typeof process.stdout.write;
  try {
    const code = await secretsCommand(args);
    return { code, out: chunks.join("") };
  } finally {
    process.stdout.write = write;
    cliOut.push(chunks.join(""));
  }
}

let accountId: number;
let firehoseKey: string;
const firehoseKeys: string[] = [];
const channelIds: Record<string, number> = {};

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "osprey-secrets-"));
  process.env.OSPREY_DATA_DIR = dataDir;
  process.env.LOG_LEVEL = "debug";
  delete process.env.OSPREY_FIREHOSE_ACCESS_KEY;
  delete process.env.OSPREY_SECRET_KEY;
  tdb = await createTestDatabase();
  process.env.DATABASE_URL = tdb.url;
  db = new pg.Pool({ connectionString: tdb.url, max: 2 });
  receiver = await startReceiver((r, res) => (r.path.startsWith("/v2/enqueue") ? reply(res, 202, { status: "success", dedup_key: "k" }) : reply(res, 200, "ok")));
  const pino = (await import("pino")).default;
  const { log } = await import("@/lib/log");
  expect(log.level).toBe("debug");
  const stream = (log as unknown as Record<symbol, { write: (s: string) => unknown }>)[pino.symbols.streamSym];
  const original = stream.write.bind(stream);
  stream.write = (s: string) => {
    logLines.push(s);
    return original(s);
  };
  routes = {
    accounts: await import("@/app/api/v1/accounts/route"),
    rotate: await import("@/app/api/v1/accounts/[id]/firehose-key/route"),
    channels: await import("@/app/api/v1/channels/route"),
    channel: await import("@/app/api/v1/channels/[id]/route"),
    test: await import("@/app/api/v1/channels/[id]/test/route"),
    firehose: await import("@/app/api/v1/ingest/firehose/route"),
    audit: await import("@/app/api/v1/audit/route"),
  };
  asOwner = requestAs(await signIn("owner"));
});

afterAll(async () => {
  const { closeDb } = await import("@/lib/db/prisma");
  await closeDb();
  await receiver.stop();
  await db.end();
  await tdb.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("secrets at rest, on the product's own paths", () => {
  it("makes the key file on first use, mode 0600, in the data folder", async () => {
    const { keyring } = await import("./secrets");
    const k = keyring();
    expect(k.source).toMatchObject({ kind: "file", path: path.join(dataDir, "secret.key") });
    expect(statSync(path.join(dataDir, "secret.key")).mode & 0o777).toBe(0o600);
  });

  it("connects an account: the external id is sealed and shown by its last four characters; the Firehose key is answered once", async () => {
    const r = await text(
      routes.accounts.POST(
        jsonReq("/api/v1/accounts", "POST", { name: "pay", awsAccountId: "111122223333", regions: ["us-east-1"], credentialMethod: "assume_role", roleArn: "arn:aws:iam::111122223333:role/osprey", externalId: EXTERNAL_ID }),
        undefined as never,
      ),
    );
    expect(r.status).toBe(201);
    const created = JSON.parse(r.body).data;
    accountId = created.id;
    firehoseKey = created.firehoseKey;
    firehoseKeys.push(firehoseKey);
    expect(firehoseKey).toMatch(new RegExp(`^ofk_${accountId}_[A-Za-z0-9_-]{43}$`));
    expect(created).toMatchObject({ hasExternalId: true, externalIdHint: "…0042", firehoseKey: expect.any(String) });
    const stored = (await db.query("SELECT external_id FROM accounts WHERE id = $1", [accountId])).rows[0].external_id;
    expect(stored).toMatch(/^v1:[0-9a-f]{8}:/);
    expect(stored).not.toContain(EXTERNAL_ID);
    const keyRow = (await db.query("SELECT key_hash, hint FROM account_firehose_keys WHERE account_id = $1", [accountId])).rows[0];
    expect(keyRow.hint).toBe(`…${firehoseKey.slice(-4)}`);
    expect(keyRow.key_hash.toString("hex")).not.toContain(Buffer.from(firehoseKey).toString("hex"));
    const listed = await text(routes.accounts.GET(jsonReq("/api/v1/accounts", "GET"), undefined as never));
    expect(listed.body).not.toContain(firehoseKey);
    expect(JSON.parse(listed.body).data[0]).toMatchObject({ externalIdHint: "…0042", firehoseKey: { hint: keyRow.hint } });
    // The role is assumed with the external id in clear: the credentials provider opens it.
    const { loadAccount } = await import("@/lib/db/account-access");
    const { openExternalId } = await import("@/lib/db/accounts");
    expect(openExternalId((await loadAccount(db, accountId))!)).toBe(EXTERNAL_ID);
    await db.query(
      `INSERT INTO resources (account_id, region, kind, arn, name, config) VALUES ($1, 'us-east-1', 'lambda', 'arn:aws:lambda:us-east-1:111122223333:function:pay', 'pay', '{"logGroup": "/aws/lambda/pay"}')`,
      [accountId],
    );
  });

  it("adds channels whose secrets are sealed in the row and sends their tests", async () => {
    const inputs = {
      slack: { name: "slack", kind: "slack", webhookUrl: `${receiver.url}/services/T0/B0/${SLACK_TOKEN}` },
      hook: { name: "hook", kind: "webhook", url: `${receiver.url}/hook`, signingSecret: SIGNING_SECRET },
      pd: { name: "pd", kind: "pagerduty", routingKey: ROUTING_KEY, eventsUrl: `${receiver.url}/v2/enqueue` },
    };
    for (const [k, input] of Object.entries(inputs)) {
      const r = await text(routes.channels.POST(jsonReq("/api/v1/channels", "POST", input), undefined as never));
      expect(r.status).toBe(201);
      channelIds[k] = JSON.parse(r.body).data.id;
    }
    const { rows } = await db.query("SELECT secrets FROM channels ORDER BY id");
    for (const r of rows) expect(r.secrets).toMatch(/^v1:[0-9a-f]{8}:/);
    for (const id of Object.values(channelIds)) {
      const r = await text(routes.test.POST(jsonReq(`/api/v1/channels/${id}/test`, "POST"), ctx(id)));
      expect(JSON.parse(r.body).data).toMatchObject({ ok: true, status: "sent" });
    }
    expect(receiver.received.some((x) => x.path.endsWith(SLACK_TOKEN))).toBe(true);
    const hook = receiver.received.filter((x) => x.path === "/hook").at(-1)!;
    expect(verifyOspreySignature(hook.body, hook.headers["x-osprey-signature"] as string, SIGNING_SECRET)).toBe(true);
    expect(JSON.parse(receiver.received.filter((x) => x.path.startsWith("/v2/enqueue")).at(-1)!.body).routing_key).toBe(ROUTING_KEY);
  });

  it("takes a Firehose delivery with the account's own key, refuses another, and keeps only that account's data", async () => {
    expect((await firehose(firehoseKey)).status).toBe(200);
    expect((await db.query("SELECT count(*)::int AS n FROM invocations WHERE request_id = $1", [REQ])).rows[0].n).toBe(1);
    expect((await firehose(`ofk_${accountId}_${"A".repeat(43)}`)).status).toBe(401);
    expect((await firehose(null)).status).toBe(401);
    expect((await firehose(firehoseKey.replace(`ofk_${accountId}_`, `ofk_${accountId + 1}_`))).status).toBe(401);
    // A delivery of another AWS account's data under this key is answered 200 (Firehose would retry for ever) and dropped.
    const before = (await db.query("SELECT count(*)::int AS n FROM log_events")).rows[0].n;
    expect((await firehose(firehoseKey, "999988887777")).status).toBe(200);
    expect((await db.query("SELECT count(*)::int AS n FROM log_events")).rows[0].n).toBe(before);
  });

  it("rotates the Firehose key from the API: the new key answered once works, the old one no longer does", async () => {
    const r = await text(routes.rotate.POST(jsonReq(`/api/v1/accounts/${accountId}/firehose-key`, "POST"), ctx(accountId)));
    expect(r.status).toBe(200);
    const { key, hint } = JSON.parse(r.body).data;
    expect(key).not.toBe(firehoseKey);
    expect(hint).toBe(`…${key.slice(-4)}`);
    expect((await firehose(firehoseKey)).status).toBe(401);
    firehoseKey = key;
    firehoseKeys.push(key);
    expect((await firehose(firehoseKey)).status).toBe(200);
    expect((await text(routes.rotate.POST(jsonReq("/api/v1/accounts/999999/firehose-key", "POST"), ctx(999999)))).status).toBe(404);
  });

  it("seals plaintext left from before, once (the startup step is idempotent)", async () => {
    const legacy = await db.query<{ id: number }>(
      `INSERT INTO channels (name, kind, config, secrets, enabled) VALUES ('legacy', 'slack', '{"rateLimitPerMinute": 10}', $1, true) RETURNING id`,
      [JSON.stringify({ webhookUrl: `${receiver.url}/services/T0/B0/${LEGACY_SLACK}` })],
    );
    channelIds.legacy = legacy.rows[0].id;
    await db.query(
      `INSERT INTO accounts (name, regions, credential_method, role_arn, external_id, updated_at) VALUES ('legacy', '{us-east-1}', 'assume_role', 'arn:aws:iam::111122223333:role/x', $1, now())`,
      [LEGACY_EXTERNAL],
    );
    const { keyring } = await import("./secrets");
    const { sealPlaintextSecrets } = await import("@/lib/db/secrets-at-rest");
    expect(await sealPlaintextSecrets(db, keyring().current)).toBe(2);
    expect(await sealPlaintextSecrets(db, keyring().current)).toBe(0);
    const rows = (await db.query("SELECT secrets AS v FROM channels UNION ALL SELECT external_id FROM accounts WHERE external_id IS NOT NULL")).rows;
    expect(rows.length).toBe(6);
    for (const r of rows) expect(r.v).toMatch(new RegExp(`^v1:${keyring().current.id}:`));
    const view = await text(routes.channel.GET(jsonReq(`/api/v1/channels/${channelIds.legacy}`, "GET"), ctx(channelIds.legacy)));
    expect(JSON.parse(view.body).data.secrets).toEqual({ webhookUrl: "…abcd" });
  });

  it("a value copied into another row does not open there", async () => {
    await db.query("UPDATE channels SET secrets = (SELECT secrets FROM channels WHERE id = $1) WHERE id = $2", [channelIds.slack, channelIds.legacy]);
    const { loadChannel } = await import("@/lib/db/notifications/channels");
    await expect(loadChannel(channelIds.legacy, db)).rejects.toThrow(/another row or column/);
    const r = await text(routes.channel.DELETE(jsonReq(`/api/v1/channels/${channelIds.legacy}`, "DELETE"), ctx(channelIds.legacy)));
    expect(r.status).toBe(204);
    delete channelIds.legacy;
  });

  it("osprey secrets rotate-key re-encrypts everything under a new key file; channels still send and the Firehose key still verifies", async () => {
    const { keyring } = await import("./secrets");
    const oldId = keyring().current.id;
    const oldKeyText = readFileSync(path.join(dataDir, "secret.key"), "utf8").trim();
    const before = await cli(["status"]);
    expect(before.code).toBe(0);
    expect(before.out).toContain(`key: file ${path.join(dataDir, "secret.key")} (id ${oldId}`);
    expect(before.out).toMatch(new RegExp(`channels\\.secrets: 3 under key ${oldId}`));
    expect(before.out).toMatch(new RegExp(`accounts\\.external_id: 2 under key ${oldId}`));

    const rotated = await cli(["rotate-key"]);
    expect(rotated.code).toBe(0);
    const newId = keyring().current.id;
    expect(newId).not.toBe(oldId);
    expect(rotated.out).toContain(`re-encrypted 5 secret(s): key ${oldId} -> ${newId}`);
    const newKeyText = readFileSync(path.join(dataDir, "secret.key"), "utf8").trim();
    expect(newKeyText).not.toBe(oldKeyText);
    expect(statSync(path.join(dataDir, "secret.key")).mode & 0o777).toBe(0o600);
    const after = await cli(["status"]);
    expect(after.out).toMatch(new RegExp(`channels\\.secrets: 3 under key ${newId}\\n`));
    expect(after.out).not.toContain(oldId);
    // Sessions are signed with a key derived from the secret key: a new key signs everyone out.
    expect((await routes.audit.GET(jsonReq("/api/v1/audit", "GET"), undefined as never)).status).toBe(401);
    asOwner = requestAs(await signIn("owner"));

    for (const id of Object.values(channelIds)) {
      const r = await text(routes.test.POST(jsonReq(`/api/v1/channels/${id}/test`, "POST"), ctx(id)));
      expect(JSON.parse(r.body).data).toMatchObject({ ok: true, status: "sent" });
    }
    const hook = receiver.received.filter((x) => x.path === "/hook").at(-1)!;
    expect(verifyOspreySignature(hook.body, hook.headers["x-osprey-signature"] as string, SIGNING_SECRET)).toBe(true);
    expect((await firehose(firehoseKey)).status).toBe(200);
    const { openExternalId } = await import("@/lib/db/accounts");
    const { loadAccount } = await import("@/lib/db/account-access");
    expect(openExternalId((await loadAccount(db, accountId))!)).toBe(EXTERNAL_ID);

    // The audit log says the key was rotated, by whom, and from which key id to which.
    const audit = JSON.parse((await text(routes.audit.GET(jsonReq("/api/v1/audit?action=secrets.key_rotated", "GET"), undefined as never))).body);
    expect(audit.data).toHaveLength(1);
    expect(audit.data[0]).toMatchObject({ actor: "local (cli)", target: { kind: "secrets", id: newId }, detail: { from: [oldId], to: newId, values: 5 } });

    secretsToLookFor.push(oldKeyText, newKeyText, Buffer.from(oldKeyText, "base64").toString("hex"), Buffer.from(newKeyText, "base64").toString("hex"));
  });

  const secretsToLookFor = [SLACK_TOKEN, SIGNING_SECRET, ROUTING_KEY, EXTERNAL_ID, LEGACY_SLACK, LEGACY_EXTERNAL];

  it("no secret appears in any log line, API response or audit entry", async () => {
    expect(logLines.length).toBeGreaterThan(5);
    expect(logLines.some((l) => l.includes('"level":20'))).toBe(true);
    const auditRows = (await db.query("SELECT row_to_json(a)::text AS line FROM audit_events a")).rows.map((r) => r.line as string);
    expect(auditRows.length).toBeGreaterThanOrEqual(8);
    for (const secret of secretsToLookFor) {
      for (const line of logLines) expect(line, "a log line").not.toContain(secret);
      for (const body of bodies) expect(body, "an API response").not.toContain(secret);
      for (const row of auditRows) expect(row, "an audit entry").not.toContain(secret);
    }
    for (const secret of secretsToLookFor.slice(0, 6)) for (const out of cliOut) expect(out).not.toContain(secret);
    // A Firehose key appears in the one answer that hands it out, and nowhere else.
    for (const key of firehoseKeys) {
      // `ofk_<account id>_<random>`: the random part is base64url, which may itself contain "_".
      const random = key.split("_").slice(2).join("_");
      expect(random.length).toBe(43);
      for (const line of [...logLines, ...auditRows, ...cliOut]) expect(line).not.toContain(random);
      expect(bodies.filter((b) => b.includes(random))).toHaveLength(1);
    }
  });
});
