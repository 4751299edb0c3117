"use client";

import Link from "next/link";
import { invocationHref } from "../resource/invocations-table";
import { StatusBadge } from "../resource/status-badge";
import { formatAgo, formatCount, formatDateTime, formatMs } from "../format";
import { ApiError } from "../hooks/fetch-json";
import { PageHeader } from "../ui/page-header";
import { Section } from "../ui/section";
import { EmptyState, ErrorState, SkeletonRows } from "../ui/states";
import { IncidentActions, IncidentTarget, incidentDuration, SeverityBadge, StateBadge } from "./incident-bits";
import { conditionLabel, describeEvent, formatConditionValue } from "./incident-text";
import { IncidentChart } from "./incident-chart";
import { useIncidentEvidenceQuery, useIncidentQuery, type IncidentWithTimeline } from "./use-incidents";
import type { IncidentEvidence } from "@/lib/api/schemas/incident-evidence";

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd className="mt-0.5 text-sm">{children}</dd>
    </div>
  );
}

function FailingInvocations({ resourceId, evidence }: { resourceId: number; evidence: IncidentEvidence }) {
  const { failing, window } = evidence;
  const href = `/functions/${resourceId}?errors=1&from=${encodeURIComponent(window.from)}&to=${encodeURIComponent(window.to)}`;
  const more = (
    <Link className="link text-sm" href={href}>
      All failures on the function page
    </Link>
  );
  if (failing.total === 0)
    return (
      <Section title="Failed invocations" action={more}>
        <EmptyState title="No failed invocation in the incident's window">
          <p>The condition may be about something other than failures (durations, cold starts, cost).</p>
        </EmptyState>
      </Section>
    );
  return (
    <Section title="Failed invocations" action={more} testId="incident-failing">
      <p className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">
        {formatCount(failing.total)} failed in the window{failing.total > failing.rows.length ? `; the latest ${failing.rows.length} below` : ""}.
      </p>
      <div className="card overflow-x-auto" tabIndex={0} role="region" aria-label="Failed invocations, scrolls sideways">
        <table className="w-full text-sm">
          <thead className="text-left text-xs uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
            <tr className="border-b border-zinc-200 dark:border-zinc-800">
              <th scope="col" className="px-3 py-2 font-medium">Started</th>
              <th scope="col" className="px-3 py-2 font-medium">Request id</th>
              <th scope="col" className="px-3 py-2 font-medium">Status</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">Duration</th>
              <th scope="col" className="px-3 py-2 font-medium">Error</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {failing.rows.map((r) => (
              <tr key={`${r.requestId}#${r.attempt}`} data-testid="incident-failing-row">
                <td className="num whitespace-nowrap px-3 py-1.5">{formatDateTime(r.startedAt)}</td>
                <td className="px-3 py-1.5">
                  <Link className="font-mono text-xs text-brand-700 hover:underline dark:text-brand-100" href={invocationHref(resourceId, r.requestId, r.attempt)}>
                    {r.requestId}
                  </Link>
                </td>
                <td className="px-3 py-1.5">
                  <StatusBadge status={r.status as "error"} />
                </td>
                <td className="num px-3 py-1.5 text-right">{formatMs(r.durationMs)}</td>
                <td className="max-w-[28rem] truncate px-3 py-1.5 text-xs text-zinc-600 dark:text-zinc-400" title={r.errorMessage ?? undefined}>
                  {r.errorType ? `${r.errorType}${r.errorMessage ? `: ${r.errorMessage}` : ""}` : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}

function TopError({ evidence }: { evidence: IncidentEvidence }) {
  const g = evidence.topError;
  return (
    <Section title="Top error in the window">
      {g ? (
        <div className="card p-4" data-testid="incident-top-error">
          <p className="text-sm">
            <Link className="link font-medium" href={`/errors/${g.id}`}>
              {g.errorType}: {g.message}
            </Link>
          </p>
          {g.topFrame && <p className="mt-1 font-mono text-xs text-zinc-700 dark:text-zinc-300">{g.topFrame}</p>}
          <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">{formatCount(g.count)} occurrences in the incident&apos;s window</p>
        </div>
      ) : (
        <EmptyState title="No error group in the window" />
      )}
    </Section>
  );
}

function Timeline({ incident }: { incident: IncidentWithTimeline }) {
  return (
    <Section title="Timeline">
      <ol className="card divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="incident-timeline">
        {incident.timeline.map((e, i) => (
          <li key={i} className="flex gap-4 px-4 py-2 text-sm" data-kind={e.kind}>
            <time className="num w-44 shrink-0 text-zinc-600 dark:text-zinc-400" dateTime={e.at}>
              {formatDateTime(e.at)}
            </time>
            <span>{describeEvent(e, incident.policy.conditionKind)}</span>
          </li>
        ))}
        {incident.timeline.length === 0 && <li className="px-4 py-2 text-sm text-zinc-600 dark:text-zinc-400">Nothing recorded yet.</li>}
      </ol>
    </Section>
  );
}

export function IncidentDetailPage({ id }: { id: number }) {
  const incident = useIncidentQuery(id);
  const evidence = useIncidentEvidenceQuery(id, incident.isSuccess);
  if (incident.isPending)
    return (
      <>
        <PageHeader title="Loading…" />
        <SkeletonRows rows={5} />
      </>
    );
  if (incident.isError) {
    if (incident.error instanceof ApiError && incident.error.status === 404)
      return (
        <>
          <PageHeader title="Not found" />
          <EmptyState title="This incident does not exist">
            <p>
              Removing a policy removes its incidents. See the <Link className="link" href="/incidents">incidents</Link>.
            </p>
          </EmptyState>
        </>
      );
    return (
      <>
        <PageHeader title="Incident" />
        <ErrorState error={incident.error} />
      </>
    );
  }
  const i = incident.data;
  const kind = i.policy.conditionKind;
  const ev = evidence.data;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-1 text-sm text-zinc-600 dark:text-zinc-400">
        <Link className="hover:underline" href="/incidents">
          Incidents
        </Link>{" "}
        / <span aria-current="page">#{i.id}</span>
      </nav>
      <PageHeader title={i.policy.name} description={`${conditionLabel(kind)} over ${i.windowMinutes} min`} actions={<IncidentActions incident={i} />} />
      <dl className="card grid grid-cols-2 gap-4 p-4 md:grid-cols-3 xl:grid-cols-6" data-testid="incident-header">
        <Fact label="State">
          <StateBadge state={i.state} />
        </Fact>
        <Fact label="Severity">
          <SeverityBadge severity={i.severity} />
        </Fact>
        <Fact label={i.resource ? "Resource" : "Scope"}>
          <IncidentTarget incident={i} />
          {i.resource && i.account && <div className="text-xs text-zinc-600 dark:text-zinc-400">{[i.account.name, i.region].filter(Boolean).join(" · ")}</div>}
        </Fact>
        <Fact label="Opened">
          <span className="num" title={formatDateTime(i.openedAt)}>
            {formatAgo(i.openedAt)}
          </span>
        </Fact>
        <Fact label={i.resolvedAt ? "Lasted" : "Open for"}>
          <span className="num">{incidentDuration(i)}</span>
        </Fact>
        <Fact label="Acknowledged by">{i.acknowledgedBy ? `${i.acknowledgedBy}, ${formatAgo(i.acknowledgedAt)}` : "–"}</Fact>
      </dl>

      <Section title="Value against threshold">
        <div className="card flex flex-wrap items-baseline gap-x-8 gap-y-2 p-4" data-testid="incident-figure">
          <p>
            <span className="num text-3xl font-semibold" data-testid="incident-value">
              {formatConditionValue(kind, i.value)}
            </span>{" "}
            <span className="text-sm text-zinc-600 dark:text-zinc-400">
              against a threshold of <span className="num font-medium text-zinc-800 dark:text-zinc-200" data-testid="incident-threshold">{formatConditionValue(kind, i.threshold)}</span>, over {i.windowMinutes} min at the last evaluation ({formatAgo(i.lastEvaluatedAt)})
            </span>
          </p>
          {ev && i.resource && (
            <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="incident-window-figures">
              From {formatDateTime(ev.window.from)} to {i.resolvedAt ? formatDateTime(ev.window.to) : "now"}: <span className="num">{formatCount(ev.figures.invocations)}</span> invocations,{" "}
              <span className="num">{formatCount(ev.figures.failed)}</span> failed
              {kind !== "failed_invocations" && (
                <>
                  ; {conditionLabel(kind).toLowerCase()} over that span <span className="num">{formatConditionValue(kind, ev.figures.value)}</span>
                </>
              )}
            </p>
          )}
        </div>
      </Section>

      {evidence.isError && (
        <div className="mt-8">
          <ErrorState error={evidence.error} />
        </div>
      )}
      {ev && (
        <>
          <Section title="Around the incident">
            <IncidentChart incident={i} window={ev.window} />
          </Section>
          {i.resource ? (
            <>
              <FailingInvocations resourceId={i.resource.id} evidence={ev} />
              <TopError evidence={ev} />
            </>
          ) : (
            <Section title="Evidence">
              <EmptyState title="This incident is about an account, not one resource">
                <p>
                  {[i.account?.name, i.region].filter(Boolean).join(" · ") || "All accounts"}: see <Link className="link" href="/">the overview</Link> for its ingest health.
                </p>
              </EmptyState>
            </Section>
          )}
        </>
      )}
      {evidence.isPending && <SkeletonRows rows={4} />}
      <Timeline incident={i} />
    </>
  );
}
