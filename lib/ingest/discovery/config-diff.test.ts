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
