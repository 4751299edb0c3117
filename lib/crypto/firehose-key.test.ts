import { describe, expect, it } from "vitest";
import { firehoseKeyAccount, firehoseKeyHint, firehoseKeyMatches, generateFirehoseKey, hashFirehoseKey } from "./firehose-key";

describe("Firehose keys", () => {
  it("name their account, carry 32 random bytes, and verify against their hash only", () => {
    const a = generateFirehoseKey(42);
    const b = generateFirehoseKey(42);
    expect(a).toMatch(/^ofk_42_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(Buffer.from(a.slice("ofk_42_".length), "base64url")).toHaveLength(32);
    expect(firehoseKeyAccount(a)).toBe(42);
    expect(firehoseKeyMatches(a, hashFirehoseKey(a))).toBe(true);
    expect(firehoseKeyMatches(b, hashFirehoseKey(a))).toBe(false);
    expect(firehoseKeyMatches(a.slice(0, -1) + (a.endsWith("A") ? "B" : "A"), hashFirehoseKey(a))).toBe(false);
    expect(firehoseKeyHint(a)).toBe(`…${a.slice(-4)}`);
  });

  it("refuse anything not shaped like a key", () => {
    for (const k of [null, "", "ofk_0_" + "a".repeat(43), "ofk_1_short", "ofk_x_" + "a".repeat(43), "a legacy key of any shape", "ofk_1_" + "a".repeat(44)]) {
      expect(firehoseKeyAccount(k)).toBeNull();
    }
  });
});
