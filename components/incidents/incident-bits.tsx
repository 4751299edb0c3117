"use client";

import Link from "next/link";
import { useState } from "react";
import { formatDuration } from "../format";
import { formatConditionValue } from "./incident-text";
import { useIncidentAction, type Incident, type IncidentActionKind } from "./use-incidents";
import { useCan } from "../auth/viewer";

const STATE_TONE: Record<string, string> = {
  open: "bg-red-100 text-red-800 dark:bg-red-500/15 dark:text-red-300",
  acknowledged: "bg-amber-100 text-amber-900 dark:bg-amber-500/15 dark:text-amber-300",
  resolved: "bg-emerald-100 text-emerald-800 dark:bg-emerald-500/15 dark:text-emerald-300",
};
const SEVERITY_TONE: Record<string, string> = {
  critical: "bg-red-600 text-white",
  warning: "bg-amber-100 text-amber-900 dark:bg-amber-500/15 dark:text-amber-300",
  info: "bg-sky-100 text-sky-900 dark:bg-sky-500/15 dark:text-sky-300",
};

const pill = "inline-block whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium";

export function StateBadge({ state }: { state: string }) {
  return (
    <span className={`${pill} ${STATE_TONE[state] ?? STATE_TONE.open}`} data-testid="incident-state">
      {state}
    </span>
  );
}

export function SeverityBadge({ severity }: { severity: string }) {
  return <span className={`${pill} ${SEVERITY_TONE[severity] ?? SEVERITY_TONE.info}`}>{severity}</span>;
}

/** "12 ≥ 1": the value against the threshold it crossed. */
export function ValueVsThreshold({ incident }: { incident: Incident }) {
  const k = incident.policy.conditionKind;
  return (
    <span className="num whitespace-nowrap" data-testid="incident-value">
      <span className="font-semibold">{formatConditionValue(k, incident.value)}</span>
      <span className="text-zinc-600 dark:text-zinc-400"> vs {formatConditionValue(k, incident.threshold)}</span>
    </span>
  );
}

/** How long it has been open (or was, once resolved). */
export function incidentDuration(i: Pick<Incident, "openedAt" | "resolvedAt">, now = Date.now()): string {
  return formatDuration((i.resolvedAt ? Date.parse(i.resolvedAt) : now) - Date.parse(i.openedAt));
}

/** Where the incident is: a link to its resource, or its account and region when it has none. */
export function IncidentTarget({ incident }: { incident: Incident }) {
  if (incident.resource) return <Link className="link" href={`/functions/${incident.resource.id}`}>{incident.resource.name}</Link>;
  const where = [incident.account?.name, incident.region].filter(Boolean).join(" · ");
  return <span className="text-zinc-700 dark:text-zinc-300">{where || "All accounts"}</span>;
}

const SNOOZE = [
  { minutes: 60, label: "1 h" },
  { minutes: 240, label: "4 h" },
  { minutes: 1440, label: "24 h" },
] as const;

const DONE: Record<IncidentActionKind, string> = { acknowledge: "Acknowledged", resolve: "Resolved", snooze: "Snoozed" };

/** Acknowledge, resolve and snooze, with the outcome announced where the buttons are. */
export function IncidentActions({ incident, compact = false }: { incident: Incident; compact?: boolean }) {
  const action = useIncidentAction(incident.id);
  const [done, setDone] = useState<string | null>(null);
  const [renderedAt] = useState(() => Date.now());
  const member = useCan("member");
  if (incident.state === "resolved" || !member) return null;
  const run = (kind: IncidentActionKind, minutes?: number) => {
    setDone(null);
    action.mutate({ kind, minutes }, { onSuccess: () => setDone(kind === "snooze" ? `Snoozed for ${SNOOZE.find((s) => s.minutes === minutes)?.label}` : DONE[kind]) });
  };
  const snoozed = incident.snoozedUntil && Date.parse(incident.snoozedUntil) > renderedAt;
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="incident-actions">
      {incident.state === "open" && (
        <button type="button" className="btn-primary" disabled={action.isPending} onClick={() => run("acknowledge")}>
          Acknowledge
        </button>
      )}
      <button type="button" className="btn" disabled={action.isPending} onClick={() => run("resolve")}>
        Resolve
      </button>
      {compact ? (
        <select
          className="btn px-2"
          aria-label={`Snooze incident ${incident.id}`}
          value=""
          disabled={action.isPending}
          onChange={(e) => e.target.value && run("snooze", Number(e.target.value))}
        >
          <option value="">Snooze…</option>
          {SNOOZE.map((s) => (
            <option key={s.minutes} value={s.minutes}>
              {s.label}
            </option>
          ))}
        </select>
      ) : (
        <span className="inline-flex items-center gap-1" role="group" aria-label="Snooze">
          <span className="text-xs text-zinc-600 dark:text-zinc-400">Snooze</span>
          {SNOOZE.map((s) => (
            <button key={s.minutes} type="button" className="btn px-2" disabled={action.isPending} onClick={() => run("snooze", s.minutes)} aria-label={`Snooze ${s.label}`}>
              {s.label}
            </button>
          ))}
        </span>
      )}
      <span role="status" className="text-xs">
        {action.isPending ? "Saving…" : action.isError ? <span className="text-red-700 dark:text-red-300">{action.error.message}</span> : done}
        {!action.isPending && !done && snoozed ? <span className="text-zinc-600 dark:text-zinc-400">Snoozed until {new Date(incident.snoozedUntil!).toLocaleTimeString()}</span> : null}
      </span>
    </div>
  );
}
