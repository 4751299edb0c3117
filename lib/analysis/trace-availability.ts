/** Why an invocation's page shows its X-Ray waterfall, or the true reason it cannot. */

// X-Ray keeps trace data for 30 days.
export const XRAY_RETENTION_MS = 30 * 86_400_000;
// Segments are published after the request ends and read by the next trace pass (every minute, re-reading 5 minutes).
export const TRACE_ARRIVAL_MS = 15 * 60_000;

export type TraceStatus = "shown" | "tracing-off" | "not-sampled" | "expired" | "arriving" | "not-read-yet" | "not-read" | "caller-traced" | "missing";

export interface TraceAvailabilityInput {
  hasSpans: boolean;
  traceId: string | null;
  /** The function's TracingConfig mode: "Active", "PassThrough", or null when unknown. */
  tracingMode: string | null;
  /** When the invocation started (or ended, when its start is unknown). */
  at: number | null;
  now: number;
  /** From when Osprey has read this function's traces; null when unknown. */
  readFrom: number | null;
  backfillPending: boolean;
}

export interface TraceAvailability {
  status: TraceStatus;
  message: string | null;
}

const DAY_MS = 86_400_000;

export function traceAvailability(i: TraceAvailabilityInput): TraceAvailability {
  if (i.hasSpans) return { status: "shown", message: null };
  const age = i.at === null ? null : i.now - i.at;
  if (age !== null && age > XRAY_RETENTION_MS) {
    return { status: "expired", message: `No trace: X-Ray keeps traces for 30 days, and this invocation ran ${Math.floor(age / DAY_MS)} days ago.` };
  }
  if (i.traceId === null) {
    if (i.tracingMode !== "Active") {
      return { status: "tracing-off", message: "No X-Ray trace: tracing is off for this function (set its tracing mode to Active to see a waterfall)." };
    }
    return {
      status: "not-sampled",
      message: "No trace: X-Ray did not sample this request. With active tracing, X-Ray records a sample of requests (by default the first each second and 5 % of the rest).",
    };
  }
  if (age !== null && age < TRACE_ARRIVAL_MS) {
    return { status: "arriving", message: "The trace is still arriving: X-Ray publishes segments a little after the invocation ends, and Osprey reads them every minute." };
  }
  if (i.tracingMode !== "Active") {
    return {
      status: "caller-traced",
      message: "No waterfall: its caller traced this request, but Osprey reads the traces of functions with active tracing only (set this function's tracing mode to Active).",
    };
  }
  if (i.readFrom !== null && i.at !== null && i.at < i.readFrom) {
    return i.backfillPending
      ? { status: "not-read-yet", message: "The trace is not read yet: Osprey is still reading this function's older traces, most recent first, and will reach this one." }
      : {
          status: "not-read",
          message: `No trace read: Osprey's first read of this function's traces went back to ${new Date(i.readFrom).toISOString().slice(0, 16).replace("T", " ")} UTC, before this invocation's time.`,
        };
  }
  return {
    status: "missing",
    message: "No trace: X-Ray returned nothing for this trace id. The request was probably not sampled, or its segments were never sent.",
  };
}
