import { describe, expect, it } from "vitest";
import { CONDITION_KINDS } from "@/lib/analysis/alerts/evaluate";
import { conditionInWords, formatValue, kindGroups, kindInfo, scopeInWords, toDisplay, toStored } from "./catalogue";

const base = { conditionKind: "error_rate", threshold: 0.05, criticalThreshold: null, windowMinutes: 10, minInvocations: 10 };
const scope = { scopeKind: "all", accountId: null, region: null, tagKey: null, tagValue: null, resourceIds: [] as number[] };

describe("the condition catalogue as the Alerts UI reads it", () => {
  it("offers every kind of the catalogue, each once, with its label", () => {
    const offered = kindGroups().flatMap((g) => g.kinds.map((k) => k.kind));
    expect(offered.sort()).toEqual([...CONDITION_KINDS].sort());
    expect(kindInfo("p95_duration")).toMatchObject({ label: "p95 duration", unit: "ms", usesMinInvocations: true, hasThreshold: true });
  });

  it("shows a percent typed as 5 and stores it as the share 0.05, without float noise", () => {
    expect(toStored("percent", 5)).toBe(0.05);
    expect(toStored("percent", 7)).toBe(0.07);
    expect(toDisplay("percent", 0.07)).toBe(7);
    expect(toDisplay("percent", 0.333)).toBe(33.3);
    expect(toStored("ms", 1500)).toBe(1500);
    expect(formatValue("percent", 0.2)).toBe("20 %");
    expect(formatValue("ms", 1500)).toBe("1,500 ms");
    expect(formatValue("usd", 0.5)).toBe("$0.50");
    expect(formatValue("count", 3)).toBe("3");
  });

  it("says a condition in words, with the critical threshold when set", () => {
    expect(conditionInWords(base)).toBe("Error rate ≥ 5 % over 10 min, at least 10 invocations");
    expect(conditionInWords({ ...base, criticalThreshold: 0.25 })).toBe("Error rate ≥ 5 % over 10 min, at least 10 invocations; critical at 25 %");
    expect(conditionInWords({ ...base, conditionKind: "out_of_memory", threshold: 1, windowMinutes: 5, minInvocations: 0 })).toBe("Out of memory ≥ 1 over 5 min");
    expect(conditionInWords({ ...base, conditionKind: "p99_duration", threshold: 2000, minInvocations: 1 })).toBe("p99 duration ≥ 2,000 ms over 10 min, at least 1 invocation");
  });

  it("reads a kind it does not know by its name, as a count, so a new kind still renders", () => {
    expect(kindInfo("some_new_kind")).toMatchObject({ label: "some new kind", unit: "count", hasThreshold: true });
  });

  it("says a scope in words, naming accounts and resources when their names are known", () => {
    expect(scopeInWords(scope)).toBe("Everything");
    expect(scopeInWords({ ...scope, scopeKind: "account", accountId: 2 }, { account: (id) => (id === 2 ? "prod" : undefined) })).toBe("Account prod");
    expect(scopeInWords({ ...scope, scopeKind: "region", region: "eu-west-1" })).toBe("Region eu-west-1");
    expect(scopeInWords({ ...scope, scopeKind: "tag", tagKey: "team", tagValue: "payments" })).toBe("Tag team=payments");
    const names = new Map([
      [1, "checkout"],
      [2, "orders"],
    ]);
    expect(scopeInWords({ ...scope, scopeKind: "resources", resourceIds: [1] }, { resource: (id) => names.get(id) })).toBe("1 resource: checkout");
    expect(scopeInWords({ ...scope, scopeKind: "resources", resourceIds: [1, 2, 3, 4, 5] }, { resource: (id) => names.get(id) })).toBe("5 resources: checkout, orders, #3 and 2 more");
  });
});
