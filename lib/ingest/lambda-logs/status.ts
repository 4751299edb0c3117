import type { InvocationStatus } from "./types";

const RANK: Record<InvocationStatus, number> = {
  success: 1,
  error: 2,
  crash: 3,
  out_of_memory: 4,
  timeout: 5,
};

/** timeout > out_of_memory > crash > error > success > unknown (null). */
export function statusRank(status: InvocationStatus | null): number {
  return status === null ? 0 : RANK[status];
}

export function worseStatus(a: InvocationStatus | null, b: InvocationStatus | null): InvocationStatus | null {
  return statusRank(b) > statusRank(a) ? b : a;
}

export const TIMEOUT_ERROR_TYPE = "Sandbox.Timedout";
export const OUT_OF_MEMORY_ERROR_TYPE = "Runtime.OutOfMemory";
export const EXIT_ERROR_TYPE = "Runtime.ExitError";

/** The status an unhandled error of this type gives its invocation. */
export function statusForErrorType(errorType: string): InvocationStatus {
  if (errorType === TIMEOUT_ERROR_TYPE) return "timeout";
  if (
    errorType === OUT_OF_MEMORY_ERROR_TYPE ||
    errorType === "MemoryError" ||
    errorType.endsWith("OutOfMemoryError") ||
    errorType === "System.OutOfMemoryException" ||
    errorType === "Function<NoMemoryError>"
  ) {
    return "out_of_memory";
  }
  // Runtime.* errors are the runtime failing (bad handler, import error, exit), not the handler throwing;
  // an unhandled promise rejection is the handler's own failure.
  if (errorType.startsWith("Runtime.") && errorType !== "Runtime.UnhandledPromiseRejection") return "crash";
  if (errorType.startsWith("Init<") || errorType.startsWith("Runtime<")) return "crash";
  return "error";
}

interface MemoryFacts {
  status: InvocationStatus | null;
  errorType: string | null;
  errorMessage: string | null;
  memorySizeMB: number | null;
  maxMemoryUsedMB: number | null;
}

/**
 * The old out-of-memory shape is a runtime killed by a signal while Max Memory Used reached Memory Size;
 * the two facts can arrive in different batches, so this is re-applied after every merge.
 */
export function isOutOfMemoryKill(inv: MemoryFacts): boolean {
  if (inv.status !== "crash") return false;
  if (inv.memorySizeMB === null || inv.maxMemoryUsedMB === null) return false;
  if (inv.maxMemoryUsedMB < inv.memorySizeMB) return false;
  const message = inv.errorMessage ?? "";
  return inv.errorType === EXIT_ERROR_TYPE || message.includes("signal: killed") || message.includes("exited before completing");
}
