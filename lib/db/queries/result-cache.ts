import { LRUCache } from "lru-cache";
import { env } from "@/lib/env";

// Fleet aggregates over long ranges read tens of thousands of rollup rows. Their inputs are whole
// rollup buckets (ranges are whole minutes, lib/db/queries/rollup-range.ts), so the same aligned range
// gives the same answer until new data lands, and new data lands about once a minute: a short-lived
// cache serves repeated views (every open dashboard refetches every 20 s) from memory. A stale entry
// is answered at once while one query refreshes it in the background; concurrent misses share a query.
// OSPREY_RESULT_CACHE_MS sets it (default 20 s; 0 turns the cache off).
// Stale entries stay until evicted, and one fleet view of a thousand functions holds their dense
// histograms (about 4 MB): the cache is bounded by the memory its entries take, not by their number.
export const CACHE_MAX_BYTES = 128 * 2 ** 20;

type Loader = () => Promise<unknown>;

/** Roughly the heap a plain JSON-like value takes: 8 bytes a number, 2 a character, some per object. */
export function approxBytes(value: unknown): number {
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) return 8;
  if (typeof value === "string") return 16 + 2 * value.length;
  if (Array.isArray(value)) {
    let n = 16;
    for (const v of value) n += typeof v === "number" ? 8 : approxBytes(v);
    return n;
  }
  if (typeof value === "object") {
    let n = 32;
    for (const v of Object.values(value as Record<string, unknown>)) n += 8 + approxBytes(v);
    return n;
  }
  return 8;
}

const TTL_MS = env().OSPREY_RESULT_CACHE_MS;

const cache = new LRUCache<string, { value: unknown; bytes: number }, Loader>({
  max: 500,
  maxSize: CACHE_MAX_BYTES,
  sizeCalculation: (entry) => Math.max(1, entry.bytes),
  ttl: Math.max(1, TTL_MS),
  allowStale: true,
  noDeleteOnFetchRejection: false,
  fetchMethod: async (_key, _stale, { context }) => {
    const value = await context();
    return { value, bytes: approxBytes(value) };
  },
});

/** Entries held and the bytes they take, as approxBytes counts them. */
export function cacheFootprint(): { entries: number; bytes: number } {
  return { entries: cache.size, bytes: cache.calculatedSize };
}

/** The value of `load` for `key`, at most TTL_MS old (older ones are refreshed in the background). */
export async function cachedResult<T>(key: string, load: () => Promise<T>): Promise<T> {
  if (TTL_MS === 0) return load();
  const entry = await cache.fetch(key, { context: load as Loader });
  return entry!.value as T;
}
