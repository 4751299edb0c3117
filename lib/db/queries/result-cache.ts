import { LRUCache } from "lru-cache";

// Fleet aggregates over long ranges read tens of thousands of rollup rows. Their inputs are whole
// rollup buckets (ranges are aligned to minutes, or to hours beyond 6 h), so the same aligned range
// gives the same answer until new data lands, and new data lands about once a minute: a short-lived
// cache serves repeated views (every open dashboard refetches every 20 s) from memory. A stale entry
// is answered at once while one query refreshes it in the background; concurrent misses share a query.
const TTL_MS = 20_000;

type Loader = () => Promise<unknown>;

const cache = new LRUCache<string, { value: unknown }, Loader>({
  max: 500,
  ttl: TTL_MS,
  allowStale: true,
  noDeleteOnFetchRejection: false,
  fetchMethod: async (_key, _stale, { context }) => ({ value: await context() }),
});

/** The value of `load` for `key`, at most TTL_MS old (older ones are refreshed in the background). */
export async function cachedResult<T>(key: string, load: () => Promise<T>): Promise<T> {
  const entry = await cache.fetch(key, { context: load as Loader });
  return entry!.value as T;
}
