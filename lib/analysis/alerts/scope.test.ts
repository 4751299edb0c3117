import { describe, expect, it } from "vitest";
import { inScope, type PolicyScope } from "./scope";

const all: PolicyScope = { scopeKind: "all", accountId: null, region: null, tagKey: null, tagValue: null, resourceIds: [] };
const fn = { id: 7, accountId: 1, region: "eu-west-1", tags: { team: "payments", tier: "1" } };

describe("inScope", () => {
  it("matches by account, region (with or without an account), tag key=value and resource list", () => {
    expect(inScope(all, fn)).toBe(true);
    expect(inScope({ ...all, scopeKind: "account", accountId: 1 }, fn)).toBe(true);
    expect(inScope({ ...all, scopeKind: "account", accountId: 2 }, fn)).toBe(false);
    expect(inScope({ ...all, scopeKind: "region", region: "eu-west-1" }, fn)).toBe(true);
    expect(inScope({ ...all, scopeKind: "region", region: "eu-west-1", accountId: 2 }, fn)).toBe(false);
    expect(inScope({ ...all, scopeKind: "region", region: "us-east-1" }, fn)).toBe(false);
    expect(inScope({ ...all, scopeKind: "tag", tagKey: "team", tagValue: "payments" }, fn)).toBe(true);
    expect(inScope({ ...all, scopeKind: "tag", tagKey: "team", tagValue: "search" }, fn)).toBe(false);
    expect(inScope({ ...all, scopeKind: "tag", tagKey: "owner", tagValue: "" }, fn)).toBe(false);
    expect(inScope({ ...all, scopeKind: "tag", tagKey: "toString", tagValue: "" }, { ...fn, tags: {} })).toBe(false);
    expect(inScope({ ...all, scopeKind: "resources", resourceIds: [3, 7] }, fn)).toBe(true);
    expect(inScope({ ...all, scopeKind: "resources", resourceIds: [3] }, fn)).toBe(false);
  });
});
