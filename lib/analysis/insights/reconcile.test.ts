import { describe, expect, it } from "vitest";
import { aContext, aFunction, NOW } from "./__fixtures__/builders";
import { evaluateInsights } from "./engine";
import { reconcileFindings, type StoredInsight } from "./reconcile";
import type { Finding } from "./types";

const LATER = new Date(NOW.getTime() + 5 * 60_000);
const FIRST_SEEN = new Date("2026-02-27T08:00:00Z");
const failing = aContext({ functions: [aFunction({}, { invocations: 1000, errors: 50 })] });
const healthy = aContext({ functions: [aFunction()] });
const [errorFinding] = evaluateInsights(failing);

function stored(finding: Finding, state: StoredInsight["state"]): StoredInsight {
  return { ruleId: finding.ruleId, resourceArn: finding.resourceArn, state, firstSeenAt: FIRST_SEEN };
}

describe("reconcileFindings", () => {
  it("inserts a new finding as open, first and last seen now", () => {
    const result = reconcileFindings([], [errorFinding], NOW);
    expect(result.insert).toEqual([{ finding: errorFinding, state: "open", firstSeenAt: NOW, lastSeenAt: NOW }]);
    expect(result.update).toEqual([]);
    expect(result.resolve).toEqual([]);
  });

  it("resolves by itself when the condition clears", () => {
    const previous = [stored(errorFinding, "open")];
    const result = reconcileFindings(previous, evaluateInsights(healthy), LATER);
    expect(result.resolve).toEqual([{ ruleId: "lambda-error-rate", resourceArn: errorFinding.resourceArn, resolvedAt: LATER }]);
    expect(result.insert).toEqual([]);
  });

  it("keeps the acknowledged state and first-seen time while the condition persists", () => {
    const result = reconcileFindings([stored(errorFinding, "acknowledged")], evaluateInsights(failing), LATER);
    expect(result.update).toEqual([
      { finding: errorFinding, state: "acknowledged", firstSeenAt: FIRST_SEEN, lastSeenAt: LATER, reopened: false },
    ]);
    expect(result.resolve).toEqual([]);
  });

  it("resolves an acknowledged finding whose condition clears", () => {
    expect(reconcileFindings([stored(errorFinding, "acknowledged")], [], LATER).resolve).toHaveLength(1);
  });

  it("keeps a muted finding muted, whether the condition persists or clears", () => {
    const persisting = reconcileFindings([stored(errorFinding, "muted")], [errorFinding], LATER);
    expect(persisting.update[0]).toMatchObject({ state: "muted", firstSeenAt: FIRST_SEEN, lastSeenAt: LATER });
    const cleared = reconcileFindings([stored(errorFinding, "muted")], [], LATER);
    expect(cleared).toEqual({ insert: [], update: [], resolve: [] });
  });

  it("reopens a resolved finding whose condition returns", () => {
    const result = reconcileFindings([stored(errorFinding, "resolved")], [errorFinding], LATER);
    expect(result.update).toEqual([{ finding: errorFinding, state: "open", firstSeenAt: LATER, lastSeenAt: LATER, reopened: true }]);
    expect(reconcileFindings([stored(errorFinding, "resolved")], [], LATER)).toEqual({ insert: [], update: [], resolve: [] });
  });

  it("handles a mix of resources independently", () => {
    const other = { ...errorFinding, resourceArn: "arn:aws:lambda:us-east-1:123456789012:function:other" };
    const result = reconcileFindings([stored(other, "open")], [errorFinding, errorFinding], LATER);
    expect(result.insert.map((i) => i.finding.resourceArn)).toEqual([errorFinding.resourceArn]);
    expect(result.resolve.map((r) => r.resourceArn)).toEqual([other.resourceArn]);
  });
});
