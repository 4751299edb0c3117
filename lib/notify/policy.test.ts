import { describe, expect, it } from "vitest";
import { backoffMs, classifyHttp, nextStep, planChannel, RETRY_WINDOW_MS, scrubSecrets } from "./policy";

const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const fresh = (...ids: number[]) => ids.map((id) => ({ id, attempts: 0, digest: false }));

describe("classifyHttp", () => {
  it("retries 408, 429 and 5xx, honouring Retry-After; other 4xx are permanent", () => {
    expect(classifyHttp(200, "ok", null, NOW)).toEqual({ ok: true, info: "HTTP 200" });
    expect(classifyHttp(202, "", null, NOW).ok).toBe(true);
    expect(classifyHttp(429, "slow down", "30", NOW)).toMatchObject({ ok: false, permanent: false, retryAfterMs: 30_000 });
    expect(classifyHttp(503, "", new Date(NOW + 90_000).toUTCString(), NOW)).toMatchObject({ permanent: false, retryAfterMs: 90_000 });
    expect(classifyHttp(408, "", null, NOW)).toMatchObject({ permanent: false });
    expect(classifyHttp(404, "channel_not_found", null, NOW)).toMatchObject({ ok: false, permanent: true, error: "HTTP 404: channel_not_found" });
    expect(classifyHttp(400, "invalid_payload", null, NOW)).toMatchObject({ permanent: true });
  });
});

describe("backoff and retries", () => {
  it("doubles from 30 s up to an hour, drawn from the upper half", () => {
    expect(backoffMs(1, () => 0)).toBe(15_000);
    expect(backoffMs(1, () => 1)).toBe(30_000);
    expect(backoffMs(3, () => 1)).toBe(120_000);
    expect(backoffMs(20, () => 1)).toBe(3_600_000);
  });

  it("keeps trying for 24 hours, the last try at the 24-hour mark, then gives up", () => {
    const row = { attempts: 1, createdAt: NOW, retries: true };
    const down = { ok: false as const, permanent: false, error: "ECONNREFUSED" };
    expect(nextStep(down, row, NOW, () => 1)).toEqual({ status: "pending", nextAttemptAt: NOW + 30_000 });
    expect(nextStep(down, { ...row, attempts: 30 }, NOW + RETRY_WINDOW_MS - 60_000, () => 1)).toEqual({ status: "pending", nextAttemptAt: NOW + RETRY_WINDOW_MS });
    expect(nextStep(down, { ...row, attempts: 31 }, NOW + RETRY_WINDOW_MS, () => 1)).toEqual({ status: "failed" });
    expect(nextStep({ ok: false, permanent: true, error: "HTTP 404" }, row, NOW)).toEqual({ status: "failed" });
    expect(nextStep(down, { ...row, retries: false }, NOW)).toEqual({ status: "failed" });
    expect(nextStep({ ok: true, info: "HTTP 200" }, row, NOW)).toEqual({ status: "sent" });
    expect(nextStep({ ...down, retryAfterMs: 600_000 }, row, NOW, () => 1)).toEqual({ status: "pending", nextAttemptAt: NOW + 600_000 });
  });
});

describe("planChannel: at most N messages a minute, a burst folded into one digest", () => {
  it("sends everything when it fits", () => {
    expect(planChannel(fresh(1, 2, 3), { limit: 5, recentAttempts: [], now: NOW, folds: true })).toEqual({ send: [1, 2, 3], fold: [], wait: [], until: null });
  });

  it("folds the rest of a burst into the last free message of the minute", () => {
    const plan = planChannel(fresh(1, 2, 3, 4, 5, 6, 7, 8), { limit: 5, recentAttempts: [NOW - 10_000], now: NOW, folds: true });
    expect(plan).toEqual({ send: [1, 2, 3], fold: [4, 5, 6, 7, 8], wait: [], until: null });
  });

  it("makes everything wait when the minute is used up, until the oldest attempt leaves it", () => {
    const plan = planChannel(fresh(1, 2), { limit: 2, recentAttempts: [NOW - 50_000, NOW - 20_000, NOW - 70_000], now: NOW, folds: true });
    expect(plan).toEqual({ send: [], fold: [], wait: [1, 2], until: NOW + 10_000 });
  });

  it("resends a notice already attempted as itself (same key), before fresh ones, never folded", () => {
    const rows = [{ id: 1, attempts: 2, digest: false }, { id: 9, attempts: 0, digest: true }, ...fresh(10, 11, 12)];
    expect(planChannel(rows, { limit: 3, recentAttempts: [], now: NOW, folds: true })).toEqual({ send: [1, 9], fold: [10, 11, 12], wait: [], until: null });
  });

  it("never folds for a channel that cannot (PagerDuty): what does not fit waits", () => {
    const plan = planChannel(fresh(1, 2, 3), { limit: 2, recentAttempts: [], now: NOW, folds: false });
    expect(plan).toEqual({ send: [1, 2], fold: [], wait: [3], until: NOW + 60_000 });
  });
});

it("scrubs secrets out of receivers' error messages, a secret URL's path and token included", () => {
  const url = "https://hooks.slack.com/services/T0/B0/abcdEFGH1234";
  expect(scrubSecrets(`POST ${url} failed`, [url])).toBe("POST [redacted] failed");
  expect(scrubSecrets("no route for /services/T0/B0/abcdEFGH1234", [url])).toBe("no route for [redacted]");
  expect(scrubSecrets("unknown token abcdEFGH1234", [url])).toBe("unknown token [redacted]");
});
