import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "../env";
import { aadFor, generateKey, isSealed, loadKeyring, openWith, replaceKeyFile, SecretDecryptError, sealWith, SecretKeyError } from "./secrets";

const AAD = aadFor("channels", "secrets", 7);
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), "osprey-key-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("sealing a secret", () => {
  const key = generateKey();

  it("round-trips, with a fresh IV each time and no plaintext in the sealed text", () => {
    const secret = "https://hooks.slack.com/services/T0/B0/SeCrEt-ToKeN-ünï";
    const a = sealWith(key, secret, AAD);
    const b = sealWith(key, secret, AAD);
    expect(a).toMatch(new RegExp(`^v1:${key.id}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$`));
    expect(a).not.toBe(b);
    expect(a).not.toContain("SeCrEt");
    expect(isSealed(a)).toBe(true);
    expect(openWith([key], a, AAD)).toBe(secret);
    expect(openWith([key], b, AAD)).toBe(secret);
  });

  it("refuses a tampered value", () => {
    const sealed = sealWith(key, "routing-key-0123456789abcdef", AAD);
    const [v, id, iv, body] = sealed.split(":");
    const bytes = Buffer.from(body, "base64url");
    bytes[0] ^= 1;
    expect(() => openWith([key], [v, id, iv, bytes.toString("base64url")].join(":"), AAD)).toThrow(SecretDecryptError);
    const ivBytes = Buffer.from(iv, "base64url");
    ivBytes[3] ^= 0x80;
    expect(() => openWith([key], [v, id, ivBytes.toString("base64url"), body].join(":"), AAD)).toThrow(/does not open/);
    expect(() => openWith([key], [v, id, iv, body.slice(0, 10)].join(":"), AAD)).toThrow(SecretDecryptError);
  });

  it("refuses a value copied to another row or column", () => {
    const sealed = sealWith(key, "external-id-42", aadFor("accounts", "external_id", 1));
    expect(() => openWith([key], sealed, aadFor("accounts", "external_id", 2))).toThrow(/another row or column/);
    expect(() => openWith([key], sealed, aadFor("channels", "secrets", 1))).toThrow(SecretDecryptError);
    expect(openWith([key], sealed, aadFor("accounts", "external_id", 1))).toBe("external-id-42");
  });

  it("with the wrong key, says which key id the value needs", () => {
    const other = generateKey();
    const sealed = sealWith(key, "s3cret-s3cret-s3cret", AAD);
    let err: unknown;
    try {
      openWith([other], sealed, AAD);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SecretDecryptError);
    expect((err as SecretDecryptError).keyId).toBe(key.id);
    expect((err as Error).message).toContain(key.id);
    expect((err as Error).message).toContain(other.id);
    // A forged value naming the right id but sealed under another key still fails to open.
    const forged = sealWith({ id: key.id, key: other.key }, "x", AAD);
    expect(() => openWith([key], forged, AAD)).toThrow(/does not open/);
  });
});

describe("where the key comes from", () => {
  it("OSPREY_SECRET_KEY, in hex or base64, and a clear error for anything else", () => {
    const raw = generateKey().key;
    const fromHex = loadKeyring(parseEnv({ OSPREY_SECRET_KEY: raw.toString("hex") }));
    const fromB64 = loadKeyring(parseEnv({ OSPREY_SECRET_KEY: raw.toString("base64") }));
    expect(fromHex.source).toEqual({ kind: "env" });
    expect(fromHex.current.key.equals(raw)).toBe(true);
    expect(fromB64.current.id).toBe(fromHex.current.id);
    expect(() => parseEnv({ OSPREY_SECRET_KEY: "too-short" })).toThrow(ConfigError);
    expect(() => parseEnv({ OSPREY_SECRET_KEY: Buffer.alloc(16).toString("base64") })).toThrow(/OSPREY_SECRET_KEY must be 32 bytes/);
    const nearly = raw.toString("hex").slice(0, 63);
    expect(() => parseEnv({ OSPREY_SECRET_KEY: nearly })).toThrow("(got 63 characters, not shown)");
    try {
      parseEnv({ OSPREY_SECRET_KEY: nearly });
    } catch (err) {
      expect((err as Error).message).not.toContain(nearly);
    }
  });

  it("else a key file made on first run with mode 0600, and the same key on the next", () => {
    const dir = tempDir();
    const e = parseEnv({ OSPREY_DATA_DIR: path.join(dir, "data") });
    const first = loadKeyring(e);
    expect(first.source).toMatchObject({ kind: "file", path: path.join(dir, "data", "secret.key"), created: true });
    expect(statSync(path.join(dir, "data", "secret.key")).mode & 0o777).toBe(0o600);
    const second = loadKeyring(e);
    expect(second.source).toMatchObject({ created: false });
    expect(second.current.id).toBe(first.current.id);
  });

  it("refuses a key file other users can read, saying how to fix it", () => {
    const dir = tempDir();
    const file = path.join(dir, "secret.key");
    writeFileSync(file, generateKey().key.toString("base64"), { mode: 0o644 });
    chmodSync(file, 0o644);
    expect(() => loadKeyring(parseEnv({ OSPREY_DATA_DIR: dir }))).toThrow(SecretKeyError);
    expect(() => loadKeyring(parseEnv({ OSPREY_DATA_DIR: dir }))).toThrow(`chmod 600 ${file}`);
  });

  it("replaces the key file atomically, still 0600", () => {
    const dir = tempDir();
    const file = path.join(dir, "secret.key");
    const e = parseEnv({ OSPREY_DATA_DIR: dir });
    const before = loadKeyring(e).current;
    const next = generateKey();
    replaceKeyFile(file, next.key);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8").trim()).toBe(next.key.toString("base64"));
    expect(loadKeyring(e).current.id).toBe(next.id);
    expect(next.id).not.toBe(before.id);
  });
});
