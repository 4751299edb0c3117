import { describe, expect, it } from "vitest";
import { safeNext, signInPath } from "./next-path";

describe("where sign-in leads", () => {
  it("keeps a path of this site, with its query", () => {
    expect(safeNext("/functions?range=1h")).toBe("/functions?range=1h");
    expect(signInPath("/functions?range=1h")).toBe("/sign-in?next=%2Ffunctions%3Frange%3D1h");
    expect(signInPath("/")).toBe("/sign-in");
  });

  it("never leads to another site, nor back to sign-in, setup or the API", () => {
    for (const bad of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "evil", "/sign-in?next=/x", "/setup?token=x", "/api/v1/accounts", null, undefined, ""]) {
      expect(safeNext(bad), String(bad)).toBe("/");
    }
  });
});
