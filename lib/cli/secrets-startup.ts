import pg from "pg";
import { keyring, SecretKeyError } from "../crypto/secrets";
import { countSecrets, sealPlaintextSecrets } from "../db/secrets-at-rest";
import { CliError } from "./main";

/** On start: load (or create) the secret key, refusing a world-readable key file, and seal secrets still stored in plaintext. */
export async function prepareSecrets(databaseUrl: string, say: (msg: string) => void): Promise<void> {
  let k;
  try {
    k = keyring();
  } catch (err) {
    if (err instanceof SecretKeyError) throw new CliError(err.message, 2);
    throw err;
  }
  if (k.source.kind === "file" && k.source.created) say(`created the secret key ${k.source.path} (mode 0600): back it up; without it stored secrets cannot be read`);
  const db = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    // A key other than the one the secrets were sealed under (a lost key file, another OSPREY_SECRET_KEY) stops the start here, not at the first send.
    const { byKey } = await countSecrets(db);
    const foreign = Object.entries(byKey).filter(([id]) => id !== "plaintext" && id !== k.current.id);
    if (foreign.length) {
      const from = k.source.kind === "env" ? "OSPREY_SECRET_KEY" : `the key file ${k.source.path}`;
      throw new CliError(
        `${foreign.map(([id, n]) => `${n} secret(s) are encrypted under key ${id}`).join(", ")}, but the key in use (${from}) is ${k.current.id}: set OSPREY_SECRET_KEY or restore the key file to the key with that id`,
        2,
      );
    }
    const n = await sealPlaintextSecrets(db, k.current);
    if (n) say(`encrypted ${n} secret(s) stored before encryption at rest (key ${k.current.id})`);
  } finally {
    await db.end();
  }
}
