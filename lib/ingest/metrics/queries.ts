import type { MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { METRIC_CATALOG, type MetricCatalogKey, type MetricResourceKind, type MetricSpec } from "./catalog";

// GetMetricData accepts at most 500 metric queries per call.
export const MAX_QUERIES_PER_CALL = 500;

export interface MetricResource {
  resourceId: number;
  kind: MetricCatalogKey;
  /** The dimension value: function name, queue name, REST API name, HTTP API id, table name, state machine ARN... */
  name: string;
}

/** A resource as the resources table holds it; protocol and apiId come from an API's config. */
export interface StoredResource {
  id: number;
  kind: MetricResourceKind;
  name: string;
  arn: string;
  protocol?: string | null;
  apiId?: string | null;
}

/**
 * What to query for a stored resource, or null when the catalog has nothing for it. HTTP APIs are
 * queried by ApiId; WebSocket APIs publish only metrics of their own (ConnectCount, MessageCount...)
 * that the catalog does not read, so they are left out rather than queried under REST names.
 */
export function metricResourceOf(r: StoredResource): MetricResource | null {
  if (r.kind === "stepfunctions") return { resourceId: r.id, kind: r.kind, name: r.arn };
  if (r.kind !== "apigateway") return { resourceId: r.id, kind: r.kind, name: r.name };
  // Discovery names v2 APIs by their ARN path /apis/<id> and REST APIs by /restapis/<id>.
  const v2 = /::\/apis\/([^/]+)$/.exec(r.arn);
  if (!v2) return { resourceId: r.id, kind: "apigateway", name: r.name };
  if (r.protocol && r.protocol !== "HTTP") return null;
  return { resourceId: r.id, kind: "apigatewayHttp", name: r.apiId || v2[1] };
}

/** What a query id stands for. `part` is set when the points of several queries add up to one series. */
export interface MetricQueryTarget {
  resourceId: number;
  namespace: string;
  metric: string;
  stat: string;
  part?: string;
}

export interface MetricQueryPlan {
  batches: MetricDataQuery[][];
  /** Query id -> target, over all batches (ids are unique across them). */
  lookup: Map<string, MetricQueryTarget>;
}

/**
 * Every catalog metric of every resource as GetMetricData queries, in batches of at most
 * `maxPerBatch` (default and ceiling 500; a smaller value never splits one resource). All queries of one resource stay in one batch, so the
 * parts of a summed series arrive together. A resource listed twice is queried once.
 * Ids are `q0`, `q1`, ... in input order, so the same input always gives the same plan.
 */
export function buildMetricQueries(
  resources: readonly MetricResource[],
  periodS: number,
  maxPerBatch: number = MAX_QUERIES_PER_CALL,
  select: MetricSelection = "all",
): MetricQueryPlan {
  if (!Number.isInteger(periodS) || periodS <= 0 || periodS % 60 !== 0) {
    throw new RangeError(`period ${periodS} s is not a positive multiple of 60`);
  }
  const perBatch = Math.max(1, Math.min(MAX_QUERIES_PER_CALL, Math.floor(maxPerBatch)));
  const batches: MetricDataQuery[][] = [];
  let queries: MetricDataQuery[] = [];
  let next = 0;
  const lookup = new Map<string, MetricQueryTarget>();
  const seen = new Set<number>();

  const add = (metricName: string, target: MetricQueryTarget, dimensions: { Name: string; Value: string }[]) => {
    const id = `q${next++}`;
    queries.push({
      Id: id,
      MetricStat: {
        Metric: { Namespace: target.namespace, MetricName: metricName, Dimensions: dimensions },
        Period: periodS,
        Stat: target.stat,
      },
      ReturnData: true,
    });
    lookup.set(id, target);
  };

  for (const resource of resources) {
    if (seen.has(resource.resourceId)) continue;
    seen.add(resource.resourceId);
    const service = METRIC_CATALOG[resource.kind];
    const specs = selectedSpecs(resource.kind, select);
    const size = resourceQueryCount(resource.kind, select);
    if (!size) continue;
    if (queries.length > 0 && queries.length + size > perBatch) {
      batches.push(queries);
      queries = [];
    }
    const base = [{ Name: service.dimension, Value: resource.name }];
    for (const spec of specs) {
      for (const stat of spec.stats) {
        const target = { resourceId: resource.resourceId, namespace: service.namespace, metric: spec.storeAs ?? spec.metric, stat };
        if (!spec.perDimension) {
          add(spec.metric, target, base);
          continue;
        }
        for (const value of spec.perDimension.values) {
          add(spec.metric, { ...target, part: value }, [...base, { Name: spec.perDimension.name, Value: value }]);
        }
      }
    }
  }

  if (queries.length > 0) batches.push(queries);
  return { batches, lookup };
}

/**
 * Which of a kind's metrics a plan asks for. "presence": the presence metrics of kinds that have some and
 * every metric of the others; "rest": the other metrics of kinds with presence metrics, nothing of the
 * others. A metrics pass asks for "presence" over every resource, then "rest" only for the resources whose
 * presence metrics showed data (lib/ingest/metrics/catalog.ts, MetricSpec.presence).
 */
export type MetricSelection = "all" | "presence" | "rest";

function selectedSpecs(kind: MetricCatalogKey, select: MetricSelection): readonly MetricSpec[] {
  const all = METRIC_CATALOG[kind].metrics;
  if (select === "all" || !all.some((s) => s.presence)) return select === "rest" ? [] : all;
  return all.filter((s) => (select === "presence") === (s.presence === true));
}

/** Queries one resource of this kind needs (of the selected metrics). */
export function resourceQueryCount(kind: MetricCatalogKey, select: MetricSelection = "all"): number {
  let n = 0;
  for (const spec of selectedSpecs(kind, select)) n += spec.stats.length * (spec.perDimension?.values.length ?? 1);
  return n;
}

/**
 * The resources a "rest" plan must cover after a "presence" plan: those with a presence datapoint above
 * zero, and those whose presence could not be read (a rejected query), so nothing is skipped on a guess.
 */
export function resourcesWithData(points: readonly { resourceId: number; value: number }[], rejected: readonly { resourceId: number | null }[]): Set<number> {
  const ids = new Set<number>();
  for (const p of points) if (p.value > 0) ids.add(p.resourceId);
  for (const r of rejected) if (r.resourceId !== null) ids.add(r.resourceId);
  return ids;
}
