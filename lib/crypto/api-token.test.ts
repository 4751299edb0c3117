import { describe, expect, it } from "vitest";
import { bearerToken } from "../auth/bearer";
import { apiTokenHint, apiTokenPrefix, generateApiToken } from "./api-token";
import { secretMatches, secretVerifier } from "./verifier";

describe("API tokens", () => {
  it("carry a public prefix and 32 random bytes, and verify against the SHA-256 of the whole text only", () => {
    const a = generateApiToken();
    const b = generateApiToken();
    expect(a.token).toMatch(/^osp_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(a.token.startsWith(`osp_${a.prefix}_`)).toBe(true);
    expect(a.token).not.toBe(b.token);
    expect(Buffer.from(a.token.slice(`osp_${a.prefix}_`.length), "base64url")).toHaveLength(32);
    expect(apiTokenPrefix(a.token)).toBe(a.prefix);
    const stored = secretVerifier(a.token);
    expect(stored.toString("hex")).not.toContain(Buffer.from(a.token).toString("hex"));
    expect(stored).toHaveLength(32);
    expect(secretMatches(a.token, stored)).toBe(true);
    expect(secretMatches(b.token, stored)).toBe(false);
    expect(secretMatches(a.token.slice(0, -1) + (a.token.endsWith("A") ? "B" : "A"), stored)).toBe(false);
    expect(secretMatches(a.token, stored.subarray(0, 16))).toBe(false);
    expect(apiTokenHint(a.prefix)).toBe(`osp_${a.prefix}_…`);
  });

  it("refuse text not shaped like a token", () => {
    for (const t of [null, "", "osp_1234567_" + "a".repeat(43), "osp_1234567g_" + "a".repeat(43), "osp_12345678_short", "ofk_1_" + "a".repeat(43), "osp_12345678_" + "a".repeat(44), ` osp_12345678_${"a".repeat(43)}`]) {
      expect(apiTokenPrefix(t)).toBeNull();
    }
  });

  it("are read from an Authorization: Bearer header; any other header leaves the session to decide", () => {
    const h = (authorization?: string) => new Headers(authorization === undefined ? {} : { authorization });
    expect(bearerToken(h("Bearer osp_12345678_abc"))).toBe("osp_12345678_abc");
    expect(bearerToken(h("bearer   osp_x  "))).toBe("osp_x");
    expect(bearerToken(h("Bearer"))).toBe("");
    expect(bearerToken(h("Bearer a b"))).toBeNull();
    expect(bearerToken(h("Basic dTpw"))).toBeNull();
    expect(bearerToken(h())).toBeNull();
  });
});
