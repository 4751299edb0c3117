"use client";

import Link from "next/link";
import { Suspense } from "react";
import { ApiError } from "../hooks/fetch-json";
import { useInvocationQuery } from "../hooks/use-api-queries";
import { useUrlState } from "../hooks/use-url-state";
import { invocationHref } from "../resource/invocations-table";
import { Badge } from "../resource/status-badge";
import { PageHeader } from "../ui/page-header";
import { Section } from "../ui/section";
import { EmptyState, ErrorState, SkeletonRows } from "../ui/states";
import { InvocationSummaryPanel } from "./invocation-summary";
import { LogViewer } from "./log-viewer";
import { RetryChain } from "./retry-chain";
import { Waterfall } from "./waterfall";

function InvocationBody({ resourceId, requestId }: { resourceId: number; requestId: string }) {
  const [params, set] = useUrlState();
  const attempt = Number(params.get("attempt")) || null;
  const q = useInvocationQuery(resourceId, requestId, attempt);
  if (q.isPending)
    return (
      <>
        <PageHeader title="Invocation" description={requestId} />
        <SkeletonRows rows={6} />
      </>
    );
  if (q.isError)
    return (
      <>
        <PageHeader title="Invocation" description={requestId} />
        {q.error instanceof ApiError && q.error.status === 404 ? (
          <EmptyState title="Invocation not found">
            <p>
              It may be older than the retention period, or its logs have not arrived yet. Back to{" "}
              <Link className="link" href={`/functions/${resourceId}`}>the function</Link>.
            </p>
          </EmptyState>
        ) : (
          <ErrorState error={q.error} />
        )}
      </>
    );
  const d = q.data;
  const inv = d.invocation;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-1 text-sm text-zinc-600 dark:text-zinc-400">
        <Link className="hover:underline" href="/functions">Functions</Link> /{" "}
        <Link className="hover:underline" href={`/functions/${d.resource.id}`}>{d.resource.name}</Link> / <span aria-current="page">invocation</span>
      </nav>
      <PageHeader
        title="Invocation"
        description={`${d.resource.name} · ${d.resource.region}`}
        actions={
          <div className="flex flex-wrap items-center gap-2">
            {d.previous ? (
              <Link className="btn" href={invocationHref(resourceId, d.previous.requestId, d.previous.attempt)} rel="prev" data-testid="previous-invocation">
                ← Previous
              </Link>
            ) : (
              <span className="btn opacity-50" aria-disabled="true">← Previous</span>
            )}
            {d.next ? (
              <Link className="btn" href={invocationHref(resourceId, d.next.requestId, d.next.attempt)} rel="next" data-testid="next-invocation">
                Next →
              </Link>
            ) : (
              <span className="btn opacity-50" aria-disabled="true">Next →</span>
            )}
          </div>
        }
      />
      <div className="mb-3 flex flex-wrap items-center gap-2 text-sm">
        <code className="rounded bg-zinc-100 px-2 py-0.5 font-mono text-xs dark:bg-zinc-800" data-testid="request-id">{inv.requestId}</code>
        {inv.coldStart && <Badge>{inv.coldStartKind === "snapstart" || inv.restoreDurationMs !== null ? "SnapStart restore" : "cold start"}</Badge>}
        {inv.attempt > 1 && <Badge tone="amber">retry · attempt {inv.attempt}</Badge>}
        {d.retryChain.length > 1 && inv.attempt === 1 && <Badge tone="amber">retried {d.retryChain.length - 1}×</Badge>}
        {!inv.complete && <Badge tone="violet">incomplete</Badge>}
        <span className="ml-auto flex flex-wrap gap-3 text-xs">
          <a className="link" href={d.console.logStreamUrl} target="_blank" rel="noreferrer">Log stream in AWS console ↗</a>
          <a className="link" href={d.console.logsInsightsUrl} target="_blank" rel="noreferrer">Logs Insights ↗</a>
          {d.console.traceUrl && <a className="link" href={d.console.traceUrl} target="_blank" rel="noreferrer">X-Ray trace ↗</a>}
        </span>
      </div>
      <InvocationSummaryPanel d={d} />
      {d.retryChain.length > 1 && (
        <div className="mt-3">
          <RetryChain d={d} />
        </div>
      )}
      <Section title="Trace">
        {d.spans.length ? (
          <Waterfall spans={d.spans} />
        ) : (
          <p className="card p-4 text-sm text-zinc-600 dark:text-zinc-400" data-testid="trace-absent" data-status={d.trace.status}>
            {d.trace.message}
          </p>
        )}
      </Section>
      <Section title="Logs">
        <LogViewer logs={d.logs} search={params.get("log") ?? ""} onSearch={(v) => set({ log: v || null })} />
      </Section>
    </>
  );
}

export function InvocationPage({ resourceId, requestId }: { resourceId: number; requestId: string }) {
  return (
    <Suspense fallback={<SkeletonRows rows={6} />}>
      <InvocationBody resourceId={resourceId} requestId={requestId} />
    </Suspense>
  );
}
