import { describe, expect, it } from "vitest";
import { appendTail } from "./tail-lines";
import type { Hit } from "./use-log-search";

const hit = (n: number): Hit => ({
  eventId: `e${n}`, ts: new Date(Date.UTC(2026, 11, 3, 18, 0, n)).toISOString(), resourceId: 1, functionName: "api", region: "us-east-1",
  requestId: null, logStream: "s", level: null, message: `line ${n}`, invocationUrl: null,
});

describe("appendTail", () => {
  it("appends new lines after the shown ones, oldest first, skipping lines already shown", () => {
    const shown = [hit(1), hit(2)];
    expect(appendTail(shown, [hit(2), hit(3)]).map((h) => h.eventId)).toEqual(["e1", "e2", "e3"]);
    expect(appendTail(shown, [])).toBe(shown);
  });

  it("keeps only the newest lines past the cap", () => {
    const shown = [hit(1), hit(2), hit(3)];
    expect(appendTail(shown, [hit(4), hit(5)], 3).map((h) => h.eventId)).toEqual(["e3", "e4", "e5"]);
  });
});
