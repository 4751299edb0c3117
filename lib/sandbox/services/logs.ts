import { jsonRpc } from "../protocols/json-rpc";
import { AwsError } from "../protocols/types";
import { ACCOUNT_ID } from "../workload/catalog";
import type { LogEvent } from "../workload/model";
import { compareEvents, type Workload } from "../workload";
import { compileFilterPattern } from "./filter-pattern";
import { getQueryResults, startQuery, stopQuery } from "./logs-insights";
import { decodeToken, encodeToken, num, page, str, type Route, type Service, type ServiceContext } from "./service";

const protocol = jsonRpc({ version: "1.1", targetPrefix: "Logs_20140328" });
// FilterLogEvents pages hold at most 10,000 events or 1 MB.
const MAX_EVENTS = 10_000;
const MAX_BYTES = 1_048_576;
const EVENT_OVERHEAD = 26;
const CHUNK_MS = 15 * 60_000;
// Beyond this much scanned time a page returns early, possibly empty, with a nextToken.
const SCAN_BUDGET_MS = 12 * 3_600_000;

const invalid = (msg: string) => new AwsError("InvalidParameterException", msg);
const badToken = () => invalid("The specified nextToken is invalid.");
const noGroup = () => new AwsError("ResourceNotFoundException", "The specified log group does not exist.");

function groupName(input: Record<string, unknown>): string {
  const id = str(input.logGroupIdentifier);
  const name = str(input.logGroupName) ?? (id?.startsWith("arn:") ? id.split(":")[6] : id);
  if (!name) throw invalid("Either logGroupName or logGroupIdentifier must be provided.");
  return name;
}

function requireGroup(wl: Workload, name: string, region: string) {
  const g = wl.logGroups(region).find((x) => x.name === name);
  if (!g) throw noGroup();
  return g;
}

interface Position {
  t: number;
  i: number;
  e: string;
}

const after = (e: LogEvent, p: Position) => e.timestamp > p.t || (e.timestamp === p.t && (e.ingestionTime > p.i || (e.ingestionTime === p.i && e.eventId > p.e)));

function filterLogEvents(wl: Workload, input: Record<string, unknown>, region: string) {
  const name = groupName(input);
  requireGroup(wl, name, region);
  const now = wl.now();
  const limit = num(input.limit) ?? MAX_EVENTS;
  if (limit < 1 || limit > MAX_EVENTS) throw invalid("1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000");
  const streams = Array.isArray(input.logStreamNames) ? new Set(input.logStreamNames.map(String)) : undefined;
  const prefix = str(input.logStreamNamePrefix);
  if (streams && prefix) throw invalid("Cannot specify both logStreamNames and logStreamNamePrefix");
  const match = compileFilterPattern(str(input.filterPattern));
  const start = Math.max(num(input.startTime) ?? 0, wl.historyStart);
  const endEx = Math.min(num(input.endTime) ?? now, now) + 1;
  const pos: Position | undefined = input.nextToken !== undefined ? decodeToken<Position>(input.nextToken, badToken) : undefined;
  const events: LogEvent[] = [];
  let bytes = 0;
  let cursor = pos ? Math.max(start, pos.t) : start;
  const scanFrom = cursor;
  while (cursor < endEx) {
    const chunkEnd = Math.min(endEx, cursor + CHUNK_MS);
    for (const e of wl.logEvents(name, region, cursor, chunkEnd)) {
      if (e.ingestionTime > now) continue;
      if (pos && !after(e, pos)) continue;
      if (streams && !streams.has(e.logStreamName)) continue;
      if (prefix && !e.logStreamName.startsWith(prefix)) continue;
      if (!match(e.message)) continue;
      const size = Buffer.byteLength(e.message) + EVENT_OVERHEAD;
      if (events.length >= limit || bytes + size > MAX_BYTES) {
        const last = events[events.length - 1];
        return { events, searchedLogStreams: [], nextToken: encodeToken({ t: last.timestamp, i: last.ingestionTime, e: last.eventId }) };
      }
      events.push(e);
      bytes += size;
    }
    cursor = chunkEnd;
    if (cursor < endEx && cursor - scanFrom >= SCAN_BUDGET_MS) {
      return { events, searchedLogStreams: [], nextToken: encodeToken({ t: cursor - 1, i: Number.MAX_SAFE_INTEGER, e: "" }) };
    }
  }
  return { events, searchedLogStreams: [] };
}

