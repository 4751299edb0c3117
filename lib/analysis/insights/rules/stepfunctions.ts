import type { InsightRule } from "../types";
import { createFinding, describeWindow, formatPercent, percent, plural, roundPercent } from "./shared";
import { FAILED_EXECUTIONS, METRICS, STATE_MACHINE } from "./requirements";

export const stepFunctionsFailedExecutions: InsightRule = {
  id: "stepfunctions-failed-executions",
  title: "State machine executions fail",
  service: "stepfunctions",
  pillar: "reliability",
  question: "REL2",
  requires: [METRICS, ...FAILED_EXECUTIONS],
  needs: ["metrics"],
  defaults: { minFailedPct: 1, criticalFailedPct: 10 },
  thresholdSources: {
    minFailedPct: "Osprey default: more than one execution in a hundred failing or timing out",
    criticalFailedPct: "Osprey default: one in ten is a broken workflow, not a flaky step",
  },
  evaluate(ctx, t) {
    return (ctx.stateMachines ?? []).flatMap((m) => {
      const failed = m.failed + m.timedOut;
      const pct = percent(failed, m.started);
      if (m.started === 0 || pct < t.minFailedPct) return [];
      const top = m.failedStates[0];
      return [
        createFinding(
          stepFunctionsFailedExecutions,
          m.arn,
          pct >= t.criticalFailedPct ? "critical" : "warning",
          {
            started: m.started,
            failed: m.failed,
            timedOut: m.timedOut,
            failedPct: roundPercent(pct),
            ...(top ? { topFailedState: top.state, topFailedStateCount: top.count, ...(top.error ? { topError: top.error } : {}) } : {}),
          },
          `${plural(failed, "execution")} of ${m.name} failed or timed out in ${describeWindow(m)} (${formatPercent(pct)} of ${m.started})` +
            (top ? `; most failed in state ${top.state}${top.error ? ` with ${top.error}` : ""} (${top.count})` : "") +
            `. Add Retry with backoff for transient errors and Catch to a compensating or notifying state for the others, ` +
            `and give Task states a TimeoutSeconds so a stuck call fails fast.`,
        ),
      ];
    });
  },
};

export const stepFunctionsNoLogging: InsightRule = {
  id: "stepfunctions-logging-off",
  title: "State machine logs nothing",
  service: "stepfunctions",
  pillar: "operational_excellence",
  question: "OPS1",
  requires: [STATE_MACHINE],
  needs: ["config"],
  defaults: {},
  thresholdSources: {},
  evaluate(ctx) {
    return (ctx.stateMachines ?? [])
      .filter((m) => m.loggingLevel === "OFF")
      .map((m) =>
        createFinding(
          stepFunctionsNoLogging,
          m.arn,
          "info",
          { loggingLevel: m.loggingLevel },
          `${m.name} sends no execution history to CloudWatch Logs: once an execution's history expires (90 days, ` +
            `or at once for Express workflows) its failures cannot be investigated. Set the logging level to ERROR at least.`,
        ),
      );
  },
};

export const STEP_FUNCTIONS_RULES: InsightRule[] = [stepFunctionsFailedExecutions, stepFunctionsNoLogging];
