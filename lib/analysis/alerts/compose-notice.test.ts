import { describe, expect, it } from "vitest";
import { composeNotice, type NoticeInput } from "./compose-notice";
const iso = (ms: number) => encodeURIComponent(new Date(ms).toISOString());

const input: NoticeInput = {
  event: "opened", incidentId: 12, policy: { id: 3, name: "Checkout errors" }, severity: "warning", kind: "error_rate", value: 0.125, threshold: 0.05,
  windowMinutes: 10, invocations: 40, resource: { id: 31, name: "checkout", kind: "lambda", arn: "arn:aws:lambda:us-east-1:1:function:checkout", region: "us-east-1", accountName: "prod" },
  at: Date.UTC(2026, 11, 3, 12, 0), baseUrl: "https://osprey.example.com",
};

describe("composeNotice", () => {
  it("shows a rate as the percentage pages show, with links to the incident, the failing invocations and their logs over the window", () => {
    const n = composeNotice(input);
    expect(n.title).toBe("checkout: error rate 12.5 % ≥ 5.0 % over the last 10 min (40 invocations)");
    expect(n.condition).toEqual({ kind: "error_rate", label: "Error rate (failed / invocations)", value: 12.5, threshold: 5, unit: "percent", windowMinutes: 10 });
    const from = input.at - 10 * 60_000;
    expect(n.links).toEqual({
      incident: "https://osprey.example.com/incidents/12",
      resource: `https://osprey.example.com/functions/31?errors=1&from=${iso(from)}&to=${iso(input.at)}`,
      logs: `https://osprey.example.com/search?q=level%3AERROR&resource=31&from=${iso(from)}&to=${iso(input.at)}`,
    });
  });

  it("durations stay in ms; a resolve says so", () => {
    const n = composeNotice({ ...input, event: "resolved", kind: "p99_duration", value: 850.4, threshold: 2000 });
    expect(n.condition.value).toBe(850.4);
    expect(n.title).toBe("checkout: p99 duration back to 850 ms (threshold 2000 ms); resolved");
  });

  it("carries the top error group with a link to its page, or null", () => {
    const topError = { groupId: 9, errorType: "TypeError", message: "x is undefined", topFrame: "handler (/var/task/index.js:12:5)" };
    expect(composeNotice({ ...input, topError }).topError).toEqual({ ...topError, url: "https://osprey.example.com/errors/9" });
    expect(composeNotice(input).topError).toBeNull();
  });
});
