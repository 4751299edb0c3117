import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv, publicUrl } from "./env";

describe("parseEnv", () => {
  it("applies the documented defaults", () => {
    const e = parseEnv({});
    expect(e.PORT).toBe(3000);
    expect(e.OSPREY_DATA_DIR).toBe("./.osprey");
    expect(e.LOG_LEVEL).toBe("info");
    expect(e.DATABASE_URL).toBeUndefined();
  });

  it("treats an empty DATABASE_URL as unset", () => {
    expect(parseEnv({ DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
  });

  it("names the variable that is wrong", () => {
    expect(() => parseEnv({ PORT: "eighty" })).toThrowError(ConfigError);
    try {
      parseEnv({ PORT: "70000" });
    } catch (err) {
      expect((err as ConfigError).variable).toBe("PORT");
      expect((err as Error).message).toMatch(/^Invalid configuration: PORT /);
    }
  });

  it("rejects a DATABASE_URL that is not Postgres", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrowError(/DATABASE_URL/);
  });

  it("rejects an unknown log level", () => {
    expect(() => parseEnv({ LOG_LEVEL: "loud" })).toThrowError(/LOG_LEVEL/);
  });

  it("links notifications to OSPREY_PUBLIC_URL, else to this server's own address", () => {
    expect(publicUrl(parseEnv({ OSPREY_PUBLIC_URL: "https://osprey.example.com/" }))).toBe("https://osprey.example.com");
    expect(publicUrl(parseEnv({ PORT: "3207" }))).toBe("http://127.0.0.1:3207");
    expect(publicUrl(parseEnv({ HOST: "0.0.0.0" }))).toBe("http://localhost:3000");
    expect(() => parseEnv({ OSPREY_PUBLIC_URL: "ftp://x" })).toThrowError(/OSPREY_PUBLIC_URL/);
  });
});