function describeLogStreams(wl: Workload, input: Record<string, unknown>, region: string) {
  const name = groupName(input);
  requireGroup(wl, name, region);
  const orderBy = str(input.orderBy) ?? "LogStreamName";
  const prefix = str(input.logStreamNamePrefix);
  if (prefix && orderBy === "LastEventTime") throw invalid("Cannot order by LastEventTime with a logStreamNamePrefix.");
  const limit = Math.min(num(input.limit) ?? 50, 50);
  let streams = wl.logStreams(name, region).filter((s) => !prefix || s.logStreamName.startsWith(prefix));
  streams.sort(orderBy === "LastEventTime"
    ? (a, b) => a.lastEventTimestamp - b.lastEventTimestamp || (a.logStreamName < b.logStreamName ? -1 : 1)
    : (a, b) => (a.logStreamName < b.logStreamName ? -1 : a.logStreamName > b.logStreamName ? 1 : 0));
  if (input.descending === true) streams = streams.reverse();
  const offset = input.nextToken !== undefined ? decodeToken<{ o: number }>(input.nextToken, badToken).o : 0;
  const p = page(streams, offset, limit);
  return {
    logStreams: p.items.map((s) => ({
      ...s,
      uploadSequenceToken: "49039859613987820876346" + String(s.creationTime).slice(-6),
      arn: `arn:aws:logs:${region}:${ACCOUNT_ID}:log-group:${name}:log-stream:${s.logStreamName}`,
      storedBytes: 0,
    })),
    nextToken: p.next !== undefined ? encodeToken({ o: p.next }) : undefined,
  };
}

function getLogEvents(wl: Workload, input: Record<string, unknown>, region: string) {
  const name = groupName(input);
  requireGroup(wl, name, region);
  const streamName = str(input.logStreamName);
  if (!streamName) throw invalid("logStreamName is required");
  const stream = wl.logStreams(name, region).find((s) => s.logStreamName === streamName);
  if (!stream) throw new AwsError("ResourceNotFoundException", "The specified log stream does not exist.");
  const now = wl.now();
  const limit = Math.min(num(input.limit) ?? MAX_EVENTS, MAX_EVENTS);
  const from = Math.max(num(input.startTime) ?? 0, stream.firstEventTimestamp);
  const to = Math.min(num(input.endTime) ?? Number.MAX_SAFE_INTEGER, stream.lastEventTimestamp + 1);
  const events = wl.logEvents(name, region, from, to).filter((e) => e.logStreamName === streamName && e.ingestionTime <= now).sort(compareEvents);
  const token = str(input.nextToken);
  let lo: number;
  let hi: number;
  if (token) {
    const m = /^([fb])\/(\d+)$/.exec(token);
    if (!m) throw badToken();
    const idx = Number(m[2]);
    if (m[1] === "f") [lo, hi] = [idx, Math.min(events.length, idx + limit)];
    else [lo, hi] = [Math.max(0, idx - limit), idx];
  } else if (input.startFromHead === true) [lo, hi] = [0, Math.min(events.length, limit)];
  else [lo, hi] = [Math.max(0, events.length - limit), events.length];
  return {
    events: events.slice(lo, hi).map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
    nextForwardToken: `f/${String(hi).padStart(56, "0")}`,
    nextBackwardToken: `b/${String(lo).padStart(56, "0")}`,
  };
}

