import type { InsightRule } from "../types";
import { createFinding, describeWindow, formatPercent, percent, roundPercent } from "./shared";
import { METRICS, RULE_TARGETS } from "./requirements";

export const eventBridgeFailedInvocations: InsightRule = {
  id: "eventbridge-failed-invocations",
  title: "Rule fails to deliver events to its targets",
  service: "eventbridge",
  pillar: "reliability",
  question: "REL2",
  requires: [METRICS, RULE_TARGETS],
  needs: ["config", "metrics"],
  defaults: { minFailed: 1 },
  thresholdSources: { minFailed: "AWS EventBridge docs: an event whose retries run out is dropped unless the target has a DLQ" },
  evaluate(ctx, t) {
    return (ctx.eventRules ?? []).flatMap((r) => {
      if (r.failedInvocations < t.minFailed) return [];
      const bare = (r.targets ?? []).filter((x) => x.dlq === null);
      const pct = percent(r.failedInvocations, r.invocations);
      return [
        createFinding(
          eventBridgeFailedInvocations,
          r.arn,
          bare.length > 0 ? "warning" : "info",
          {
            failedInvocations: r.failedInvocations,
            invocations: r.invocations,
            failedPct: roundPercent(pct),
            targetsWithoutDlq: bare.length,
            ...(bare.length ? { targetsWithoutDlqIds: bare.map((x) => x.id).join(", ") } : {}),
          },
          `${r.failedInvocations} invocations of ${r.name}'s targets failed in ${describeWindow(r)} (${formatPercent(pct)}). ` +
            (bare.length
              ? `Target${bare.length === 1 ? "" : "s"} ${bare.map((x) => x.id).join(", ")} ha${bare.length === 1 ? "s" : "ve"} no dead-letter queue: events whose retries run out are lost. Give each target a DeadLetterConfig, and `
              : "Failed events go to the targets' dead-letter queues; ") +
            `check the target's permissions (the rule's role or the target's resource policy) and that it exists.`,
        ),
      ];
    });
  },
};

export const eventBridgeThrottledRules: InsightRule = {
  id: "eventbridge-throttled-rules",
  title: "Rule is throttled",
  service: "eventbridge",
  pillar: "reliability",
  question: "REL1",
  requires: [METRICS],
  needs: ["metrics"],
  defaults: { minThrottled: 1 },
  thresholdSources: { minThrottled: "Osprey default: a throttled rule delays every event it matches" },
  evaluate(ctx, t) {
    return (ctx.eventRules ?? [])
      .filter((r) => r.throttled >= t.minThrottled)
      .map((r) =>
        createFinding(
          eventBridgeThrottledRules,
          r.arn,
          "warning",
          { throttled: r.throttled, triggered: r.triggered },
          `${r.name} was throttled ${r.throttled} times in ${describeWindow(r)}: the account's invocation quota for ` +
            `the region was reached and its events were delayed. Request a higher PutEvents/invocations quota, or narrow the ` +
            `event pattern so fewer events match.`,
        ),
      );
  },
};

export const EVENTBRIDGE_RULES: InsightRule[] = [eventBridgeFailedInvocations, eventBridgeThrottledRules];
