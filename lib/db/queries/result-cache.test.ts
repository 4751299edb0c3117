import { describe, expect, it } from "vitest";
import { cachedResult } from "./result-cache";

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
