import { describe, expect, it } from "vitest";
import { diffConfig } from "./config-diff";

describe("diffConfig", () => {
  it("names each changed field with its old and new value", () => {
    expect(diffConfig({ memorySizeMB: 512, timeoutS: 30, tags: { a: "1" } }, { memorySizeMB: 1024, timeoutS: 30, tags: { a: "1" } })).toEqual([
      { path: "memorySizeMB", from: 512, to: 1024 },
    ]);
  });

  it("ignores a new lastModified on its own", () => {
    expect(diffConfig({ lastModified: "a", memorySizeMB: 128 }, { lastModified: "b", memorySizeMB: 128 })).toEqual([]);
  });

  it("ignores the statistics DynamoDB refreshes every few hours", () => {
    const table = { billingMode: "PROVISIONED", readCapacityUnits: 5, itemCount: 12_004, sizeBytes: 3_001_881 };
    expect(diffConfig(table, { ...table, itemCount: 12_980, sizeBytes: 3_240_112 })).toEqual([]);
    expect(diffConfig(table, { ...table, itemCount: null, sizeBytes: null })).toEqual([]);
    expect(diffConfig(table, { ...table, itemCount: 13_000, readCapacityUnits: 25 })).toEqual([{ path: "readCapacityUnits", from: 5, to: 25 }]);
  });

  it("ignores a change of tags, which is no configuration change", () => {
    const fn = { memorySizeMB: 512, tags: { team: "a" } };
    expect(diffConfig(fn, { ...fn, tags: { team: "b", env: "prod" } })).toEqual([]);
    expect(diffConfig(fn, { memorySizeMB: 1024, tags: {} })).toEqual([{ path: "memorySizeMB", from: 512, to: 1024 }]);
  });

  it("does not count a change of key order (jsonb reorders keys)", () => {
    expect(diffConfig({ tags: { team: "a", env: "prod" } }, { tags: { env: "prod", team: "a" } })).toEqual([]);
  });

  it("reports added and removed fields", () => {
    expect(diffConfig({ deadLetterTargetArn: "arn:x" }, { runtime: "nodejs22.x" })).toEqual([
      { path: "deadLetterTargetArn", from: "arn:x", to: null },
      { path: "runtime", from: null, to: "nodejs22.x" },
    ]);
  });
});
