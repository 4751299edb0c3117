export type {
  ErrorOccurrence,
  InvocationStatus,
  LogEventInput,
  ParsedInvocation,
  ParsedLogLine,
  ParseResult,
} from "./types";
export { parseLambdaLogEvents, functionNameFromLogGroup } from "./parse";
export { mergeInvocation } from "./merge";
export { fromSubscriptionPayload, type SubscriptionPayload } from "./subscription";
export { toParseLogsDocument, type ParseLogsDocument, type ParseLogsInvocation } from "./to-report";
export { statusRank } from "./status";
