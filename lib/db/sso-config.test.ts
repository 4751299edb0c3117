import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "../env";
import { ssoConfigFromEnv, ssoRedirectUri } from "./sso-config";

describe("single sign-on from the environment", () => {
  it("reads OSPREY_OIDC_* into the same configuration Settings stores", () => {
    const e = parseEnv({
      OSPREY_PUBLIC_URL: "https://osprey.example.com/",
      OSPREY_OIDC_ISSUER: "https://example.okta.com",
      OSPREY_OIDC_CLIENT_ID: "0oa1",
      OSPREY_OIDC_CLIENT_SECRET: "s3cret",
      OSPREY_OIDC_NAME: "Okta",
      OSPREY_OIDC_ROLE_MAP: "osprey-admins=admin, Osprey Devs=member",
      OSPREY_OIDC_DEFAULT_ROLE: "viewer",
    });
    expect(ssoConfigFromEnv(e)).toMatchObject({
      source: "env",
      enabled: true,
      name: "Okta",
      issuer: "https://example.okta.com",
      clientSecret: "s3cret",
      scopes: ["openid", "email", "profile"],
      roleClaim: "groups",
      rules: [
        { value: "osprey-admins", role: "admin" },
        { value: "Osprey Devs", role: "member" },
      ],
      defaultRole: "viewer",
    });
    expect(ssoRedirectUri(e)).toBe("https://osprey.example.com/api/auth/callback/sso");
    expect(ssoConfigFromEnv(parseEnv({}))).toBeNull();
    expect(ssoConfigFromEnv(parseEnv({ OSPREY_OIDC_ISSUER: "https://idp.example" }))?.defaultRole).toBeNull();
  });

  it("refuses a role map with an unknown role, and never echoes the client secret", () => {
    expect(() => parseEnv({ OSPREY_OIDC_ROLE_MAP: "ops=superuser" })).toThrow(ConfigError);
    expect(() => parseEnv({ OSPREY_OIDC_CLIENT_SECRET: "x".repeat(3000) })).toThrow(/3000 characters, not shown/);
  });
});
