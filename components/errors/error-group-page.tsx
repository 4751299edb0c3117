"use client";

import Link from "next/link";
import { formatAgo, formatCount, formatDateTime, formatTimeMs } from "../format";
import { ApiError } from "../hooks/fetch-json";
import { readTimeRange } from "../hooks/use-time-range";
import { useUrlState } from "../hooks/use-url-state";
import { RangePicker } from "../ui/range-picker";
import { Section } from "../ui/section";
import { EmptyState, ErrorState, SkeletonRows } from "../ui/states";
import { invocationHref } from "../resource/invocations-table";
import { COLORS } from "../charts/colors";
import { TimeChart } from "../charts/time-chart";
import { Freshness } from "../ui/freshness";
import { ErrorStateControl } from "./error-state-control";
import { useErrorGroup } from "./use-errors";

export function ErrorGroupPage({ id }: { id: number }) {
  const [params] = useUrlState();
  const range = readTimeRange(params, "30d");
  const group = useErrorGroup(id, `${range.query}&limit=50`);

  const back = (
    <Link href={`/errors?${range.query}`} className="link text-sm">
      ← All errors
    </Link>
  );
  if (group.isPending) {
    return (
      <>
        {back}
        <div className="skeleton mb-6 mt-3 h-8 w-1/3" />
        <SkeletonRows rows={6} />
      </>
    );
  }
  if (group.isError && !group.data) {
    return (
      <>
        {back}
        <div className="mt-4">
          {group.error instanceof ApiError && group.error.status === 404 ? (
            <EmptyState title="This error group does not exist">
              <p>It may have been removed with its function&apos;s data. Go back to the list of errors to pick another.</p>
            </EmptyState>
          ) : (
            <ErrorState error={group.error} />
          )}
        </div>
      </>
    );
  }

  const g = group.data.pages[0].data;
  const occurrences = group.data.pages.flatMap((p) => p.data.occurrences);
  return (
    <>
      {back}
      <header className="mb-6 mt-2 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="break-words text-2xl font-semibold tracking-tight">{g.errorType}</h1>
          <p className="mt-1 break-words text-sm text-zinc-700 dark:text-zinc-300">{g.message}</p>
        </div>
        <div className="flex flex-wrap items-center gap-3 text-sm">
          <Freshness />
          <span className="text-zinc-600 dark:text-zinc-400">State</span>
          <ErrorStateControl id={g.id} state={g.state} label={g.errorType} />
        </div>
      </header>

      <nav aria-label="This error elsewhere" className="mb-6 flex flex-wrap items-center gap-2 text-sm" data-testid="error-group-links">
        <Link href={searchHref(g, range.query)} className="btn" data-testid="error-search-link">
          Search its logs
        </Link>
        {g.resources.map((r) => (
          <Link key={r.id} href={`/functions/${r.id}?${range.query}&group=${g.id}`} className="btn" data-testid="error-invocations-link">
            Invocations in {r.name}
          </Link>
        ))}
      </nav>

      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="error-group-stats">
        <Stat label="Occurrences ever" value={formatCount(g.totalCount)} />
        <Stat label="First seen" value={formatAgo(g.firstSeenAt)} title={formatDateTime(g.firstSeenAt)} />
        <Stat label="Last seen" value={formatAgo(g.lastSeenAt)} title={formatDateTime(g.lastSeenAt)} />
        <Stat label="Resolved" value={g.resolvedAt ? formatAgo(g.resolvedAt) : "–"} title={g.resolvedAt ? formatDateTime(g.resolvedAt) : undefined} />
      </dl>

      <Section title={`Occurrences over time · ${range.label.toLowerCase()}`}>
        <div className="card p-4" data-testid="error-timeline">
          <TimeChart
            ariaLabel={`Occurrences of ${g.errorType} over the ${range.label.toLowerCase()}`}
            unit="count"
            data={g.timeline.counts.map((n, i) => ({ t: g.timeline.from + i * g.timeline.binMs, occurrences: n }))}
            series={[{ key: "occurrences", label: "Occurrences", color: COLORS.red, type: "bar" }]}
            from={g.timeline.from}
            to={g.timeline.from + g.timeline.counts.length * g.timeline.binMs}
            periodMs={g.timeline.binMs}
            height={140}
          />
        </div>
      </Section>

      <Section title="Details">
        <div className="card flex flex-col gap-4 p-4 text-sm">
          <div>
            <h3 className="text-xs font-medium uppercase tracking-wide text-zinc-600 dark:text-zinc-400">Normalized message</h3>
            <p className="mt-1 break-words font-mono text-xs">{g.message}</p>
          </div>
          <div>
            <h3 className="text-xs font-medium uppercase tracking-wide text-zinc-600 dark:text-zinc-400">Sample</h3>
            <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap break-words rounded bg-zinc-100 p-2 font-mono text-xs dark:bg-zinc-800">{g.sampleMessage}</pre>
          </div>
          <div>
            <h3 className="text-xs font-medium uppercase tracking-wide text-zinc-600 dark:text-zinc-400">Top frame</h3>
            <p className="mt-1 break-words font-mono text-xs" data-testid="error-top-frame">
              {g.topFrame ??
                (g.sampleStack ? "Every frame of the stack is in the runtime or a library." : "No stack trace was logged with this error.")}
            </p>
          </div>
          {g.sampleStack && (
            <div>
              <h3 className="text-xs font-medium uppercase tracking-wide text-zinc-600 dark:text-zinc-400">Stack trace (one occurrence)</h3>
              <pre
                className="mt-1 max-h-96 overflow-auto whitespace-pre rounded bg-zinc-100 p-2 font-mono text-xs dark:bg-zinc-800"
                data-testid="error-stack"
              >
                {g.sampleStack}
              </pre>
            </div>
          )}
          <div>
            <h3 className="text-xs font-medium uppercase tracking-wide text-zinc-600 dark:text-zinc-400">Affected functions</h3>
            <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-1">
              {g.resources.map((r) => (
                <li key={r.id}>
                  <Link href={`/functions/${r.id}`} className="link">
                    {r.name}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        </div>
      </Section>

      <Section title={`Occurrences · ${range.label.toLowerCase()}`} action={<RangePicker fallback="30d" />}>
        {occurrences.length === 0 ? (
          <EmptyState title={`No occurrences in the ${range.label.toLowerCase()}`}>
            <p>Widen the time range to see older occurrences; the last one was {formatAgo(g.lastSeenAt)}.</p>
          </EmptyState>
        ) : (
          <>
            <div className="card overflow-x-auto" tabIndex={0} role="region" aria-label="Occurrences, scrolls sideways">
              <table className="w-full text-sm" data-testid="occurrences">
                <caption className="sr-only">Occurrences, newest first</caption>
                <thead className="border-b border-zinc-200 text-left text-xs uppercase tracking-wide text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
                  <tr>
                    <th scope="col" className="px-4 py-2 font-medium">Time</th>
                    <th scope="col" className="px-3 py-2 font-medium">Function</th>
                    <th scope="col" className="px-3 py-2 font-medium">Invocation</th>
                    <th scope="col" className="px-3 py-2 font-medium">Message</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                  {occurrences.map((o) => (
                    <tr key={o.eventId} className="align-top" data-testid="occurrence">
                      <td className="num whitespace-nowrap px-4 py-2 text-xs" title={formatDateTime(o.ts)}>
                        <span className="block">{formatTimeMs(o.ts)}</span>
                        <span className="text-zinc-600 dark:text-zinc-400">{formatAgo(o.ts)}</span>
                      </td>
                      <td className="px-3 py-2 text-xs">
                        <Link href={`/functions/${o.resourceId}`} className="link">
                          {o.resourceName}
                        </Link>
                      </td>
                      <td className="px-3 py-2 font-mono text-xs">
                        {o.requestId ? (
                          <>
                            <Link href={invocationHref(o.resourceId, o.requestId, o.attempt ?? 1)} className="link" data-testid="occurrence-link">
                              <span className="sr-only">Invocation </span>
                              {o.requestId}
                            </Link>
                            {o.attempt !== null && o.attempt > 1 && (
                              <span className="ml-2 whitespace-nowrap rounded bg-amber-100 px-1.5 py-0.5 font-sans text-amber-900 dark:bg-amber-500/15 dark:text-amber-200" data-testid="occurrence-retry">
                                Retry · attempt {o.attempt}
                              </span>
                            )}
                          </>
                        ) : (
                          <span className="text-zinc-600 dark:text-zinc-400" title="The log line carried no request id">
                            –
                          </span>
                        )}
                      </td>
                      <td className="max-w-xl px-3 py-2 text-xs">
                        <span className="font-medium">{o.errorType}</span>
                        <span className="block break-words text-zinc-600 dark:text-zinc-400">{o.errorMessage}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {group.hasNextPage && (
              <div className="mt-4 flex justify-center">
                <button type="button" className="btn" onClick={() => group.fetchNextPage()} disabled={group.isFetchingNextPage}>
                  {group.isFetchingNextPage ? "Loading…" : "Load more occurrences"}
                </button>
              </div>
            )}
          </>
        )}
      </Section>
    </>
  );
}

/** The log search for this group: its error type as a phrase, in the functions it occurred in, over the same range. */
function searchHref(g: { errorType: string; resources: { id: number }[] }, rangeQuery: string): string {
  const s = new URLSearchParams(rangeQuery);
  s.set("q", `"${g.errorType}"`);
  if (g.resources.length) s.set("resource", g.resources.map((r) => r.id).join(","));
  return `/search?${s.toString()}`;
}

function Stat({ label, value, title }: { label: string; value: string; title?: string }) {
  return (
    <div className="card px-4 py-3">
      <dt className="text-xs text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd className="num mt-0.5 text-lg font-semibold" title={title}>
        {value}
      </dd>
    </div>
  );
}
