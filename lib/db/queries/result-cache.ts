import { LRUCache } from "lru-cache";
import { env } from "@/lib/env";

// Fleet aggregates over long ranges read tens of thousands of rollup rows. Their inputs are whole
// rollup buckets (ranges are whole minutes, lib/db/queries/rollup-range.ts), so the same aligned range
// gives the same answer until new data lands, and new data lands about once a minute: a short-lived
// cache serves repeated views (every open dashboard refetches every 20 s) from memory. Concurrent misses
// share a query. OSPREY_RESULT_CACHE_MS sets it (default 20 s; 0 turns the cache off) and bounds it hard:
// no answer older than that is served, counted from when its query began. Past half of it, an entry is
// answered at once while one query refreshes it in the background; past all of it, the request waits
// for the database. The cache is per process and nothing invalidates it on writes (the workers write,
// in other processes): several web instances behind a load balancer each serve a view at most this old.
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

interface Entry {
  value: unknown;
  bytes: number;
  /** when its query began (Date.now()) */
  at: number;
}

const cache = new LRUCache<string, Entry, Loader>({
  max: 500,
  maxSize: CACHE_MAX_BYTES,
  sizeCalculation: (entry) => Math.max(1, entry.bytes),
  ttl: Math.max(1, Math.floor(TTL_MS / 2)),
  allowStale: true,
  noDeleteOnFetchRejection: false,
  fetchMethod: async (_key, _stale, { context }) => {
    const at = Date.now();
    const value = await context();
    return { value, bytes: approxBytes(value), at };
  },
});

/** Entries held and the bytes they take, as approxBytes counts them. */
export function cacheFootprint(): { entries: number; bytes: number } {
  return { entries: cache.size, bytes: cache.calculatedSize };
}

/** The value of `load` for `key`, from a query begun at most TTL_MS ago (past half of that, refreshed in the background). */
export async function cachedResult<T>(key: string, load: () => Promise<T>): Promise<T> {
  if (TTL_MS === 0) return load();
  const asked = Date.now();
  const held = cache.peek(key, { allowStale: true });
  const tooOld = held !== undefined && asked - held.at >= TTL_MS;
  const entry = await cache.fetch(key, { context: load as Loader, allowStale: !tooOld, forceRefresh: tooOld });
  // A refresh already in flight may have begun before the bound: then this request asks the database itself.
  if (asked - entry!.at > TTL_MS) return load();
  return entry!.value as T;
}
