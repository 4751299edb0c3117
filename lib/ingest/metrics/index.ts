export { METRIC_CATALOG, type MetricCatalogKey, type MetricResourceKind, type MetricSpec, type ServiceMetrics } from "./catalog";
export {
  MAX_QUERIES_PER_CALL,
  buildMetricQueries,
  metricResourceOf,
  resourceQueryCount,
  resourcesWithData,
  type MetricQueryPlan,
  type MetricSelection,
  type MetricQueryTarget,
  type MetricResource,
  type StoredResource,
} from "./queries";
export { metricResultsToPoints, type MetricPointRow, type MetricPointsResult, type RejectedMetricQuery } from "./results";
export { MAX_DATAPOINTS_PER_CALL, MINUTE_DETAIL_MS, alignToPeriod, choosePeriod, datapointsPerQuery, planMetricWindows, type MetricWindow } from "./period";
