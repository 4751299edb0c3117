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
  | "runtime-done"
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
  /** An error record that is a failure only if the platform says the invocation failed (see Draft.settle). */
  tentative: boolean;
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
    tentative: false,
  };
}
