import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "@/test/auth";
import { createTestDatabase, type TestDatabase } from "@/test/db";

// `osprey tokens` as an operator runs it on the server machine, and `osprey api` as a script runs it against an
// Osprey: here a loopback HTTP server handing requests to the real /api/v1 route handlers.
const ROOT = path.resolve(import.meta.dirname, "../..");
const OSPREY = path.join(ROOT, "bin/osprey");

type Route = (req: Request, ctx: unknown) => Promise<Response>;

let tdb: TestDatabase;
let db: pg.Pool;
let dataDir: string;
let server: Server;
let serverUrl: string;
let ownerEmail: string;

function osprey(args: string[], extra: Record<string, string> = {}, stdin = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, DATABASE_URL: tdb.url, OSPREY_DATA_DIR: dataDir, LOG_LEVEL: "warn", OSPREY_URL: "", OSPREY_TOKEN: "", ...extra };
    const child = execFile(OSPREY, args, { env, cwd: ROOT }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    child.stdin!.end(stdin);
  });
}

async function startApi(): Promise<void> {
  const routes: Record<string, Route> = {
    "GET /api/v1/channels": (await import("@/app/api/v1/channels/route")).GET as Route,
    "POST /api/v1/channels": (await import("@/app/api/v1/channels/route")).POST as Route,
    "GET /api/v1/incidents": (await import("@/app/api/v1/incidents/route")).GET as Route,
  };
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const url = new URL(req.url ?? "/", serverUrl);
      const route = routes[`${req.method} ${url.pathname}`];
      const headers = new Headers(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])) as [string, string][]);
      const answer = route
        ? await route(new Request(url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined }), undefined)
        : Response.json({ error: { code: "not_found", message: "no such route here" } }, { status: 404 });
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "osprey-tokens-cli-"));
  process.env.OSPREY_DATA_DIR = dataDir;
  tdb = await createTestDatabase();
  process.env.DATABASE_URL = tdb.url;
  db = new pg.Pool({ connectionString: tdb.url, max: 2 });
  ownerEmail = (await signIn("owner")).user.email;
  await startApi();
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  const { closeDb } = await import("@/lib/db/prisma");
  await closeDb();
  await db?.end();
  await tdb?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const tokenIn = (stdout: string) => /^token: (osp_\S+) {2}\(shown once/m.exec(stdout)?.[1];

describe("osprey tokens and osprey api", () => {
  it("makes a token printed once, which osprey api then uses; a read token cannot change anything; revoked, it is refused", async () => {
    const write = await osprey(["tokens", "create", "--email", ownerEmail, "--name", "ci", "--scope", "write", "--expires-in-days", "7"]);
    expect(write.code, write.stderr).toBe(0);
    const token = tokenIn(write.stdout);
    expect(token).toMatch(/^osp_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(write.stdout).toMatch(new RegExp(`made write token \\d+ "ci" for ${ownerEmail.replace(/[.]/g, "\\.")}, expires `));

    const listed = await osprey(["tokens", "list"]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${token!.slice(0, 12)}_…\t${ownerEmail}\twrite\tactive\t"ci"`);
    expect(listed.stdout).not.toContain(token!.slice(13));

    const get = await osprey(["api", "GET", "/api/v1/incidents", "--url", serverUrl, "--token", token!]);
    expect(get.code, get.stderr).toBe(0);
    expect(JSON.parse(get.stdout)).toEqual({ data: [] });

    const body = JSON.stringify({ name: "from the cli", kind: "webhook", url: "http://127.0.0.1:9/hook", signingSecret: "cli-test-signing-secret" });
    const post = await osprey(["api", "post", "/api/v1/channels", "--data", "-"], { OSPREY_URL: serverUrl, OSPREY_TOKEN: token! }, body);
    expect(post.code, post.stderr).toBe(0);
    expect(JSON.parse(post.stdout).data).toMatchObject({ name: "from the cli", kind: "webhook" });
    const channels = await osprey(["api", "GET", "/api/v1/channels"], { OSPREY_URL: serverUrl, OSPREY_TOKEN: token! });
    expect(JSON.parse(channels.stdout).data.map((c: { name: string }) => c.name)).toEqual(["from the cli"]);

    const read = tokenIn((await osprey(["tokens", "create", "--email", ownerEmail, "--name", "dash", "--scope", "read"])).stdout)!;
    const refused = await osprey(["api", "POST", "/api/v1/channels", "--data", body, "--url", serverUrl, "--token", read]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error.code).toBe("forbidden");
    expect(refused.stderr).toContain("answered 403");

    const id = /^(\d+)\t/m.exec(listed.stdout)![1];
    const revoked = await osprey(["tokens", "revoke", id]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`revoked token ${id} "ci" of ${ownerEmail}`);
    const after = await osprey(["api", "GET", "/api/v1/incidents", "--url", serverUrl, "--token", token!]);
    expect(after.code).toBe(1);
    expect(JSON.parse(after.stdout).error).toMatchObject({ code: "unauthenticated", message: expect.stringMatching(/revoked/) });

    const { rows } = await db.query("SELECT actor, action FROM audit_events WHERE target_kind = 'api_token' ORDER BY id");
    expect(rows).toEqual([
      { actor: "local (cli)", action: "api_token.created" },
      { actor: "local (cli)", action: "api_token.created" },
      { actor: "local (cli)", action: "api_token.revoked" },
    ]);
  }, 300_000);

  it("says what is wrong with a command, in one line and exit code 2 (1 for what is not there)", async () => {
    expect(await osprey(["tokens", "create", "--email", ownerEmail, "--name", "x", "--scope", "admin"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--scope") });
    expect(await osprey(["tokens", "create", "--email", "nobody@osprey.test", "--name", "x", "--scope", "read"])).toMatchObject({ code: 1, stderr: expect.stringContaining("no user nobody@osprey.test") });
    expect(await osprey(["tokens", "revoke", "999999"])).toMatchObject({ code: 1, stderr: expect.stringContaining("API token not found") });
    expect(await osprey(["api", "GET", "/api/v1/incidents", "--url", serverUrl])).toMatchObject({ code: 2, stderr: expect.stringContaining("no API token") });
    expect(await osprey(["api", "FETCH", "/api/v1/incidents", "--token", "osp_x"])).toMatchObject({ code: 2, stderr: expect.stringContaining("usage: osprey api") });
    expect(await osprey(["api", "POST", "/api/v1/channels", "--data", "{nope", "--url", serverUrl, "--token", "osp_x"])).toMatchObject({ code: 2, stderr: expect.stringContaining("not JSON") });
  }, 300_000);
});
