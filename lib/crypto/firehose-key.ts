import { randomBytes } from "node:crypto";
import { secretMatches, secretVerifier } from "./verifier";

/**
 * An account's Firehose access key: `ofk_<accountId>_<32 random bytes, base64url>`. The account id in
 * the key says whose verifier to compare with; the random part is what proves it. Only a SHA-256 of the
 * key is stored: 256 random bits need no slow hash, and a verifier cannot be turned back into the key.
 */
const KEY = /^ofk_([1-9][0-9]{0,9})_([A-Za-z0-9_-]{43})$/;

export function generateFirehoseKey(accountId: number): string {
  return `ofk_${accountId}_${randomBytes(32).toString("base64url")}`;
}

/** The account a key names, or null when the text is not shaped like an account's key. */
export function firehoseKeyAccount(key: string | null | undefined): number | null {
  const m = key ? KEY.exec(key) : null;
  return m ? Number(m[1]) : null;
}

export const hashFirehoseKey = secretVerifier;

/** Constant-time comparison of a presented key with a stored verifier. */
export const firehoseKeyMatches = secretMatches;

/** What the UI may show of a key to tell it apart: its last four characters. */
export const firehoseKeyHint = (key: string) => `…${key.slice(-4)}`;
