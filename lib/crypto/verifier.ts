import { createHash, timingSafeEqual } from "node:crypto";

/**
 * The verifier kept for a high-entropy secret (a Firehose key, an API token): its SHA-256. Such a secret holds
 * 256 random bits, so a slow password hash (argon2, bcrypt) adds nothing: nobody can guess their way back from
 * the verifier, and a fast hash keeps checking a secret on every request cheap.
 */
export function secretVerifier(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

/** Constant-time comparison of a presented secret with a stored verifier. */
export function secretMatches(presented: string, storedHash: Buffer): boolean {
  const h = secretVerifier(presented);
  return storedHash.length === h.length && timingSafeEqual(h, storedHash);
}
