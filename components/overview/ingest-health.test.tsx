import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { IngestHealth } from "@/lib/api/schemas/overview";
import { IngestHealthTable } from "./ingest-health";

const base: IngestHealth = {
  accountId: 1,
  account: "prod",
  region: "us-east-1",
  lastSuccessAt: new Date().toISOString(),
  newestDataAt: new Date().toISOString(),
  lagMs: 60_000,
  failures24h: 0,
  lastError: null,
  jobs: [],
  warnings: [],
  quarantinedCount: 0,
  quarantined: [],
  apiCalls: [],
  freshness: { functions: 0, p50AgeMs: null, maxAgeMs: null, stalest: [] },
};

const text = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&#x27;/g, "'").replace(/&quot;/g, '"');

describe("IngestHealthTable", () => {
  it("names each degraded feature with its IAM action once, for every function it fails on, and each quarantined event", () => {
    const seen = new Date(Date.now() - 3_600_000).toISOString();
    const names = ["a-fn", "b-fn", "c-fn", "d-fn", "e-fn"];
    const health: IngestHealth = {
      ...base,
      warnings: [
        ...names.map((resource) => ({ feature: "tags", resource, action: "lambda:ListTags", denied: true, message: "AccessDeniedException", firstSeenAt: seen, lastSeenAt: seen, count: 3 })),
        { feature: "metrics", resource: "", action: "cloudwatch:GetMetricData", denied: false, message: "the endpoint does not implement this call (HTTP 404 UnknownError)", firstSeenAt: seen, lastSeenAt: seen, count: 1 },
      ],
      quarantinedCount: 1,
      quarantined: [
        { logGroup: "/aws/lambda/orders-api", eventId: "3777", eventTime: null, reason: "timestamp out of range", sqlstate: "22008", message: "x", firstSeenAt: seen },
      ],
    };
    const out = text(renderToStaticMarkup(<IngestHealthTable rows={[health]} />));
    expect(out).toContain("Degraded");
    expect(out).toContain("tags of a-fn, b-fn, c-fn and 2 more: denied lambda:ListTags · 3 passes");
    expect(out).toContain("metrics (whole region): failed cloudwatch:GetMetricData (the endpoint does not implement this call (HTTP 404 UnknownError))");
    expect(out).toContain("1 log event quarantined");
    expect(out).toContain("/aws/lambda/orders-api event 3777: timestamp out of range (SQLSTATE 22008)");
  });

  it("shows the AWS calls made with their cost, and how old the functions' newest data is", () => {
    const health: IngestHealth = {
      ...base,
      apiCalls: [
        { api: "FilterLogEvents", callsLastHour: 1200, calls24h: 20_000, units24h: 20_000, costUsd24h: 0 },
        { api: "GetMetricData", callsLastHour: 120, calls24h: 1440, units24h: 720_000, costUsd24h: 7.2 },
        { api: "StartQuery", callsLastHour: 300, calls24h: 7_000, units24h: 52_000_000, costUsd24h: 0.26 },
        { api: "GetTraceSummaries", callsLastHour: 60, calls24h: 1_000, units24h: 400_000, costUsd24h: 0.2 },
      ],
      freshness: { functions: 1000, p50AgeMs: 45_000, maxAgeMs: 540_000, stalest: [{ name: "bench-fn-0001", newestDataAt: null, ageMs: 540_000 }] },
    };
    const out = text(renderToStaticMarkup(<IngestHealthTable rows={[health]} />));
    expect(out).toContain("FilterLogEvents 1,200/20,000, GetMetricData 120/1,440 (720K metrics), StartQuery 300/7,000 (52M kB scanned), GetTraceSummaries 60/1,000 (400K traces)");
    expect(out).toContain("AWS API cost 24 h $7.66");
    expect(out).toContain("Function data age (1,000 functions): median 45 s, oldest 9 min 0 s · stalest: bench-fn-0001 9 min 0 s old");
  });

  it("shows no problem list for a healthy region", () => {
    const out = renderToStaticMarkup(<IngestHealthTable rows={[base]} />);
    expect(out).not.toContain("ingest-problems");
    expect(text(out)).toContain("Fresh");
  });
});
