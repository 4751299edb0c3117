import type { IncidentNotice } from "../lib/analysis/alerts/notice";

/** A notice as alert evaluation writes it; no incident row is needed (the outbox has no foreign key to incidents). */
export function makeNotice(over: Partial<IncidentNotice> = {}): IncidentNotice {
  const incidentId = over.incidentId === undefined ? 4242 : over.incidentId;
  const base = "http://osprey.test";
  return {
    event: "opened",
    incidentId,
    policy: { id: 7, name: "Checkout error rate" },
    severity: "critical",
    title: "checkout: error rate 12.5% ≥ 5% over the last 10 min (40 invocations)",
    condition: { kind: "error_rate", label: "Error rate (failed / invocations)", value: 12.5, threshold: 5, unit: "percent", windowMinutes: 10 },
    resource: { id: 31, name: "checkout", kind: "lambda", arn: "arn:aws:lambda:us-east-1:123456789012:function:checkout", region: "us-east-1", accountName: "prod" },
    topError: { groupId: 9, errorType: "TypeError", message: "Cannot read properties of undefined (reading 'total') <script>", topFrame: "handler (/var/task/index.js:12:5)" },
    links: {
      incident: `${base}/incidents/${incidentId}`,
      resource: `${base}/functions/31?errors=1&from=2026-11-22T09%3A05%3A00.000Z&to=2026-11-22T09%3A15%3A00.000Z`,
      logs: `${base}/search?q=level%3AERROR&resource=31&from=2026-11-22T09%3A05%3A00.000Z&to=2026-11-22T09%3A15%3A00.000Z`,
    },
    at: Date.UTC(2026, 11, 2, 12, 0, 0),
    ...over,
  };
}
