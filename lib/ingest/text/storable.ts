// Postgres text and jsonb refuse U+0000, and UTF-8 cannot encode a lone UTF-16 surrogate (Node would
// silently write U+FFFD for it in text, jsonb rejects the "\udXXX" escape JSON.stringify writes).
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** What replaces each NUL and each unpaired surrogate: U+FFFD, as a UTF-8 decoder does for bytes it cannot read. */
export const REPLACEMENT = "\uFFFD";

/** A string Postgres can store in text and jsonb: NUL and unpaired surrogates become U+FFFD, everything else is kept as is. */
export function toStorableText(s: string): string {
  return s.replace(UNSTORABLE, REPLACEMENT);
}

// String.prototype.isWellFormed (Node 20+; ES2024, past the lib this project compiles against): native, no regex.
const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/** True when toStorableText would change the string. */
export function hasUnstorableText(s: string): boolean {
  // The common case, checked natively: no NUL and no unpaired surrogate (a Firehose delivery's thousands of
  // strings each went through the look-behind regex below, about half the server's decoding time).
  if (!s.includes("\u0000") && isWellFormed(s)) return false;
  UNSTORABLE.lastIndex = 0;
  const found = UNSTORABLE.test(s);
  UNSTORABLE.lastIndex = 0;
  return found;
}

/**
 * toStorableText applied to every string (and object key) of plain data: arrays and plain objects are
 * copied only where something changed; dates, numbers and other values pass through untouched.
 */
export function toStorable<T>(value: T): T {
  return walk(value) as T;
}

function walk(value: unknown): unknown {
  if (typeof value === "string") return hasUnstorableText(value) ? toStorableText(value) : value;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v = walk(value[i]);
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    return out ?? value;
  }
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const obj = value as Record<string, unknown>;
    // Copied only when a key or value changes (most objects do not: no entries array built for them).
    for (const k in obj) {
      if (!Object.hasOwn(obj, k)) continue;
      if (walk(k) !== k || walk(obj[k]) !== obj[k]) return Object.fromEntries(Object.entries(obj).map(([k2, v]) => [walk(k2) as string, walk(v)]));
    }
    return value;
  }
  return value;
}
