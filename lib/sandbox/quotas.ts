/**
 * AWS's request-rate quotas per account and region, as token buckets that hold one second's worth
 * of calls. Sources: CloudWatch Logs quotas (FilterLogEvents 5/s, a hard limit; DescribeLogGroups 10/s;
 * DescribeLogStreams and GetLogEvents 25/s), CloudWatch (GetMetricData 50/s, ListMetrics 25/s), Lambda
 * (control-plane calls 15/s, GetFunction 100/s), X-Ray (GetTraceSummaries and BatchGetTraces 5/s),
 * API Gateway (10/s per account). Size limits per call (GetMetricData 500 queries, BatchGetTraces 5 ids)
 * are checked by the services themselves. Logs Insights: StartQuery, GetQueryResults and StopQuery at
 * 5/s each (the lowest figure published; the quota table lists them as adjustable), and at most
 * SANDBOX_CONCURRENT_QUERIES queries running at once per account (checked by the logs service).
 */
export const SANDBOX_QUOTAS: Record<string, number> = {
  FilterLogEvents: 5,
  DescribeLogGroups: 10,
  DescribeLogStreams: 25,
  GetLogEvents: 25,
  StartQuery: 5,
  GetQueryResults: 5,
  StopQuery: 5,
  GetMetricData: 50,
  ListMetrics: 25,
  GetTraceSummaries: 5,
  BatchGetTraces: 5,
  ListFunctions: 15,
  ListTags: 15,
  ListEventSourceMappings: 15,
  ListProvisionedConcurrencyConfigs: 15,
  GetFunctionConcurrency: 15,
  GetFunctionEventInvokeConfig: 15,
  GetFunctionConfiguration: 15,
  GetFunction: 100,
  GetRestApis: 10,
  GetApis: 10,
  GetStages: 10,
};

/**
 * Logs Insights queries running at once per account (StartQuery's API reference: "up to 30 concurrent
 * CloudWatch Logs Insights queries, including queries that have been added to dashboards"; the console's
 * page now says 100: the sandbox holds to the lower figure). Beyond it StartQuery answers LimitExceededException.
 */
export const SANDBOX_CONCURRENT_QUERIES = 30;

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets per region and operation; `take` answers whether a call may go through now. */
export class QuotaBuckets {
  private readonly buckets = new Map<string, Bucket>();
  /** calls refused per operation since the sandbox started */
  readonly throttled = new Map<string, number>();
  /** calls answered or refused per operation since the sandbox started */
  readonly calls = new Map<string, number>();

  constructor(
    private readonly rates: Record<string, number> = SANDBOX_QUOTAS,
    private readonly clock: () => number = Date.now,
  ) {}

  take(region: string, operation: string): boolean {
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
    const rate = this.rates[operation];
    if (rate === undefined) return true;
    const key = `${region}|${operation}`;
    const t = this.clock();
    const b = this.buckets.get(key) ?? { tokens: rate, at: t };
    b.tokens = Math.min(rate, b.tokens + ((t - b.at) / 1000) * rate);
    b.at = t;
    this.buckets.set(key, b);
    if (b.tokens < 1) {
      this.throttled.set(operation, (this.throttled.get(operation) ?? 0) + 1);
      return false;
    }
    b.tokens -= 1;
    return true;
  }
}

/** "on" / "off" (also true/false, 1/0) as the `--quotas` option and OSPREY_SANDBOX_QUOTAS take it. */
export function parseQuotasSwitch(v: string): boolean {
  const s = v.trim().toLowerCase();
  if (["on", "true", "1", "yes"].includes(s)) return true;
  if (["off", "false", "0", "no"].includes(s)) return false;
  throw new Error(`--quotas: expected on or off, not ${v}`);
}
