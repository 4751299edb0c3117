"use client";

import Link from "next/link";
import { formatAgo } from "../format";
import { IncidentTarget, SeverityBadge, StateBadge, ValueVsThreshold } from "./incident-bits";
import { useIncidentsQuery } from "./use-incidents";

/** Incidents not resolved yet (open or acknowledged): what the overview, the resource page and the nav show. */
const ACTIVE = "state=active";
const SHOWN = 5;

/** The nav's count of incidents not resolved; nothing when there are none. */
export function OpenIncidentsBadge() {
  const list = useIncidentsQuery(ACTIVE, { refetchInterval: 60_000 });
  const n = list.data?.length ?? 0;
  if (!n) return null;
  return (
    <span className="ml-auto rounded-full bg-red-600 px-1.5 text-xs font-semibold text-white" data-testid="nav-incidents-count" aria-label={`${n} open incident${n === 1 ? "" : "s"}`}>
      {n >= 500 ? "500+" : n}
    </span>
  );
}

/** The overview's panel: every incident not resolved, or a line saying there are none (alerting is running). */
export function OpenIncidentsPanel() {
  const list = useIncidentsQuery(ACTIVE);
  const rows = list.data ?? [];
  return (
    <section aria-labelledby="open-incidents-title" className="card mb-6 p-4" data-testid="open-incidents">
      <div className="mb-2 flex items-baseline justify-between gap-4">
        <h2 id="open-incidents-title" className="text-sm font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
          Open incidents{rows.length ? ` (${rows.length})` : ""}
        </h2>
        <Link className="link text-sm" href="/incidents">
          All incidents
        </Link>
      </div>
      {list.isPending ? (
        <div className="skeleton h-4 w-1/2" aria-busy="true" aria-label="Loading open incidents" />
      ) : list.isError ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          Could not load incidents: {list.error.message}
        </p>
      ) : rows.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No open incidents. Alert policies are checked every minute.</p>
      ) : (
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {rows.slice(0, SHOWN).map((i) => (
            <li key={i.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-1.5 text-sm" data-testid="open-incident">
              <SeverityBadge severity={i.severity} />
              <Link className="link font-medium" href={`/incidents/${i.id}`}>
                {i.policy.name}
              </Link>
              <IncidentTarget incident={i} />
              <ValueVsThreshold incident={i} />
              <span className="ml-auto flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
                {i.state === "acknowledged" && <StateBadge state={i.state} />}
                opened {formatAgo(i.openedAt)}
              </span>
            </li>
          ))}
          {rows.length > SHOWN && (
            <li className="pt-1.5 text-sm">
              <Link className="link" href="/incidents">
                {rows.length - SHOWN} more
              </Link>
            </li>
          )}
        </ul>
      )}
    </section>
  );
}

/** The resource page's banner: this resource's incidents not resolved, with links; nothing when there are none. */
export function ResourceIncidentsBanner({ resourceId }: { resourceId: number }) {
  const list = useIncidentsQuery(`${ACTIVE}&resourceId=${resourceId}`);
  const rows = list.data ?? [];
  if (!rows.length) return null;
  return (
    <div role="region" aria-label="Open incidents of this resource" className="mb-4 rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm dark:border-red-900 dark:bg-red-500/10" data-testid="resource-incidents">
      <p className="font-semibold text-red-800 dark:text-red-300">
        {rows.length} open incident{rows.length === 1 ? "" : "s"}
      </p>
      <ul className="mt-1 space-y-1">
        {rows.map((i) => (
          <li key={i.id} className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <SeverityBadge severity={i.severity} />
            <Link className="link font-medium" href={`/incidents/${i.id}`}>
              {i.policy.name}
            </Link>
            <ValueVsThreshold incident={i} />
            <span className="text-xs text-zinc-700 dark:text-zinc-300">
              {i.state === "acknowledged" ? `acknowledged by ${i.acknowledgedBy ?? "someone"}, ` : ""}opened {formatAgo(i.openedAt)}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
