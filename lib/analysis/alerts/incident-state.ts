/**
 * The incident state machine of one (policy, resource), pure: given the incident as stored (the
 * unresolved one, else the latest resolved one) and this minute's evaluation, what changes, which
 * timeline events it writes, and which notice (if any) goes out.
 *
 * - firing without an incident: open one and notify "opened".
 * - firing with one open or acknowledged: deduplicated (value updated, no notice); a severity rise
 *   notifies "escalated".
 * - firing within flapMinutes of the latest resolve: the resolved incident re-opens without a notice,
 *   its flap count goes up (held back, not a new page); it later resolves without a notice too.
 * - clear: remembered since when; after resolveAfterMinutes clear it resolves and notifies "resolved".
 * - snoozed (now < snoozedUntil): every change is recorded, no notice goes out.
 */
import type { AlertSeverity, NoticeEvent } from "./notice";

export type IncidentStateName = "open" | "acknowledged" | "resolved";

export interface StoredIncident {
  state: IncidentStateName;
  severity: AlertSeverity;
  openedAt: number;
  resolvedAt: number | null;
  clearSince: number | null;
  snoozedUntil: number | null;
  flaps: number;
  /** The last event a notice went out for. */
  lastNotice: NoticeEvent | null;
}

export interface StepPolicy {
  resolveAfterMinutes: number;
  flapMinutes: number;
}

export type TimelineKind = "opened" | "escalated" | "resolved" | "flapped";

export interface Step {
  /** create: a new incident row; update: change the given one; none: nothing but the value. */
  write: "create" | "update" | "none";
  next: StoredIncident | null;
  events: TimelineKind[];
  notify: NoticeEvent | null;
}

const RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

export function step(policy: StepPolicy, current: StoredIncident | null, ev: { firing: boolean; severity: AlertSeverity }, now: number): Step {
  const snoozed = (i: StoredIncident) => i.snoozedUntil !== null && now < i.snoozedUntil;
  const none: Step = { write: "none", next: current, events: [], notify: null };

  if (!current || current.state === "resolved") {
    if (!ev.firing) return none;
    const recent = current && current.resolvedAt !== null && now - current.resolvedAt < policy.flapMinutes * 60_000;
    if (current && recent) {
      const next: StoredIncident = { ...current, state: "open", resolvedAt: null, clearSince: null, flaps: current.flaps + 1, severity: ev.severity };
      return { write: "update", next, events: ["flapped"], notify: null };
    }
    const next: StoredIncident = { state: "open", severity: ev.severity, openedAt: now, resolvedAt: null, clearSince: null, snoozedUntil: null, flaps: 0, lastNotice: "opened" };
    return { write: "create", next, events: ["opened"], notify: "opened" };
  }

  if (ev.firing) {
    if (RANK[ev.severity] > RANK[current.severity]) {
      const notify = snoozed(current) ? null : "escalated";
      return { write: "update", next: { ...current, severity: ev.severity, clearSince: null, lastNotice: notify ?? current.lastNotice }, events: ["escalated"], notify };
    }
    if (current.clearSince !== null) return { write: "update", next: { ...current, clearSince: null }, events: [], notify: null };
    return none;
  }

  const clearSince = current.clearSince ?? now;
  if (now - clearSince >= policy.resolveAfterMinutes * 60_000) {
    // A silent flap re-open was never announced: its resolve is not either.
    const notify = snoozed(current) || current.lastNotice === "resolved" ? null : "resolved";
    return { write: "update", next: { ...current, state: "resolved", resolvedAt: now, clearSince, lastNotice: notify ?? current.lastNotice }, events: ["resolved"], notify };
  }
  if (current.clearSince === null) return { write: "update", next: { ...current, clearSince }, events: [], notify: null };
  return none;
}
