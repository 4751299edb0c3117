import { describe, expect, it } from "vitest";
import { hasRole, isRole } from "./roles";

describe("roles", () => {
  it("each role may do what the ones below it may, and no more", () => {
    expect(hasRole("owner", "admin")).toBe(true);
    expect(hasRole("admin", "member")).toBe(true);
    expect(hasRole("member", "viewer")).toBe(true);
    expect(hasRole("viewer", "viewer")).toBe(true);
    expect(hasRole("admin", "owner")).toBe(false);
    expect(hasRole("member", "admin")).toBe(false);
    expect(hasRole("viewer", "member")).toBe(false);
  });

  it("knows only its four roles", () => {
    expect(["owner", "admin", "member", "viewer"].every(isRole)).toBe(true);
    expect(isRole("root")).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });
});
