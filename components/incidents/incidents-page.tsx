"use client";

import Link from "next/link";
import { Suspense, useMemo } from "react";
import { ALERT_SEVERITIES } from "@/lib/analysis/alerts/notice";
import { formatAgo, formatDateTime } from "../format";
import { useUrlState } from "../hooks/use-url-state";
import { PageHeader } from "../ui/page-header";
import { EmptyState, ErrorState, SkeletonRows } from "../ui/states";
import { IncidentActions, IncidentTarget, incidentDuration, SeverityBadge, StateBadge, ValueVsThreshold } from "./incident-bits";
import { conditionLabel, incidentsApiQuery } from "./incident-text";
import { useIncidentsQuery, type Incident } from "./use-incidents";

const STATES = [
  { value: "", label: "Open and acknowledged" },
  { value: "open", label: "Open" },
  { value: "acknowledged", label: "Acknowledged" },
  { value: "resolved", label: "Resolved" },
  { value: "all", label: "All" },
] as const;

const selectClass = "rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900";

function Filter({ id, label, value, onChange, children }: { id: string; label: string; value: string; onChange: (v: string) => void; children: React.ReactNode }) {
  return (
    <label htmlFor={id} className="flex flex-col gap-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
      {label}
      <select id={id} className={selectClass} value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </select>
    </label>
  );
}

function IncidentRow({ incident: i }: { incident: Incident }) {
  return (
    <tr className="align-top hover:bg-zinc-50 dark:hover:bg-zinc-800/50" data-testid="incident-row" data-incident-id={i.id}>
      <td className="px-3 py-2">
        <span className="flex flex-wrap gap-1">
          <StateBadge state={i.state} />
          <SeverityBadge severity={i.severity} />
        </span>
      </td>
      <td className="px-3 py-2">
        <Link className="link font-medium" href={`/incidents/${i.id}`}>
          {i.policy.name}
        </Link>
        <div className="text-xs text-zinc-600 dark:text-zinc-400">{conditionLabel(i.policy.conditionKind)} over {i.windowMinutes} min</div>
      </td>
      <td className="px-3 py-2">
        <IncidentTarget incident={i} />
      </td>
      <td className="px-3 py-2">
        <ValueVsThreshold incident={i} />
      </td>
      <td className="num whitespace-nowrap px-3 py-2" title={formatDateTime(i.openedAt)}>
        {formatAgo(i.openedAt)}
        <div className="text-xs text-zinc-600 dark:text-zinc-400">{i.resolvedAt ? "lasted" : "for"} {incidentDuration(i)}</div>
      </td>
      <td className="px-3 py-2 text-sm">{i.acknowledgedBy ?? "–"}</td>
      <td className="px-3 py-2">
        <IncidentActions incident={i} compact />
      </td>
    </tr>
  );
}

function IncidentsBody() {
  const [params, set] = useUrlState();
  const query = incidentsApiQuery(params);
  const list = useIncidentsQuery(query);
  const resource = params.get("resource") ?? "";
  const policy = params.get("policy");
  const all = useMemo(() => list.data ?? [], [list.data]);
  const resources = useMemo(() => [...new Map(all.filter((i) => i.resource).map((i) => [i.resource!.id, i.resource!.name])).entries()].sort((a, b) => a[1].localeCompare(b[1])), [all]);
  const rows = resource ? all.filter((i) => String(i.resource?.id ?? "") === resource) : all;
  const policyName = policy ? all.find((i) => String(i.policy.id) === policy)?.policy.name : null;
  const filtered = Boolean(params.get("state") || params.get("severity") || resource || policy);

  return (
    <>
      <PageHeader title="Incidents" description="What the alert policies opened: the figure against its threshold, who acknowledged it, how long it lasted." />
      <div className="mb-4 flex flex-wrap items-end gap-3" data-testid="incident-filters">
        <Filter id="incident-state" label="State" value={params.get("state") ?? ""} onChange={(v) => set({ state: v })}>
          {STATES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </Filter>
        <Filter id="incident-severity" label="Severity" value={params.get("severity") ?? ""} onChange={(v) => set({ severity: v })}>
          <option value="">Any</option>
          {ALERT_SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </Filter>
        <Filter id="incident-resource" label="Resource" value={resource} onChange={(v) => set({ resource: v })}>
          <option value="">Any</option>
          {resource && !resources.some(([id]) => String(id) === resource) && <option value={resource}>#{resource}</option>}
          {resources.map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </Filter>
        {policy && (
          <span className="flex items-center gap-2 rounded-md bg-brand-50 px-2 py-1 text-sm text-brand-700 dark:bg-brand-500/15 dark:text-brand-100">
            Policy: {policyName ?? `#${policy}`}
            <button type="button" className="font-semibold" aria-label="Clear the policy filter" onClick={() => set({ policy: null })}>
              ×
            </button>
          </span>
        )}
      </div>
      {list.isPending ? (
        <SkeletonRows rows={5} />
      ) : list.isError ? (
        <ErrorState error={list.error} />
      ) : rows.length === 0 ? (
        <EmptyState title={filtered ? "No incident matches these filters" : "No open incidents"}>
          <p>
            {filtered
              ? "Clear a filter or pick All states to see resolved incidents too."
              : "Alert policies are evaluated every minute and on ingest; an incident opens here when a figure crosses its policy's threshold."}
          </p>
        </EmptyState>
      ) : (
        <div className="card overflow-x-auto" tabIndex={0} role="region" aria-label="Incidents, scrolls sideways">
          <table className="w-full text-sm" data-testid="incidents-table">
            <caption className="sr-only">Incidents, newest first</caption>
            <thead className="text-left text-xs uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                <th scope="col" className="px-3 py-2 font-medium">State</th>
                <th scope="col" className="px-3 py-2 font-medium">Policy</th>
                <th scope="col" className="px-3 py-2 font-medium">Resource</th>
                <th scope="col" className="px-3 py-2 font-medium">Value vs threshold</th>
                <th scope="col" className="px-3 py-2 font-medium">Opened</th>
                <th scope="col" className="px-3 py-2 font-medium">Acknowledged by</th>
                <th scope="col" className="px-3 py-2 font-medium">Actions</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {rows.map((i) => (
                <IncidentRow key={i.id} incident={i} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function IncidentsPage() {
  return (
    <Suspense fallback={<SkeletonRows rows={5} />}>
      <IncidentsBody />
    </Suspense>
  );
}
