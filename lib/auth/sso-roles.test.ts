import { describe, expect, it } from "vitest";
import { claimValues, roleForProfile, type SsoRoleMapping } from "./sso-roles";

const mapping: SsoRoleMapping = {
  claim: "groups",
  rules: [
    { value: "osprey-viewers", role: "viewer" },
    { value: "osprey-admins", role: "admin" },
    { value: "osprey-devs", role: "member" },
  ],
  defaultRole: null,
};

describe("SSO role mapping", () => {
  it("gives the highest role among the groups that match, whatever the order of rules and groups", () => {
    expect(roleForProfile({ groups: ["osprey-devs", "osprey-admins", "everyone"] }, mapping)).toBe("admin");
    expect(roleForProfile({ groups: ["osprey-viewers", "osprey-devs"] }, mapping)).toBe("member");
    expect(roleForProfile({ groups: "osprey-viewers" }, mapping)).toBe("viewer");
  });

  it("refuses when nothing matches and there is no default role, else gives the default", () => {
    expect(roleForProfile({ groups: ["everyone"] }, mapping)).toBeNull();
    expect(roleForProfile({}, mapping)).toBeNull();
    expect(roleForProfile({ groups: ["everyone"] }, { ...mapping, defaultRole: "viewer" })).toBe("viewer");
  });

  it("reads nested claims (Keycloak realm roles) and separated strings, exactly (no prefix or case folding)", () => {
    expect(claimValues({ realm_access: { roles: ["ops", "admin"] } }, "realm_access.roles")).toEqual(["ops", "admin"]);
    expect(claimValues({ roles: "a b,c" }, "roles")).toEqual(["a", "b", "c"]);
    expect(roleForProfile({ groups: ["Osprey-Admins", "osprey-admins-old"] }, mapping)).toBeNull();
  });
});