function describeLogGroups(wl: Workload, input: Record<string, unknown>, region: string) {
  const prefix = str(input.logGroupNamePrefix);
  const pattern = str(input.logGroupNamePattern);
  if (prefix && pattern) throw invalid("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
  const limit = Math.min(num(input.limit) ?? 50, 50);
  const groups = wl.logGroups(region).filter((g) => (!prefix || g.name.startsWith(prefix)) && (!pattern || g.name.toLowerCase().includes(pattern.toLowerCase())));
  const offset = input.nextToken !== undefined ? decodeToken<{ o: number }>(input.nextToken, badToken).o : 0;
  const p = page(groups, offset, limit);
  return {
    logGroups: p.items.map((g) => ({
      logGroupName: g.name,
      creationTime: g.createdAt,
      ...(g.retentionDays !== undefined ? { retentionInDays: g.retentionDays } : {}),
      metricFilterCount: 0,
      arn: `arn:aws:logs:${region}:${ACCOUNT_ID}:log-group:${g.name}:*`,
      storedBytes: 0,
      logGroupClass: "STANDARD",
      logGroupArn: `arn:aws:logs:${region}:${ACCOUNT_ID}:log-group:${g.name}`,
    })),
    nextToken: p.next !== undefined ? encodeToken({ o: p.next }) : undefined,
  };
}

interface SubscriptionFilter {
  filterName: string;
  logGroupName: string;
  filterPattern: string;
  destinationArn: string;
  roleArn?: string;
  distribution: string;
  creationTime: number;
}

// Subscription filters put on the sandbox's log groups, per workload and region: state of the endpoint, not of the workload.
const subscriptions = new WeakMap<Workload, Map<string, SubscriptionFilter[]>>();
// CloudWatch Logs allows two subscription filters per log group.
const MAX_FILTERS_PER_GROUP = 2;

function filtersOf(wl: Workload, region: string, group: string): SubscriptionFilter[] {
  let all = subscriptions.get(wl);
  if (!all) subscriptions.set(wl, (all = new Map()));
  const key = `${region}\0${group}`;
  let list = all.get(key);
  if (!list) all.set(key, (list = []));
  return list;
}

function putSubscriptionFilter(wl: Workload, input: Record<string, unknown>, region: string) {
  const name = groupName(input);
  const filterName = str(input.filterName);
  const destinationArn = str(input.destinationArn);
  const filterPattern = typeof input.filterPattern === "string" ? input.filterPattern : undefined;
  if (!filterName || filterPattern === undefined || !destinationArn) throw invalid("filterName, filterPattern and destinationArn are required.");
  requireGroup(wl, name, region);
  if (destinationArn.includes(":firehose:") && !str(input.roleArn)) throw invalid("A roleArn is required for a Firehose destination.");
  const list = filtersOf(wl, region, name);
  const filter: SubscriptionFilter = { filterName, logGroupName: name, filterPattern, destinationArn, ...(str(input.roleArn) ? { roleArn: str(input.roleArn) } : {}), distribution: str(input.distribution) ?? "ByLogStream", creationTime: Date.now() };
  const at = list.findIndex((f) => f.filterName === filterName);
  if (at >= 0) list[at] = { ...filter, creationTime: list[at].creationTime };
  else if (list.length >= MAX_FILTERS_PER_GROUP) throw new AwsError("LimitExceededException", "Resource limit exceeded.");
  else list.push(filter);
  return {};
}

function describeSubscriptionFilters(wl: Workload, input: Record<string, unknown>, region: string) {
  const name = groupName(input);
  requireGroup(wl, name, region);
  const prefix = str(input.filterNamePrefix);
  const limit = Math.min(num(input.limit) ?? 50, 50);
  const offset = input.nextToken !== undefined ? decodeToken<{ o: number }>(input.nextToken, badToken).o : 0;
  const p = page(filtersOf(wl, region, name).filter((f) => !prefix || f.filterName.startsWith(prefix)), offset, limit);
  return { subscriptionFilters: p.items, nextToken: p.next !== undefined ? encodeToken({ o: p.next }) : undefined };
}

const OPERATIONS: Record<string, (wl: Workload, input: Record<string, unknown>, region: string, ctx: ServiceContext) => unknown> = {
  DescribeLogGroups: describeLogGroups,
  DescribeSubscriptionFilters: describeSubscriptionFilters,
  PutSubscriptionFilter: putSubscriptionFilter,
  DescribeLogStreams: describeLogStreams,
  FilterLogEvents: filterLogEvents,
  GetLogEvents: getLogEvents,
  StartQuery: (wl, input, region, ctx) => startQuery(wl, input, region, ctx.insights),
  GetQueryResults: (wl, input) => getQueryResults(wl, input),
  StopQuery: (wl, input) => stopQuery(wl, input),
};

export const logsService: Service = {
  signingName: "logs",
  protocol,
  throttleError: () => new AwsError("ThrottlingException", "Rate exceeded"),
  internalError: () => new AwsError("ServiceUnavailableException", "The service cannot complete the request.", 500, "Receiver"),
  recognises: (req) => protocol.operation(req) !== undefined,
  route(req, ctx): Route | undefined {
    const op = protocol.operation(req);
    const handler = op ? OPERATIONS[op] : undefined;
    if (!op || !handler) return undefined;
    return { operation: op, run: () => handler(ctx.workload, protocol.input(req), req.region, ctx) };
  },
};
