import type { FunctionSpec, Status } from "./catalog";

export interface Invocation {
  functionName: string;
  region: string;
  requestId: string;
  attempt: number;
  /** START timestamp (ms); on a cold start the init phase ran just before it */
  start: number;
  end: number;
  durationMs: number;
  billedMs: number;
  memorySizeMb: number;
  memoryUsedMb: number;
  initDurationMs?: number;
  restoreDurationMs?: number;
  billedRestoreDurationMs?: number;
  coldStart: boolean;
  status: Status;
  errorType?: string;
  errorMessage?: string;
  traceId?: string;
  segmentId?: string;
  logStreamName: string;
  version: string;
  /** seed of everything derived from this invocation (log text, trace ids) */
  key: number;
  /** init failed (Runtime.ImportModuleError): REPORT carries no Init Duration */
  initFailed?: boolean;
  /** failed init phase duration, logged in INIT_REPORT */
  failedInitMs?: number;
  /** an SQS-triggered invocation: the message it received, and how many times it has been received */
  sqsMessage?: { messageId: string; receiveCount: number };
}

export interface LogEvent {
  logStreamName: string;
  timestamp: number;
  ingestionTime: number;
  message: string;
  eventId: string;
}

export interface WindowResult {
  start: number;
  invocations: Invocation[];
  throttles: number[];
  /** highest concurrency per minute of the window */
  concurrency: Int32Array;
}

export interface FunctionInfo {
  spec: FunctionSpec;
  arn: string;
  logGroupName: string;
  index: number;
  /** Code deploys (DeployScenario) made by now, and when the latest went live. */
  deploys?: { count: number; lastAt: number | null };
}
