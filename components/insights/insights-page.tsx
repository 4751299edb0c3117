"use client";

import Link from "next/link";
import { useAccountsQuery } from "../hooks/use-accounts-query";
import { csvParam, useUrlState } from "../hooks/use-url-state";
import { PageHeader } from "../ui/page-header";
import { Section } from "../ui/section";
import { EmptyState, ErrorState } from "../ui/states";
import { FilterChips, Segmented } from "./filter-chips";
import { InsightCards, InsightCardsSkeleton } from "./insight-list";
import { PILLAR_LABEL, PILLARS, SERVICE_LABEL, SERVICES, SEVERITIES, SEVERITY_BADGE, SEVERITY_ICON, SEVERITY_LABEL } from "./insight-meta";
import { RulesSection } from "./rules-section";
import { useInsightList } from "./use-insights";

const STATE_VIEWS = ["active", "open", "acknowledged", "muted", "resolved"] as const;
type StateView = (typeof STATE_VIEWS)[number];

/** The API query for the page's filters; `omit` drops some, for the counts that should not narrow with them. */
function apiQuery(params: URLSearchParams, omit: string[] = []): URLSearchParams {
  const q = new URLSearchParams();
  for (const k of ["severity", "pillar", "service", "account", "region", "resource", "rule"]) {
    const v = params.get(k);
    if (v && !omit.includes(k)) q.set(k, v);
  }
  return q;
}

