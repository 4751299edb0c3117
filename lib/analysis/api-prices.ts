/**
 * What AWS charges for the read calls Osprey makes, per billed unit (us-east-1; the CloudWatch price
 * list, https://aws.amazon.com/cloudwatch/pricing/, "API requests"). GetMetricData is billed by the
 * metrics it requests ($0.01 per 1,000), ListMetrics per request ($0.01 per 1,000). CloudWatch Logs
 * publishes no per-request price for FilterLogEvents: its cost is the ingestion already paid, so it
 * is counted here at $0 a call and shown with its count. Logs Insights bills by data scanned, $0.005 per
 * GB: StartQuery's units are the kilobytes (1,000 bytes) its queries scanned; GetQueryResults and
 * StopQuery cost nothing of their own. X-Ray bills traces scanned and retrieved, $0.50 per million
 * (https://aws.amazon.com/xray/pricing/): GetTraceSummaries' units are the traces it processed (its
 * TracesProcessedCount, matching the filter or not), BatchGetTraces' the traces it returned. Free tiers
 * (X-Ray's first million a month) are not subtracted, as nowhere else in Osprey.
 */
export const API_PRICES_USD: Record<string, { perUnit: number; unit: BilledUnit }> = {
  GetMetricData: { perUnit: 0.01 / 1000, unit: "metric" },
  ListMetrics: { perUnit: 0.01 / 1000, unit: "request" },
  FilterLogEvents: { perUnit: 0, unit: "request" },
  StartQuery: { perUnit: 0.005 / 1_000_000, unit: "kilobyte" },
  GetQueryResults: { perUnit: 0, unit: "request" },
  StopQuery: { perUnit: 0, unit: "request" },
  GetTraceSummaries: { perUnit: 0.5 / 1_000_000, unit: "trace" },
  BatchGetTraces: { perUnit: 0.5 / 1_000_000, unit: "trace" },
};

export type BilledUnit = "metric" | "request" | "kilobyte" | "trace";

/** How the ingest health view names a count of billed units. */
export const BILLED_UNIT_LABELS: Record<BilledUnit, string> = { metric: "metrics", request: "requests", kilobyte: "kB scanned", trace: "traces" };

/** The cost of `units` billed units of an API; 0 for one not in the price list. */
export function apiCostUsd(api: string, units: number): number {
  return (API_PRICES_USD[api]?.perUnit ?? 0) * units;
}
