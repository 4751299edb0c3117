export interface LogEventInput {
  eventId: string;
  logGroupName?: string;
  logStreamName: string;
  timestamp: number;
  ingestionTime?: number;
  message: string;
}

export type InvocationStatus = "success" | "error" | "timeout" | "out_of_memory" | "crash";
export type ColdStartKind = "init" | "snapstart";

export interface ParsedInvocation {
  requestId: string;
  functionName: string | null;
  logStreamName: string;
  /** 1 within this batch; 2, 3 for repeats of the same requestId in this batch, ordered by start. */
  attempt: number;
  startedAt: number | null;
  endedAt: number | null;
  durationMs: number | null;
  billedDurationMs: number | null;
  memorySizeMB: number | null;
  maxMemoryUsedMB: number | null;
  initDurationMs: number | null;
  restoreDurationMs: number | null;
  billedRestoreDurationMs: number | null;
  coldStart: boolean;
  coldStartKind: ColdStartKind | null;
  /** null = not finished in this batch and no failure seen. */
  status: InvocationStatus | null;
  errorType: string | null;
  errorMessage: string | null;
  traceId: string | null;
  startEventId: string | null;
  reportEventId: string | null;
  /** A REPORT (or platform.report) was seen. */
  complete: boolean;
}

export type LogLineKind = "platform" | "app" | "unknown";

export interface ParsedLogLine {
  eventId: string;
  logStreamName: string;
  timestamp: number;
  requestId: string | null;
  level: string | null;
  kind: LogLineKind;
  message: string;
}

export interface ErrorOccurrence {
  requestId: string | null;
  logStreamName: string;
  timestamp: number;
  eventId: string;
  errorType: string;
  errorMessage: string;
  stack: string[];
  fingerprint: string;
}

export interface ParseResult {
  invocations: ParsedInvocation[];
  logLines: ParsedLogLine[];
  errors: ErrorOccurrence[];
}
