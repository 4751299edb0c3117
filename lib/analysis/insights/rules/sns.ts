import type { InsightRule } from "../types";
import { createFinding, describeWindow, formatPercent, percent, roundPercent } from "./shared";
import { METRICS, SUBSCRIPTIONS } from "./requirements";

export const snsFailedDeliveriesNoDlq: InsightRule = {
  id: "sns-failed-deliveries-no-dlq",
  title: "Topic fails deliveries and has subscriptions without a dead-letter queue",
  service: "sns",
  pillar: "reliability",
  question: "REL2",
  requires: [METRICS, ...SUBSCRIPTIONS],
  needs: ["config", "metrics"],
  defaults: { minFailed: 1 },
  thresholdSources: { minFailed: "AWS SNS docs: a message SNS gives up on without a DLQ is lost" },
  evaluate(ctx, t) {
    return (ctx.topics ?? []).flatMap((topic) => {
      const bare = topic.subscriptions.filter((s) => s.dlq === null);
      if (topic.failedNotifications < t.minFailed || bare.length === 0) return [];
      const attempts = topic.delivered + topic.failedNotifications;
      return [
        createFinding(
          snsFailedDeliveriesNoDlq,
          topic.arn,
          "warning",
          {
            failedNotifications: topic.failedNotifications,
            failedPct: roundPercent(percent(topic.failedNotifications, attempts)),
            subscriptionsWithoutDlq: bare.length,
            subscriptionsWithoutDlqProtocols: [...new Set(bare.map((s) => s.protocol))].join(", "),
          },
          `${topic.failedNotifications} notifications of ${topic.name} failed in ${describeWindow(topic)} ` +
            `(${formatPercent(percent(topic.failedNotifications, attempts))} of deliveries), and ${bare.length} of its ` +
            `subscriptions (${[...new Set(bare.map((s) => s.protocol))].join(", ")}) have no dead-letter queue, so what SNS gives up on is lost. ` +
            `Set a RedrivePolicy with an SQS dead-letter queue on each subscription, and fix or retire the failing endpoint.`,
        ),
      ];
    });
  },
};

export const SNS_RULES: InsightRule[] = [snsFailedDeliveriesNoDlq];
