import { createHash, timingSafeEqual } from "node:crypto";

/** Compares the delivered key with the configured one in constant time (hashing first evens the lengths). */
export function accessKeyMatches(given: string | null, expected: string): boolean {
  const a = createHash("sha256").update(given ?? "").digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b) && given !== null;
}
