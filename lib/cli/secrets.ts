import { existsSync, renameSync, rmSync } from "node:fs";
import { generateKey, keyring, reloadKeyring, replaceKeyFile } from "../crypto/secrets";
import { CLI_ACTOR } from "../db/audit";
import { closeDb, pool } from "../db/prisma";
import { countSecrets, reencryptSecrets } from "../db/secrets-at-rest";
import { CliError } from "./main";

const USAGE = `usage:
  osprey secrets status       where the secret key comes from, and how many values each key id encrypts
  osprey secrets rotate-key   re-encrypt every secret under a new key (one transaction)`;

export async function secretsCommand(args: string[]): Promise<number> {
  const [sub] = args;
  try {
    if (sub === "status") return await status();
    if (sub === "rotate-key") return await rotateKey();
    throw new CliError(USAGE, 2);
  } finally {
    await closeDb();
  }
}

const out = (line: string) => process.stdout.write(`${line}\n`);

async function status(): Promise<number> {
  const k = keyring();
  out(k.source.kind === "env" ? `key: OSPREY_SECRET_KEY (id ${k.current.id})` : `key: file ${k.source.path} (id ${k.current.id}, mode 0600)`);
  const counts = await countSecrets(pool());
  for (const [column, byKey] of Object.entries(counts.columns)) {
    const parts = Object.entries(byKey).map(([id, n]) => `${n} under ${id === "plaintext" ? "no key (plaintext: sealed at the next start)" : `key ${id}${id === k.current.id ? "" : " (not the key in use)"}`}`);
    out(`${column}: ${parts.length ? parts.join(", ") : "none"}`);
  }
  out(`firehose keys: ${counts.firehoseKeys} (kept as SHA-256 hashes, under no key)`);
  const stale = Object.keys(counts.byKey).filter((id) => id !== "plaintext" && id !== k.current.id);
  if (stale.length) {
    out(`warning: ${stale.map((id) => `${counts.byKey[id]} value(s) under key ${id}`).join(", ")} do not open with the key in use`);
    return 1;
  }
  return 0;
}

async function rotateKey(): Promise<number> {
  const k = keyring();
  const next = generateKey();
  if (k.source.kind === "file") {
    const file = k.source.path;
    const aside = `${file}.next`;
    // The new key is written aside (0600, fsynced) before the values move, and takes the old one's place
    // only once they have: a crash in between leaves the old key file with the old values.
    const n = await reencryptSecrets(pool(), [k.current], next, CLI_ACTOR, () => replaceKeyFile(aside, next.key)).catch((err) => {
      rmSync(aside, { force: true });
      throw err;
    });
    renameSync(aside, file);
    reloadKeyring();
    out(`re-encrypted ${n} secret(s): key ${k.current.id} -> ${next.id}; the key file ${file} now holds the new key`);
    out("restart Osprey (web and workers) so they read the new key");
    return 0;
  }
  let told = false;
  const n = await reencryptSecrets(pool(), [k.current], next, CLI_ACTOR, () => {
    // Said before the commit: once it commits, only the new key opens the secrets.
    out(`new key (id ${next.id}): set OSPREY_SECRET_KEY=${next.key.toString("base64")}`);
    told = true;
  });
  if (!told) throw new CliError("rotation did not complete");
  out(`re-encrypted ${n} secret(s): key ${k.current.id} -> ${next.id}`);
  out("set OSPREY_SECRET_KEY to the new key above wherever Osprey runs, and restart it: the old key no longer opens anything");
  if (existsSync(".env")) out("(a .env file is present here: update it too)");
  return 0;
}
