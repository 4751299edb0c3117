import { describe, expect, it, vi } from "vitest";
import { approxBytes, CACHE_MAX_BYTES, cacheFootprint, cachedResult } from "./result-cache";

describe("cachedResult", () => {
  it("runs one query for concurrent and repeated reads of the same key", async () => {
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 20));
      return { n: loads };
    };
    const [a, b] = await Promise.all([cachedResult("k1", load), cachedResult("k1", load)]);
    const c = await cachedResult("k1", load);
    expect(loads).toBe(1);
    expect(a).toEqual({ n: 1 });
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it("keeps different keys apart", async () => {
    expect(await cachedResult("k2", async () => "two")).toBe("two");
    expect(await cachedResult("k3", async () => "three")).toBe("three");
  });
});

describe("the cache's memory", () => {
  it("stays under its byte budget however many distinct fleet views are asked for", async () => {
    // One fleet view: a thousand functions, each with a dense 469-bucket histogram.
    const view = () => ({ resources: Array.from({ length: 1000 }, (_, i) => ({ id: i, hist: new Array(469).fill(1) })) });
    for (let i = 0; i < 60; i++) await cachedResult(`view:${i}`, async () => view());
    const { entries, bytes } = cacheFootprint();
    expect(bytes).toBeLessThanOrEqual(CACHE_MAX_BYTES);
    expect(entries).toBeLessThan(60);
    expect(entries).toBeGreaterThan(10);
  });

  it("counts numbers, strings and nesting", () => {
    expect(approxBytes(new Array(1000).fill(0))).toBe(16 + 8000);
    expect(approxBytes({ a: "xy" })).toBe(32 + 8 + 16 + 4);
  });

  it("asks the database every time when OSPREY_RESULT_CACHE_MS is 0", async () => {
    vi.stubEnv("OSPREY_RESULT_CACHE_MS", "0");
    vi.resetModules();
    try {
      const fresh = await import("./result-cache");
      let loads = 0;
      for (let i = 0; i < 3; i++) await fresh.cachedResult("same", async () => ++loads);
      expect(loads).toBe(3);
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});

describe("two web instances behind a load balancer", () => {
  it("each serve the database's new answer once a bound of OSPREY_RESULT_CACHE_MS has passed since it changed, however long an entry sat unread", async () => {
    const TTL = 400;
    vi.stubEnv("OSPREY_RESULT_CACHE_MS", String(TTL));
    try {
      // Two processes' caches: each instance has its own module state, and nothing tells one of the other's reads.
      vi.resetModules();
      const a = await import("./result-cache");
      vi.resetModules();
      const b = await import("./result-cache");
      const database = { version: 1 };
      const load = async () => {
        const seen = database.version;
        await new Promise((r) => setTimeout(r, 20));
        return seen;
      };
      expect(await a.cachedResult("fleet", load)).toBe(1);
      expect(await b.cachedResult("fleet", load)).toBe(1);
      // The workers write; then a dashboard polls through the load balancer, alternating between instances.
      database.version = 2;
      const changed = Date.now();
      const served: { instance: string; at: number; version: number }[] = [];
      while (Date.now() - changed < 3 * TTL) {
        for (const [name, c] of [["a", a], ["b", b]] as const) {
          const at = Date.now();
          served.push({ instance: name, at, version: await c.cachedResult("fleet", load) });
        }
        await new Promise((r) => setTimeout(r, 60));
      }
      // Within the bound an instance may still answer what it held; from then on both answer the new data.
      const late = served.filter((s) => s.at - changed >= TTL);
      expect(late.length).toBeGreaterThan(4);
      expect(late.filter((s) => s.version !== 2)).toEqual([]);

      // An entry nobody asked for in a long while is not answered from memory.
      expect(await a.cachedResult("idle", load)).toBe(2);
      await new Promise((r) => setTimeout(r, 2 * TTL));
      database.version = 3;
      expect(await a.cachedResult("idle", load)).toBe(3);
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});
