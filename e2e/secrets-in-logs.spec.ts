import { expect, test } from "@playwright/test";
import { existsSync, readFileSync } from "node:fs";
import { E2E_SECRETS_FILE, E2E_SERVER_LOG, E2E_SETUP_TOKEN, OWNER_STATE } from "../playwright.config";
import { OWNER } from "./helpers";

// Last of the run: everything the server wrote (LOG_LEVEL debug) holds none of the secrets the run gave it.
interface Secret {
  label: string;
  value: string;
}

function secretsOfTheRun(): Secret[] {
  const recorded = existsSync(E2E_SECRETS_FILE)
    ? readFileSync(E2E_SECRETS_FILE, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Secret)
    : [];
  const state = JSON.parse(readFileSync(OWNER_STATE, "utf8")) as { cookies: { name: string; value: string }[] };
  const cookies = state.cookies.filter((c) => c.name.includes("session")).map((c) => ({ label: "session cookie of the owner", value: c.value }));
  return [{ label: "password of the owner", value: OWNER.password }, { label: "setup token", value: E2E_SETUP_TOKEN }, ...cookies, ...recorded];
}

/** The ways a secret may appear in a log line: as it is, URL-encoded, JSON-escaped, and a signed cookie's token without its signature. */
function forms(value: string): string[] {
  const decoded = decodeURIComponent(value);
  const token = decoded.includes(".") ? decoded.slice(0, decoded.lastIndexOf(".")) : decoded;
  return [...new Set([value, decoded, token, encodeURIComponent(decoded), JSON.stringify(decoded).slice(1, -1)])].filter((f) => f.length >= 12);
}

test("the server's log of the whole run holds no secret it was given", () => {
  expect(existsSync(E2E_SERVER_LOG), `${E2E_SERVER_LOG} (playwright.config.ts webServer writes it)`).toBe(true);
  const log = readFileSync(E2E_SERVER_LOG, "utf8");
  expect(log).toContain('"level":20');
  const secrets = secretsOfTheRun();
  expect(secrets.map((s) => s.label)).toEqual(expect.arrayContaining(["password of the owner", "setup token", "session cookie of the owner"]));
  const found = secrets.filter((s) => forms(s.value).some((f) => log.includes(f))).map((s) => `${s.label}: ${s.value}`);
  expect(found, `secrets in ${E2E_SERVER_LOG}`).toEqual([]);
});
