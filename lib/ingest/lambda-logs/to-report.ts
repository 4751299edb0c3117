import { invocationCostUsd } from "@/lib/analysis/cost";
import { groupErrors, type ErrorGroup } from "@/lib/analysis/fingerprint";
import type { Architecture } from "@/lib/analysis/prices";
import { groupStackSamples } from "../stack/group-sample";
import type { InvocationStatus, ParseResult } from "./types";

export interface ParseLogsInvocation {
  requestId: string;
  functionName: string | null;
  logStreamName: string;
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
  status: InvocationStatus | null;
  errorType: string | null;
  errorMessage: string | null;
  traceId: string | null;
  costUsd: number | null;
}

export interface ParseLogsDocument {
  invocations: ParseLogsInvocation[];
  errorGroups: (ErrorGroup & { topFrame: string | null })[];
}

/** What `osprey parse-logs` prints: the invocations Osprey makes of the events, and their error groups. */
export function toParseLogsDocument(
  result: ParseResult,
  opts: { architecture?: Architecture; region?: string } = {},
): ParseLogsDocument {
  const invocations = result.invocations.map(
    (inv): ParseLogsInvocation => ({
      requestId: inv.requestId,
      functionName: inv.functionName,
      logStreamName: inv.logStreamName,
      attempt: inv.attempt,
      startedAt: inv.startedAt,
      endedAt: inv.endedAt,
      durationMs: inv.durationMs,
      billedDurationMs: inv.billedDurationMs,
      memorySizeMB: inv.memorySizeMB,
      maxMemoryUsedMB: inv.maxMemoryUsedMB,
      initDurationMs: inv.initDurationMs,
      restoreDurationMs: inv.restoreDurationMs,
      billedRestoreDurationMs: inv.billedRestoreDurationMs,
      coldStart: inv.coldStart,
      status: inv.status,
      errorType: inv.errorType,
      errorMessage: inv.errorMessage,
      traceId: inv.traceId,
      costUsd: invocationCostUsd({
        billedDurationMs: inv.billedDurationMs,
        memorySizeMB: inv.memorySizeMB,
        architecture: opts.architecture,
        region: opts.region,
      }),
    }),
  );

  const functionByRequest = new Map<string, string>();
  const functions = new Set<string>();
  for (const inv of result.invocations) {
    if (inv.functionName === null) continue;
    functionByRequest.set(inv.requestId, inv.functionName);
    functions.add(inv.functionName);
  }
  const onlyFunction = functions.size === 1 ? [...functions][0] : null;
  const errorGroups = groupErrors(
    result.errors.map((error) => ({
      ...error,
      functionName: (error.requestId !== null ? functionByRequest.get(error.requestId) : undefined) ?? onlyFunction,
    })),
  );
  const topFrames = new Map(groupStackSamples(result.errors).map((s) => [s.fingerprint, s.topFrame]));
  return { invocations, errorGroups: errorGroups.map((g) => ({ ...g, topFrame: topFrames.get(g.fingerprint) ?? null })) };
}
