import { describe, expect, it } from "vitest";
import { parseEnv } from "../env";
import { mailConfigured, smtpSettings } from "./osprey-mail";

describe("OSPREY_SMTP_URL and OSPREY_MAIL_FROM", () => {
  it("reads host, port, TLS and a percent-encoded login from the URL", () => {
    const e = parseEnv({ OSPREY_SMTP_URL: "smtps://mailer%40example.com:p%40ss%3Aw0rd@mail.example.com", OSPREY_MAIL_FROM: "Osprey <osprey@example.com>" });
    expect(mailConfigured(e)).toBe(true);
    expect(smtpSettings(e)).toEqual({ host: "mail.example.com", port: 465, secure: true, user: "mailer@example.com", pass: "p@ss:w0rd", from: "Osprey <osprey@example.com>" });
    expect(smtpSettings(parseEnv({ OSPREY_SMTP_URL: "smtp://relay.internal:2525" }))).toEqual({ host: "relay.internal", port: 2525, secure: false, user: undefined, pass: undefined, from: "Osprey <osprey@relay.internal>" });
  });

  it("is off without a URL", () => {
    expect(mailConfigured(parseEnv({}))).toBe(false);
    expect(smtpSettings(parseEnv({}))).toBeNull();
  });

  it("refuses another scheme without echoing the value, which holds a password", () => {
    expect(() => parseEnv({ OSPREY_SMTP_URL: "http://user:hunter2-secret@mail.example.com" })).toThrowError(/^Invalid configuration: OSPREY_SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL.*\(got 43 characters, not shown\)$/);
    expect(() => parseEnv({ OSPREY_SMTP_URL: "http://user:hunter2-secret@mail.example.com" })).not.toThrowError(/hunter2/);
    expect(() => parseEnv({ OSPREY_MAIL_FROM: "not an address" })).toThrowError(/OSPREY_MAIL_FROM/);
  });
});
