"use client";

import Link from "next/link";
import { useId } from "react";
import type { InsightView } from "@/lib/api/schemas/insights";
import { formatAgo, formatDateTime, formatUsd } from "../format";
import {
  formatEvidence,
  keyLabel,
  PILLAR_LABEL,
  resourceHref,
  SERVICE_LABEL,
  SEVERITY_BADGE,
  SEVERITY_BORDER,
  SEVERITY_ICON,
  SEVERITY_LABEL,
  STATE_LABEL,
} from "./insight-meta";
import { useSetInsightState, type SettableState } from "./use-insights";
import { useCan } from "../auth/viewer";

const STATE_BADGE: Record<InsightView["state"], string> = {
  open: "",
  acknowledged: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  muted: "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400",
  resolved: "bg-emerald-100 text-emerald-800 dark:bg-emerald-500/15 dark:text-emerald-300",
};

function actionsFor(state: InsightView["state"]): { label: string; to: SettableState }[] {
  switch (state) {
    case "open":
      return [
        { label: "Acknowledge", to: "acknowledged" },
        { label: "Mute", to: "muted" },
      ];
    case "acknowledged":
      return [
        { label: "Reopen", to: "open" },
        { label: "Mute", to: "muted" },
      ];
    case "muted":
      return [{ label: "Unmute", to: "open" }];
    default:
      return [];
  }
}

/**
 * One finding: what is wrong, on which resource, the numbers that show it, what to do, and buttons to
 * acknowledge, mute or reopen it. `showResource={false}` on a resource's own page.
 */
export function InsightCard({ insight: i, showResource = true }: { insight: InsightView; showResource?: boolean }) {
  const titleId = useId();
  const setState = useSetInsightState();
  const member = useCan("member");
  const href = resourceHref(i);
  const evidenceUrl = i.evidenceUrl;
  const evidence = Object.entries(i.evidence);
  return (
    <article
      aria-labelledby={titleId}
      data-testid="insight-card"
      data-rule={i.ruleId}
      data-state={i.state}
      data-resource={i.resourceName ?? undefined}
      className={`card flex flex-col gap-3 border-l-4 p-4 ${SEVERITY_BORDER[i.severity]} ${i.state === "muted" ? "opacity-80" : ""}`}
    >
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs">
        <span className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 font-semibold ${SEVERITY_BADGE[i.severity]}`}>
          <span aria-hidden>{SEVERITY_ICON[i.severity]}</span>
          {SEVERITY_LABEL[i.severity]}
        </span>
        <span className="text-zinc-600 dark:text-zinc-400">
          {PILLAR_LABEL[i.pillar]} · {SERVICE_LABEL[i.service]}
          {i.region ? ` · ${i.region}` : ""}
        </span>
        {i.state !== "open" && (
          <span className={`rounded px-1.5 py-0.5 font-medium ${STATE_BADGE[i.state]}`} data-testid="insight-state">
            {STATE_LABEL[i.state]}
          </span>
        )}
        {i.monthlySavingUsd ? (
          <span className="ml-auto font-semibold text-emerald-700 dark:text-emerald-300" data-testid="insight-saving">
            Save {formatUsd(i.monthlySavingUsd)}/month
          </span>
        ) : null}
      </div>

      <h3 id={titleId} className="text-sm font-semibold leading-5">
        {i.title}
        {showResource && i.resourceName && (
          <>
            <span className="font-normal text-zinc-500 dark:text-zinc-400"> on </span>
            {href ? (
              <Link href={href} className="link underline decoration-1 underline-offset-2">
                {i.resourceName}
              </Link>
            ) : (
              <span>{i.resourceName}</span>
            )}
          </>
        )}
      </h3>

      {evidence.length > 0 && (
        <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs sm:grid-cols-3" aria-label="Evidence">
          {evidence.map(([k, v]) => (
            <div key={k} className="min-w-0">
              <dt className="truncate text-zinc-600 dark:text-zinc-400">{keyLabel(k)}</dt>
              <dd className="num truncate font-medium" title={String(v)}>
                {formatEvidence(k, v)}
              </dd>
            </div>
          ))}
        </dl>
      )}

      <p className="text-sm leading-6 text-zinc-700 dark:text-zinc-300">{i.recommendation}</p>

      <div className="mt-auto flex flex-wrap items-center gap-x-4 gap-y-2 border-t border-zinc-100 pt-3 text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
        <span title={formatDateTime(i.firstSeenAt)}>First seen {formatAgo(i.firstSeenAt)}</span>
        <span title={formatDateTime(i.lastSeenAt)}>Last seen {formatAgo(i.lastSeenAt)}</span>
        {i.resolvedAt && <span title={formatDateTime(i.resolvedAt)}>Resolved {formatAgo(i.resolvedAt)}</span>}
        {evidenceUrl && (
          <Link href={evidenceUrl} className="link font-medium">
            See the evidence<span className="sr-only"> for {i.title}{i.resourceName ? ` on ${i.resourceName}` : ""}</span> →
          </Link>
        )}
        <span className="ml-auto flex gap-2">
          {member && actionsFor(i.state).map((a) => (
            <button
              key={a.to}
              type="button"
              className="btn px-2 py-1 text-xs"
              disabled={setState.isPending}
              onClick={() => setState.mutate({ insight: i, id: i.id, state: a.to })}
            >
              {a.label}
              <span className="sr-only">: {i.title}{i.resourceName ? ` on ${i.resourceName}` : ""}</span>
            </button>
          ))}
        </span>
      </div>
      {setState.isError && (
        <p role="alert" className="text-xs text-red-700 dark:text-red-300">
          Could not change this finding: {setState.error.message}
        </p>
      )}
    </article>
  );
}
