import { describe, expect, it } from "vitest";
import { carryForward, unreadActions } from "./carry-forward";
import { toLambdaConfig } from "./lambda-config";

const fn = { FunctionName: "orders", FunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:orders", MemorySize: 512 };

describe("carryForward", () => {
  it("keeps what a failed call fed from the stored config and takes the rest fresh", () => {
    const stored = toLambdaConfig({ ...fn, MemorySize: 256 }, { tags: { team: "a", "user-facing": "true" }, provisionedConcurrency: 5, reservedConcurrency: 10 });
    const fresh = toLambdaConfig(fn, { reservedConcurrency: 20 });
    const out = carryForward(fresh, stored as unknown as Record<string, unknown>, ["tags", "provisioned concurrency"]);
    expect(out.tags).toEqual({ team: "a", "user-facing": "true" });
    expect(out.userFacing).toBe(true);
    expect(out.provisionedConcurrency).toBe(5);
    expect(out.reservedConcurrency).toBe(20);
    expect(out.memorySizeMB).toBe(512);
  });

  it("a function seen for the first time keeps the fresh defaults and names the calls that never answered", () => {
    const fresh = toLambdaConfig(fn, {});
    const out = carryForward(fresh, undefined, ["tags", "log retention"]);
    expect(out).toEqual({ ...fresh, unread: ["log retention", "tags"] });
    expect(unreadActions(out)).toEqual(["logs:DescribeLogGroups", "lambda:ListTags"]);
    expect(carryForward(fresh, undefined, [])).toEqual(fresh);
  });

  it("stays unread until the call answers once, and an answer clears it", () => {
    const first = carryForward(toLambdaConfig(fn, {}), undefined, ["tags"]);
    const stored = first as unknown as Record<string, unknown>;
    expect(carryForward(toLambdaConfig(fn, {}), stored, ["tags"]).unread).toEqual(["tags"]);
    const answered = carryForward(toLambdaConfig(fn, { tags: { team: "a" } }), stored, []);
    expect(answered.unread).toBeUndefined();
    expect(answered.tags).toEqual({ team: "a" });
    // Failing after an answer falls back on the answer, which is no longer unread.
    const again = carryForward(toLambdaConfig(fn, {}), answered as unknown as Record<string, unknown>, ["tags"]);
    expect([again.tags, again.unread]).toEqual([{ team: "a" }, undefined]);
  });

  it("keeps the role's wildcard statements when its policies could not be read, never an empty answer", () => {
    const wide = { policy: "etl-access", statement: "AllOfDynamoDB", actions: ["dynamodb:*"], notAction: false, anyResource: true, resources: ["*"], level: "service" as const };
    const stored = toLambdaConfig(fn, { roleWildcards: [wide] });
    const fresh = toLambdaConfig(fn, { roleWildcards: null });
    expect(fresh.roleWildcards).toBeNull();
    expect(carryForward(fresh, stored as unknown as Record<string, unknown>, ["role policies"]).roleWildcards).toEqual([wide]);
    expect(carryForward(toLambdaConfig(fn, { roleWildcards: [] }), stored as unknown as Record<string, unknown>, []).roleWildcards).toEqual([]);
  });
});
