import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";
import { dataDir, decodeKey, env, type Env } from "../env";

/**
 * Secrets at rest: AES-256-GCM, a random 96-bit IV per value, and AAD naming the table, column and row
 * the value belongs to, so a ciphertext copied to another row or column does not open. A sealed value is
 * text: `v1:<keyId>:<iv>:<ciphertext and tag>` (base64url), where keyId tells the keys of a rotation apart.
 */

export const SEALED_PREFIX = "v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SecretKey {
  id: string;
  key: Buffer;
}

export type KeySource = { kind: "env" } | { kind: "file"; path: string; created: boolean };

export interface Keyring {
  current: SecretKey;
  source: KeySource;
}

export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretKeyError";
  }
}

export class SecretDecryptError extends Error {
  constructor(
    message: string,
    readonly keyId: string | null,
  ) {
    super(message);
    this.name = "SecretDecryptError";
  }
}

/** A key's public name: the first 8 hex characters of a hash of it, telling keys apart without revealing them. */
export function keyIdOf(key: Buffer): string {
  return createHash("sha256").update("osprey-secret-key-id\0").update(key).digest("hex").slice(0, 8);
}

export function toSecretKey(key: Buffer): SecretKey {
  if (key.length !== 32) throw new SecretKeyError(`a secret key is 32 bytes, got ${key.length}`);
  return { id: keyIdOf(key), key };
}

export function generateKey(): SecretKey {
  return toSecretKey(randomBytes(32));
}

/** The AAD a value is bound to: where it is stored. */
export function aadFor(table: string, column: string, rowId: number | string): string {
  return `osprey:${table}.${column}#${rowId}`;
}

export const isSealed = (value: string | null | undefined): value is string => typeof value === "string" && value.startsWith(SEALED_PREFIX);

/** The key id a sealed value names, or null when the value is not sealed. */
export function sealedKeyId(value: string): string | null {
  if (!isSealed(value)) return null;
  return value.split(":")[1] ?? null;
}

export function sealWith(key: SecretKey, plaintext: string, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${SEALED_PREFIX}${key.id}:${iv.toString("base64url")}:${body.toString("base64url")}`;
}

/** Opens a sealed value with whichever of `keys` it names; throws SecretDecryptError (naming the key id) otherwise. */
export function openWith(keys: readonly SecretKey[], sealed: string, aad: string): string {
  const parts = sealed.split(":");
  if (parts.length !== 4 || `${parts[0]}:` !== SEALED_PREFIX) throw new SecretDecryptError("not a sealed secret (expected v1:<keyId>:<iv>:<data>)", null);
  const [, keyId, ivText, bodyText] = parts;
  const key = keys.find((k) => k.id === keyId);
  if (!key) {
    throw new SecretDecryptError(
      `secret encrypted under key ${keyId}, but the key in use is ${keys.map((k) => k.id).join(", ") || "none"}: set OSPREY_SECRET_KEY (or restore the key file) to the key with id ${keyId}`,
      keyId,
    );
  }
  const iv = Buffer.from(ivText, "base64url");
  const body = Buffer.from(bodyText, "base64url");
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new SecretDecryptError(`secret under key ${keyId} is truncated`, keyId);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretDecryptError(`secret under key ${keyId} does not open: it was altered, or belongs to another row or column`, keyId);
  }
}

// ---- The key file ----

export const KEY_FILE = "secret.key";

export function keyFilePath(e: Env = env()): string {
  return path.join(dataDir(e), KEY_FILE);
}

/** Reads a key file, refusing one other users can read or write. */
export function readKeyFile(file: string): Buffer {
  const st = statSync(file);
  if (process.platform !== "win32" && (st.mode & 0o077) !== 0) {
    throw new SecretKeyError(
      `the secret key file ${file} is readable by other users (mode ${(st.mode & 0o777).toString(8).padStart(4, "0")}): run chmod 600 ${file}, or set OSPREY_SECRET_KEY instead`,
    );
  }
  const key = decodeKey(readFileSync(file, "utf8"));
  if (!key) throw new SecretKeyError(`the secret key file ${file} does not hold a 32-byte key (base64 or hex)`);
  return key;
}

function writeTemp(file: string, key: Buffer): string {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const fd = openSync(tmp, "wx", 0o600);
  try {
    writeSync(fd, `${key.toString("base64")}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return tmp;
}

/** Creates the key file unless another process created it first; true when this call created it. */
function createKeyFile(file: string, key: Buffer): boolean {
  const tmp = writeTemp(file, key);
  try {
    linkSync(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

/** Replaces the key file in one step (write aside, fsync, rename), mode 0600. */
export function replaceKeyFile(file: string, key: Buffer): void {
  const tmp = writeTemp(file, key);
  renameSync(tmp, file);
}

// ---- The process's keyring ----

let cached: Keyring | undefined;

/** OSPREY_SECRET_KEY, else the key file in the data folder (created with mode 0600 on first run). */
export function loadKeyring(e: Env = env()): Keyring {
  if (e.OSPREY_SECRET_KEY) {
    const key = decodeKey(e.OSPREY_SECRET_KEY);
    if (!key) throw new SecretKeyError("OSPREY_SECRET_KEY must be 32 bytes written as 64 hex characters or base64");
    return { current: toSecretKey(key), source: { kind: "env" } };
  }
  const file = keyFilePath(e);
  let created = false;
  try {
    statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    created = createKeyFile(file, randomBytes(32));
  }
  return { current: toSecretKey(readKeyFile(file)), source: { kind: "file", path: file, created } };
}

export function keyring(): Keyring {
  cached ??= loadKeyring();
  return cached;
}

/** Forgets the loaded key: the next use reads OSPREY_SECRET_KEY or the key file again (after a rotation). */
export function reloadKeyring(): void {
  cached = undefined;
}

export function sealSecret(plaintext: string, aad: string): string {
  return sealWith(keyring().current, plaintext, aad);
}

export function openSecret(sealed: string, aad: string): string {
  return openWith([keyring().current], sealed, aad);
}

/** A stored value that may still be plaintext from before encryption at rest: opened when sealed, as is otherwise. */
export function openStored(value: string, aad: string): string {
  return isSealed(value) ? openSecret(value, aad) : value;
}

/** A key for one purpose, derived from the secret key by HKDF-SHA256: no second secret to store, and none reveals another. */
export function derivedSecret(purpose: string, key: SecretKey = keyring().current): string {
  return Buffer.from(hkdfSync("sha256", key.key, "osprey", `osprey:${purpose}`, 32)).toString("base64url");
}
