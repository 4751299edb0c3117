export { METRIC_CATALOG, type MetricResourceKind, type MetricSpec, type ServiceMetrics } from "./catalog";
export {
  MAX_QUERIES_PER_CALL,
  buildMetricQueries,
  resourceQueryCount,
  type MetricQueryPlan,
  type MetricQueryTarget,
  type MetricResource,
} from "./queries";
export { metricResultsToPoints, type MetricPointRow, type MetricPointsResult, type RejectedMetricQuery } from "./results";
export { MAX_DATAPOINTS_PER_CALL, alignToPeriod, choosePeriod, datapointsPerQuery } from "./period";
