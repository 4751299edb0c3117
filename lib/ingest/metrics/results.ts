import type { MetricDataResult } from "@aws-sdk/client-cloudwatch";
import type { MetricQueryTarget } from "./queries";

export interface MetricPointRow {
  resourceId: number;
  namespace: string;
  metric: string;
  stat: string;
  periodS: number;
  /** Start of the period, ms epoch. */
  ts: number;
  value: number;
}

export interface RejectedMetricQuery {
  id: string;
  resourceId: number | null;
  metric: string | null;
  stat: string | null;
  code: string;
  message: string;
}

export interface MetricPointsResult {
  points: MetricPointRow[];
  rejected: RejectedMetricQuery[];
}

// PartialData only means "more behind NextToken"; these mean the query failed.
const FAILED_STATUS = new Set(["Forbidden", "InternalError"]);

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toMs(t: Date | number | string): number {
  return t instanceof Date ? t.getTime() : new Date(t).getTime();
}

/**
 * GetMetricData results -> metric point rows. Pass every page of a batch together: a series that
 * AWS publishes per operation is the sum of its parts at each timestamp. The same (query, timestamp)
 * seen twice counts once. A query AWS reports a problem for (per-query Messages, or a Forbidden or
 * InternalError status) is listed in `rejected`; the points it did return are kept.
 */
export function metricResultsToPoints(
  results: readonly MetricDataResult[],
  lookup: ReadonlyMap<string, MetricQueryTarget>,
  periodS: number,
): MetricPointsResult {
  const rejected = new Map<string, RejectedMetricQuery>();
  const reject = (id: string, target: MetricQueryTarget | undefined, code: string, message: string) => {
    const key = `${id}\u0000${code}\u0000${message}`;
    if (rejected.has(key)) return;
    rejected.set(key, {
      id,
      resourceId: target?.resourceId ?? null,
      metric: target?.metric ?? null,
      stat: target?.stat ?? null,
      code,
      message,
    });
  };

  const seen = new Set<string>();
  const points = new Map<string, MetricPointRow>();

  for (const result of results) {
    const id = result.Id ?? "";
    const target = lookup.get(id);
    if (!target) {
      reject(id, undefined, "UnknownQuery", "no query with this id was sent");
      continue;
    }
    for (const message of result.Messages ?? []) reject(id, target, message.Code ?? "Unknown", message.Value ?? "");
    if (result.StatusCode && FAILED_STATUS.has(result.StatusCode) && !(result.Messages ?? []).length) {
      reject(id, target, result.StatusCode, "");
    }

    const timestamps = result.Timestamps ?? [];
    const values = result.Values ?? [];
    const n = Math.min(timestamps.length, values.length);
    for (let i = 0; i < n; i++) {
      const ts = toMs(timestamps[i]);
      const value = values[i];
      if (!Number.isFinite(ts) || typeof value !== "number" || !Number.isFinite(value)) continue;
      const seenKey = `${id}\u0000${ts}`;
      if (seen.has(seenKey)) continue;
      seen.add(seenKey);

      const key = `${target.resourceId}\u0000${target.namespace}\u0000${target.metric}\u0000${target.stat}\u0000${ts}`;
      const existing = points.get(key);
      if (!existing) {
        points.set(key, {
          resourceId: target.resourceId,
          namespace: target.namespace,
          metric: target.metric,
          stat: target.stat,
          periodS,
          ts,
          value,
        });
      } else if (target.part !== undefined) {
        existing.value += value;
      }
    }
  }

  const sorted = [...points.values()].sort(
    (a, b) =>
      a.resourceId - b.resourceId ||
      compare(a.namespace, b.namespace) ||
      compare(a.metric, b.metric) ||
      compare(a.stat, b.stat) ||
      a.ts - b.ts,
  );
  return { points: sorted, rejected: [...rejected.values()] };
}
