import { findingKey } from "./engine";
import type { Finding } from "./types";

export type InsightState = "open" | "acknowledged" | "muted" | "resolved";

export interface StoredInsight {
  ruleId: string;
  resourceArn: string;
  state: InsightState;
  firstSeenAt: Date;
}

export interface InsightToInsert {
  finding: Finding;
  state: "open";
  firstSeenAt: Date;
  lastSeenAt: Date;
}

export interface InsightToUpdate {
  finding: Finding;
  state: Exclude<InsightState, "resolved">;
  firstSeenAt: Date;
  lastSeenAt: Date;
  /** A resolved insight whose condition came back: open again, first seen now. */
  reopened: boolean;
}

export interface InsightToResolve {
  ruleId: string;
  resourceArn: string;
  resolvedAt: Date;
}

export interface Reconciliation {
  insert: InsightToInsert[];
  update: InsightToUpdate[];
  resolve: InsightToResolve[];
}

/**
 * Compares the stored insights of the evaluated scope with the findings of this evaluation.
 * - New finding: insert, open.
 * - Still present: update evidence and lastSeenAt; open, acknowledged and muted keep their state.
 * - Present again after being resolved: reopened as open with a new firstSeenAt.
 * - Gone: open and acknowledged insights resolve. Muted ones stay muted: a mute is the user's
 *   standing decision about this rule on this resource, and must still hold when the condition returns.
 * `previous` must cover the same accounts and resources as `current`, or insights outside it resolve.
 */
export function reconcileFindings(previous: StoredInsight[], current: Finding[], now: Date): Reconciliation {
  const stored = new Map<string, StoredInsight>();
  for (const insight of previous) {
    const key = findingKey(insight);
    if (!stored.has(key)) stored.set(key, insight);
  }

  const result: Reconciliation = { insert: [], update: [], resolve: [] };
  const seen = new Set<string>();
  for (const finding of current) {
    const key = findingKey(finding);
    if (seen.has(key)) continue;
    seen.add(key);
    const existing = stored.get(key);
    if (!existing) {
      result.insert.push({ finding, state: "open", firstSeenAt: now, lastSeenAt: now });
    } else if (existing.state === "resolved") {
      result.update.push({ finding, state: "open", firstSeenAt: now, lastSeenAt: now, reopened: true });
    } else {
      result.update.push({ finding, state: existing.state, firstSeenAt: existing.firstSeenAt, lastSeenAt: now, reopened: false });
    }
  }

  for (const [key, insight] of stored) {
    if (seen.has(key) || insight.state === "resolved" || insight.state === "muted") continue;
    result.resolve.push({ ruleId: insight.ruleId, resourceArn: insight.resourceArn, resolvedAt: now });
  }
  return result;
}
