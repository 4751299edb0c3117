import { describe, expect, it } from "vitest";
import { hasUnstorableText, toStorable, toStorableText } from "./storable";

describe("toStorableText", () => {
  it("replaces NUL with U+FFFD and keeps the rest", () => {
    expect(toStorableText("a\u0000b\u0000")).toBe("a\uFFFDb\uFFFD");
  });

  it("replaces unpaired high and low surrogates, keeps valid pairs (emoji) byte-exact", () => {
    const s = "x\uD83D\uDE00y\uD83Dz\uDE00\uD83D";
    expect(toStorableText(s)).toBe("x\uD83D\uDE00y\uFFFDz\uFFFD\uFFFD");
    expect(Buffer.from(toStorableText("\uD83D\uDE00 é ü 中 \t\r\n\u0001")).equals(Buffer.from("😀 é ü 中 \t\r\n\u0001"))).toBe(true);
  });

  it("a low surrogate after a valid pair is itself unpaired", () => {
    expect(toStorableText("\uD83D\uDE00\uDE00")).toBe("\uD83D\uDE00\uFFFD");
  });

  it("leaves ordinary text alone, including the six characters backslash-u-0000", () => {
    const s = 'REPORT RequestId: 1\tDuration: 2 ms "\\u0000"';
    expect(hasUnstorableText(s)).toBe(false);
    expect(toStorableText(s)).toBe(s);
    expect(hasUnstorableText("a\u0000")).toBe(true);
    expect(hasUnstorableText("a\u0000")).toBe(true);
  });
});

describe("toStorable", () => {
  it("cleans strings and keys at any depth and returns jsonb-safe JSON", () => {
    const v = { msg: "a\u0000", list: ["ok", "\uD800"], nested: { "k\u0000": 1, when: new Date(0) }, n: 3, none: null };
    const out = toStorable(v);
    expect(out).toEqual({ msg: "a\uFFFD", list: ["ok", "\uFFFD"], nested: { "k\uFFFD": 1, when: new Date(0) }, n: 3, none: null });
    expect(JSON.stringify(out)).not.toMatch(/\\u0000|\\ud8/i);
  });

  it("returns the very same object when nothing needs cleaning", () => {
    const v = { a: ["x", { b: "y" }], c: 1 };
    expect(toStorable(v)).toBe(v);
  });
});
