import type { Finding, InsightRule } from "../types";
import { createFinding, describeWindow, formatPercent, percent, roundPercent, roundTo } from "./shared";
import { METRICS, QUEUE_ATTRIBUTES } from "./requirements";

const OSPREY = "Osprey default";

function formatDuration(seconds: number): string {
  if (seconds >= 86_400) return `${roundTo(seconds / 86_400, 1)} days`;
  if (seconds >= 3_600) return `${roundTo(seconds / 3_600, 1)} h`;
  return `${Math.round(seconds)} s`;
}

/** Least-squares rise across the series: robust to a single noisy first or last sample. */
export function fittedRise(values: number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((sum, v) => sum + v, 0) / n;
  let num = 0;
  let den = 0;
  values.forEach((v, x) => {
    num += (x - meanX) * (v - meanY);
    den += (x - meanX) ** 2;
  });
  return (num / den) * (n - 1);
}

export const sqsOldestMessageAge: InsightRule = {
  id: "sqs-oldest-message-age",
  title: "Messages close to expiring",
  service: "sqs",
  pillar: "reliability",
  question: "REL2",
  requires: [QUEUE_ATTRIBUTES, METRICS],
  needs: ["metrics"],
  defaults: { pctOfRetention: 50, criticalPctOfRetention: 90 },
  thresholdSources: {
    pctOfRetention: "Peers: the oldest message halfway to the retention period (AWS-FACTS.md)",
    criticalPctOfRetention: `${OSPREY}: messages are about to be deleted unread`,
  },
  evaluate(ctx, t) {
    const findings: Finding[] = [];
    for (const queue of ctx.queues) {
      if (queue.retentionS <= 0) continue;
      const pct = percent(queue.maxAgeOfOldestMessageS, queue.retentionS);
      if (pct <= t.pctOfRetention) continue;
      findings.push(
        createFinding(
          sqsOldestMessageAge,
          queue.arn,
          pct > t.criticalPctOfRetention ? "critical" : "warning",
          {
            maxAgeOfOldestMessageS: queue.maxAgeOfOldestMessageS,
            retentionS: queue.retentionS,
            pctOfRetention: roundPercent(pct),
            thresholdPct: t.pctOfRetention,
          },
          `The oldest message in ${queue.name} was ${formatDuration(queue.maxAgeOfOldestMessageS)} old, ` +
            `${formatPercent(pct)} of the ${formatDuration(queue.retentionS)} retention: SQS deletes it unread when it ` +
            `reaches the retention period. ${
              queue.isDlq
                ? "Inspect and redrive the dead-lettered messages, or raise the retention (up to 14 days)."
                : "Check that its consumer is running and not failing on the same message over and over."
            }`,
        ),
      );
    }
    return findings;
  },
};

export const sqsBacklogGrowing: InsightRule = {
  id: "sqs-backlog-growing",
  title: "Messages piling up",
  service: "sqs",
  pillar: "reliability",
  question: "REL2",
  requires: [METRICS],
  needs: ["metrics"],
  defaults: { minRise: 100, minSamples: 3 },
  thresholdSources: {
    minRise: `${OSPREY}: the visible messages' trend rises by at least 100 across the window`,
    minSamples: `${OSPREY}: a trend needs at least three points`,
  },
  evaluate(ctx, t) {
    const findings: Finding[] = [];
    for (const queue of ctx.queues) {
      if (queue.isDlq || queue.visibleMessages.length < t.minSamples) continue;
      const rise = fittedRise(queue.visibleMessages);
      if (rise < t.minRise) continue;
      const first = queue.visibleMessages[0];
      const last = queue.visibleMessages[queue.visibleMessages.length - 1];
      findings.push(
        createFinding(
          sqsBacklogGrowing,
          queue.arn,
          "warning",
          {
            visibleAtStart: first,
            visibleAtEnd: last,
            trendRise: Math.round(rise),
            sent: queue.sent,
            deleted: queue.deleted,
          },
          `Visible messages in ${queue.name} grew from ${first} to ${last} over ${describeWindow(queue)} ` +
            `(${queue.sent} sent, ${queue.deleted} deleted): consumers are not keeping up. Add consumers (for a ` +
            `Lambda trigger, raise its maximum concurrency and batch size) or look for a consumer that fails and ` +
            `leaves messages to reappear.`,
        ),
      );
    }
    return findings;
  },
};

export const sqsDeadLetterQueueReceiving: InsightRule = {
  id: "sqs-dlq-receiving",
  title: "Dead-letter queue receives messages",
  service: "sqs",
  pillar: "reliability",
  question: "REL2",
  requires: [QUEUE_ATTRIBUTES, METRICS],
  needs: ["config", "metrics"],
  defaults: { minMessages: 1 },
  thresholdSources: { minMessages: `${OSPREY}: every dead-lettered message is a failed piece of work` },
  evaluate(ctx, t) {
    const findings: Finding[] = [];
    for (const queue of ctx.queues) {
      if (!queue.isDlq) continue;
      // Messages moved by a redrive policy do not count in NumberOfMessagesSent, so visible messages tell.
      const series = queue.visibleMessages;
      const visibleNow = series.length > 0 ? series[series.length - 1] : 0;
      const arrived = series.reduce((sum, v, i) => (i > 0 && v > series[i - 1] ? sum + v - series[i - 1] : sum), 0);
      if (Math.max(visibleNow, arrived, queue.sent) < t.minMessages) continue;
      findings.push(
        createFinding(
          sqsDeadLetterQueueReceiving,
          queue.arn,
          "warning",
          { visibleMessages: visibleNow, arrivedInWindow: arrived, sent: queue.sent },
          `The dead-letter queue ${queue.name} holds ${visibleNow} messages (${arrived} arrived in ` +
            `${describeWindow(queue)}): work its source queue's consumer gave up on. Find the error in the consumer's ` +
            `logs, fix it, then redrive the messages to the source queue.`,
        ),
      );
    }
    return findings;
  },
};

export const sqsUnreadQueue: InsightRule = {
  id: "sqs-unread-queue",
  title: "Queue nobody reads",
  service: "sqs",
  pillar: "reliability",
  question: "REL2",
  requires: [METRICS],
  needs: ["metrics"],
  defaults: { minSent: 1 },
  thresholdSources: { minSent: `${OSPREY}: messages sent and none received` },
  evaluate(ctx, t) {
    return ctx.queues
      .filter((queue) => !queue.isDlq && queue.sent >= t.minSent && queue.received === 0)
      .map((queue) =>
        createFinding(
          sqsUnreadQueue,
          queue.arn,
          "warning",
          { sent: queue.sent, received: 0 },
          `${queue.sent} messages were sent to ${queue.name} in ${describeWindow(queue)} and none was received: its ` +
            `consumer is missing, disabled or failing to poll. Check the queue's Lambda trigger or consumer; messages ` +
            `expire after ${formatDuration(queue.retentionS)}.`,
        ),
      );
  },
};

export const SQS_RULES: InsightRule[] = [sqsOldestMessageAge, sqsBacklogGrowing, sqsDeadLetterQueueReceiving, sqsUnreadQueue];
