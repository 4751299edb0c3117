import { describe, expect, it } from "vitest";
import { hasProbe, PROBED_CALLS } from "./permission-probes";
import { readOnlyPolicy } from "./permissions";

describe("the permission probes of verify", () => {
  it("probe every call of the read-only policy, each saying what is lost without it", () => {
    expect(new Set(PROBED_CALLS.map((c) => c.action))).toEqual(new Set(readOnlyPolicy().Statement.flatMap((s) => s.Action)));
    expect(PROBED_CALLS.filter((c) => !hasProbe(c)).map((c) => `${c.sdk}:${c.command}`)).toEqual([]);
    expect(PROBED_CALLS.filter((c) => !c.withoutIt).map((c) => c.command)).toEqual([]);
  });
});