export function InsightsPage() {
  const [params, set] = useUrlState();
  const rawState = params.get("state");
  const view: StateView = (STATE_VIEWS as readonly string[]).includes(rawState ?? "") ? (rawState as StateView) : "active";

  const listQuery = apiQuery(params);
  if (view !== "active") listQuery.set("state", view);
  listQuery.set("limit", "500");
  const countsQuery = apiQuery(params, ["severity"]);
  countsQuery.set("limit", "1");

  const list = useInsightList(listQuery.toString());
  const counts = useInsightList(countsQuery.toString()).data?.counts ?? list.data?.counts;
  const accounts = useAccountsQuery();

  const severity = csvParam(params, "severity");
  const filtered = ["severity", "pillar", "service", "account", "region", "resource", "rule"].some((k) => params.has(k));
  // Filters that arrive only by link (from the overview or a resource page): shown so they can be seen and dropped.
  const linked = (["rule", "resource", "region"] as const).filter((k) => params.has(k)).map((k) => ({ key: k, value: params.get(k)! }));
  const active = list.data?.data ?? [];
  const open = view === "active" ? active.filter((i) => i.state === "open") : active;
  const acknowledged = view === "active" ? active.filter((i) => i.state === "acknowledged") : [];

  return (
    <>
      <PageHeader title="Insights" description="What is wrong or wasteful, in Well-Architected terms: reliability, performance, cost, security and operations." />

      <div className="mb-4 flex flex-wrap gap-2" aria-label="Open findings by severity" role="group">
        {SEVERITIES.map((s) => (
          <button
            key={s}
            type="button"
            aria-pressed={severity.includes(s)}
            onClick={() => set({ severity: severity.length === 1 && severity[0] === s ? null : s })}
            data-testid={`count-${s}`}
            className={`card flex min-w-32 items-center gap-3 px-4 py-2.5 text-left ${severity.includes(s) ? "ring-2 ring-brand-500" : ""}`}
          >
            <span className={`inline-flex h-7 w-7 items-center justify-center rounded-full text-sm ${SEVERITY_BADGE[s]}`} aria-hidden>
              {SEVERITY_ICON[s]}
            </span>
            <span>
              <span className="num block text-xl font-semibold leading-6">{counts ? counts[s] : "–"}</span>
              <span className="text-xs text-zinc-600 dark:text-zinc-400">{SEVERITY_LABEL[s]}</span>
            </span>
          </button>
        ))}
        <button
          type="button"
          aria-pressed={view === "muted"}
          onClick={() => set({ state: view === "muted" ? null : "muted" })}
          data-testid="count-muted"
          className={`card flex min-w-32 items-center gap-3 px-4 py-2.5 text-left ${view === "muted" ? "ring-2 ring-brand-500" : ""}`}
        >
          <span className="inline-flex h-7 w-7 items-center justify-center rounded-full bg-zinc-100 text-sm text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300" aria-hidden>
            ∅
          </span>
          <span>
            <span className="num block text-xl font-semibold leading-6">{counts ? counts.muted : "–"}</span>
            <span className="text-xs text-zinc-600 dark:text-zinc-400">Muted</span>
          </span>
        </button>
      </div>

      <div className="card mb-6 flex flex-col gap-3 p-4" data-testid="insight-filters">
        <div className="flex flex-wrap items-center gap-2">
          <span className="w-20 shrink-0 text-xs font-medium text-zinc-600 dark:text-zinc-400">State</span>
          <Segmented
            label="State"
            value={view}
            onChange={(v) => set({ state: v === "active" ? null : v })}
            options={[
              { value: "active", label: "Open & acknowledged" },
              { value: "open", label: "Open" },
              { value: "acknowledged", label: "Acknowledged" },
              { value: "muted", label: "Muted" },
              { value: "resolved", label: "Resolved" },
            ]}
          />
        </div>
        <FilterChips label="Severity" options={SEVERITIES} selected={severity} onChange={(v) => set({ severity: v })} render={(s) => SEVERITY_LABEL[s]} />
        <FilterChips label="Pillar" options={PILLARS} selected={csvParam(params, "pillar")} onChange={(v) => set({ pillar: v })} render={(p) => PILLAR_LABEL[p]} />
        <FilterChips label="Service" options={SERVICES} selected={csvParam(params, "service")} onChange={(v) => set({ service: v })} render={(s) => SERVICE_LABEL[s]} />
        {accounts.data && accounts.data.length > 0 && (
          <div className="flex items-center gap-1.5">
            <label htmlFor="insight-account" className="w-20 shrink-0 text-xs font-medium text-zinc-600 dark:text-zinc-400">
              Account
            </label>
            <select id="insight-account" className="input" value={params.get("account") ?? ""} onChange={(e) => set({ account: e.target.value || null })}>
              <option value="">All accounts</option>
              {accounts.data.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                  {a.awsAccountId ? ` (${a.awsAccountId})` : ""}
                </option>
              ))}
            </select>
          </div>
        )}
        {linked.length > 0 && (
          <div className="flex flex-wrap items-center gap-1.5" data-testid="linked-filters">
            <span className="w-20 shrink-0 text-xs font-medium text-zinc-600 dark:text-zinc-400">Only</span>
            {linked.map((f) => (
              <button key={f.key} type="button" className="rounded-full border border-brand-600 bg-brand-600 px-2.5 py-0.5 text-xs font-medium text-white" onClick={() => set({ [f.key]: null })}>
                {f.key === "rule" ? (list.data?.data[0]?.title ?? f.value) : f.key === "resource" ? (list.data?.data[0]?.resourceName ?? `resource ${f.value}`) : f.value}
                <span aria-hidden> ×</span>
                <span className="sr-only"> (remove this filter)</span>
              </button>
            ))}
          </div>
        )}
        {filtered && (
          <div>
            <button
              type="button"
              className="link text-xs"
              onClick={() => set({ severity: null, pillar: null, service: null, account: null, region: null, resource: null, rule: null })}
            >
              Clear filters
            </button>
          </div>
        )}
      </div>

      {list.isPending ? (
        <InsightCardsSkeleton />
      ) : list.isError ? (
        <ErrorState error={list.error} />
      ) : active.length === 0 ? (
        <EmptyState title={emptyTitle(view, filtered)}>
          <p>{emptyHelp(view, filtered)}</p>
        </EmptyState>
      ) : (
        <div className="flex flex-col gap-8" data-testid="insights-results">
          {open.length > 0 && (
            <section aria-labelledby="insights-open" data-testid={`insights-${view === "active" ? "open" : view}`}>
              <h2 id="insights-open" className="mb-3 text-sm font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
                {VIEW_HEADING[view]} <span className="num font-normal">({open.length})</span>
              </h2>
              <InsightCards insights={open} />
            </section>
          )}
          {acknowledged.length > 0 && (
            <section aria-labelledby="insights-acknowledged" data-testid="insights-acknowledged">
              <h2 id="insights-acknowledged" className="mb-3 text-sm font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
                Acknowledged <span className="num font-normal">({acknowledged.length})</span>
              </h2>
              <InsightCards insights={acknowledged} />
            </section>
          )}
        </div>
      )}

      <Section title="Rules & thresholds" testId="insight-rules">
        <RulesSection />
      </Section>
    </>
  );
}

const VIEW_HEADING: Record<StateView, string> = { active: "Open", open: "Open", acknowledged: "Acknowledged", muted: "Muted", resolved: "Resolved" };

function emptyTitle(view: StateView, filtered: boolean): string {
  if (filtered) return "No findings match these filters";
  switch (view) {
    case "muted":
      return "No muted findings";
    case "resolved":
      return "No resolved findings";
    case "acknowledged":
      return "No acknowledged findings";
    default:
      return "No open findings";
  }
}

function emptyHelp(view: StateView, filtered: boolean): React.ReactNode {
  if (filtered) return "Clear a filter or pick another state to see more.";
  if (view === "muted") return "Mute a finding you have decided to live with: it leaves the open list and waits here.";
  if (view === "resolved") return "Findings resolve by themselves when the condition that raised them clears.";
  return (
    <>
      Nothing wrong or wasteful found yet. The rules run after each log pass, so a newly connected account shows findings within a few minutes; check
      ingest health on the <Link href="/" className="link underline">Overview</Link> if none arrive.
    </>
  );
}
