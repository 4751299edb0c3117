// The CloudWatch console reads its fragment with '%' written as '$25', after normal URI encoding.
const enc = (s: string) => encodeURIComponent(s).replace(/%/g, "$25");

function base(region: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}`;
}

/** The log stream of one request, filtered on its request id, around its time. */
export function logStreamUrl(region: string, logGroup: string, logStream: string, requestId: string, startMs: number, endMs: number): string {
  const query = `?filterPattern=${encodeURIComponent(`"${requestId}"`)}&start=${startMs}&end=${endMs}`;
  return `${base(region)}#logsV2:log-groups/log-group/${enc(logGroup)}/log-events/${enc(logStream)}${enc(query)}`;
}

/** Logs Insights on the function's log group, for every line of one request. */
export function logsInsightsUrl(region: string, logGroup: string, requestId: string, startMs: number, endMs: number): string {
  const queryText = `fields @timestamp, @message | filter @requestId = "${requestId}" | sort @timestamp asc`;
  const detail = `~(end~'${new Date(endMs).toISOString()}~start~'${new Date(startMs).toISOString()}~timeType~'ABSOLUTE~editorString~'${encodeURIComponent(queryText).replace(/%/g, "*")}~source~(~'${encodeURIComponent(logGroup).replace(/%/g, "*")}))`;
  return `${base(region)}#logsV2:logs-insights$3FqueryDetail$3D${enc(detail)}`;
}

export function traceUrl(region: string, traceId: string): string {
  return `${base(region)}#xray:traces/${traceId}`;
}
