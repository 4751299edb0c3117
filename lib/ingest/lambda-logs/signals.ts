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
  /** Position, among the batch's STARTs, of the latest START before this line in the input (-1: none). A hint. */
  startBefore: number;
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

export function newSignal(
  kind: SignalKind,
  line: ParsedLogLine,
  index: number,
  requestId: string | null,
  logGroupName: string | undefined,
  startBefore: number,
): Signal {
  return {
    kind,
    line,
    index,
    requestId,
    logGroupName,
    startBefore,
    fields: null,
    status: null,
    errorType: null,
    errorMessage: null,
    stack: null,
    occurrence: false,
    tentative: false,
  };
}

/**
 * The signals of a batch by what resolution takes first: STARTs, then REPORTs, then ENDs, then the rest,
 * each list in input order. Sorting them as they come spares resolution a pass over all of them per kind.
 */
export class SignalLists {
  readonly starts: Signal[] = [];
  readonly reports: Signal[] = [];
  readonly ends: Signal[] = [];
  readonly others: Signal[] = [];

  add(signal: Signal): void {
    switch (signal.kind) {
      case "start":
        this.starts.push(signal);
        return;
      case "report":
        this.reports.push(signal);
        return;
      case "end":
        this.ends.push(signal);
        return;
      default:
        this.others.push(signal);
    }
  }
}
