import type { PlatformFields } from "./platform-text";
import type { InvocationStatus, ParsedLogLine } from "./types";

export type SignalKind =
  | "start"
  | "end"
  | "report"
  | "init-start"
  | "init-report"
  | "restore-start"
  | "restore-report"
  | "failure"
  | "xray";

/** A log line that says something about an invocation (most app lines say nothing and produce none). */
export interface Signal {
  kind: SignalKind;
  line: ParsedLogLine;
  index: number;
  requestId: string | null;
  logGroupName: string | undefined;
  fields: PlatformFields | null;
  status: InvocationStatus | null;
  errorType: string | null;
  errorMessage: string | null;
  stack: string[] | null;
  /** Whether the line is itself an error occurrence worth grouping. */
  occurrence: boolean;
}

export function newSignal(kind: SignalKind, line: ParsedLogLine, index: number, requestId: string | null, logGroupName: string | undefined): Signal {
  return {
    kind,
    line,
    index,
    requestId,
    logGroupName,
    fields: null,
    status: null,
    errorType: null,
    errorMessage: null,
    stack: null,
    occurrence: false,
  };
}
