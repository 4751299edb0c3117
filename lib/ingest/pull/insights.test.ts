import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseLambdaLogEvents } from "../lambda-logs";
import { insightsEventId, insightsQueryString, nextQueryStart, QUERY_GROUPS_MAX, QUERY_ROWS_MAX, splitReads, toInsightsEvents, type InsightsField } from "./insights";
import { planLogPull, type PullCandidate } from "./plan";

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const MIN = 60_000;
const fixture = JSON.parse(readFileSync(join(__dirname, "__fixtures__/get-query-results.json"), "utf8")) as { results: InsightsField[][] };
const active = (id: number, invocations: number, cursor = NOW - MIN, recentErrors = 0): PullCandidate => ({ id, cursor, invocations, lastActiveMinute: NOW - 2 * MIN, recentErrors });

describe("splitReads", () => {
  it("keeps the busiest and failing functions on FilterLogEvents and sends the overflow to Insights, 50 log groups a query", () => {
    const fns = [active(1, 3, NOW - MIN, 2), ...Array.from({ length: 130 }, (_, i) => active(i + 2, 200 - i))];
    const plan = planLogPull(fns, NOW);
    const split = splitReads(plan.reads, 20, 10);
    expect(split.filterLogEvents.map((r) => r.fn.id)).toEqual([1, ...Array.from({ length: 19 }, (_, i) => i + 2)]);
    expect(split.insights.map((q) => q.length)).toEqual([50, 50, 11]);
    const all = [...split.filterLogEvents, ...split.insights.flat()].map((r) => r.fn.id).sort((a, b) => a - b);
    expect(all).toEqual(fns.map((f) => f.id));
  });

  it("groups functions with nearby cursors in a query, and leaves what exceeds the queries for a later pass", () => {
    // the plan's order interleaves functions read a minute ago and half an hour ago
    const reads = Array.from({ length: 160 }, (_, i) => ({ fn: active(i + 1, 10, NOW - ((i % 2) * 30 + 1) * MIN), reason: "active" as const }));
    const split = splitReads(reads, 10, 2);
    expect(split.filterLogEvents.map((r) => r.fn.id)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(split.insights.map((q) => q.length)).toEqual([QUERY_GROUPS_MAX, QUERY_GROUPS_MAX]);
    // the next 100 in the plan's order, the half-hour-old cursors together in one query
    expect(split.insights.flat().map((r) => r.fn.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 11));
    for (const q of split.insights) expect(new Set(q.map((r) => r.fn.cursor)).size).toBe(1);
  });

  it("without Insights (no query allowed) reads everything by FilterLogEvents", () => {
    const fns = Array.from({ length: 300 }, (_, i) => active(i + 1, 5));
    const split = splitReads(planLogPull(fns, NOW).reads, 100, 0);
    expect(split.filterLogEvents).toHaveLength(300);
    expect(split.insights).toEqual([]);
  });
});

describe("Insights rows as events", () => {
  it("turns GetQueryResults rows into each log group's events, which the Lambda parser reads as FilterLogEvents events", () => {
    const byGroup = toInsightsEvents(fixture.results);
    expect([...byGroup.keys()]).toEqual(["/aws/lambda/checkout", "/aws/lambda/search"]);
    const checkout = byGroup.get("/aws/lambda/checkout")!;
    expect(checkout[0]).toMatchObject({ logStreamName: "2026/01/15/[$LATEST]3f2a9c4e5b6d7e8f9a0b1c2d3e4f5a6b", timestamp: Date.UTC(2026, 0, 15, 11, 58, 0, 120), ingestionTime: Date.UTC(2026, 0, 15, 11, 58, 4, 871) });
    const parsed = parseLambdaLogEvents(checkout, { functionName: "checkout" });
    expect(parsed.invocations).toHaveLength(1);
    expect(parsed.invocations[0]).toMatchObject({ requestId: "6f1b7a2c-0c1e-4d8e-9c55-2f1a7b8c9d01", durationMs: 131.02, status: "error" });
  });

  it("gives an event the same key on every read and identical lines in one answer keys of their own", () => {
    const a = toInsightsEvents(fixture.results).get("/aws/lambda/checkout")!.map((e) => e.eventId);
    const b = toInsightsEvents(fixture.results.slice(0, 3)).get("/aws/lambda/checkout")!.map((e) => e.eventId);
    expect(b).toEqual(a);
    expect(new Set(a).size).toBe(3);
    const twice = toInsightsEvents([fixture.results[0], fixture.results[0]]).get("/aws/lambda/checkout")!;
    expect(twice[0].eventId).not.toBe(twice[1].eventId);
    expect(insightsEventId("/g", "s", 1, 2, "m", 0)).toMatch(/^i[0-9a-f]{55}$/);
  });

  it("pages a full answer by time from its last millisecond, and stops when an answer is not full", () => {
    const row = (ms: number): InsightsField[] => [{ field: "@timestamp", value: new Date(ms).toISOString().replace("T", " ").replace("Z", "") }];
    const full = Array.from({ length: QUERY_ROWS_MAX }, (_, i) => row(NOW + Math.floor(i / 3)));
    expect(nextQueryStart(full, NOW)).toBe(NOW + Math.floor((QUERY_ROWS_MAX - 1) / 3));
    expect(nextQueryStart(full.slice(1), NOW)).toBeUndefined();
    const oneMs = Array.from({ length: QUERY_ROWS_MAX }, () => row(NOW));
    expect(nextQueryStart(oneMs, NOW)).toBe(NOW + 1);
  });

  it("asks for the fields it stores, oldest first, from the window's first millisecond", () => {
    expect(insightsQueryString(NOW + 0.5)).toBe(`fields @timestamp, @message, @logStream, @log, @ingestionTime | filter @timestamp >= ${NOW} | sort @timestamp asc | limit 10000`);
  });
});
