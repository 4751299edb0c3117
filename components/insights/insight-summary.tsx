"use client";

import Link from "next/link";
import type { InsightView } from "@/lib/api/schemas/insights";
import { formatUsd } from "../format";
import { Section } from "../ui/section";
import { EmptyState, ErrorState } from "../ui/states";
import { InsightCardsSkeleton } from "./insight-list";
import { resourceHref, SEVERITY_BADGE, SEVERITY_ICON, SEVERITY_LABEL } from "./insight-meta";
import { useInsightList } from "./use-insights";

const ORDER = { critical: 0, warning: 1, info: 2 } as const;
const SHOWN_RESOURCES = 6;

interface RuleGroup {
  ruleId: string;
  title: string;
  severity: InsightView["severity"];
  insights: InsightView[];
  savingUsd: number;
}

function groupByRule(insights: InsightView[]): RuleGroup[] {
  const groups = new Map<string, RuleGroup>();
  for (const i of insights) {
    const g = groups.get(i.ruleId) ?? { ruleId: i.ruleId, title: i.title, severity: i.severity, insights: [], savingUsd: 0 };
    g.insights.push(i);
    if (ORDER[i.severity] < ORDER[g.severity]) g.severity = i.severity;
    g.savingUsd += i.monthlySavingUsd ?? 0;
    groups.set(i.ruleId, g);
  }
  return [...groups.values()].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || b.insights.length - a.insights.length);
}

/** The overview's insights: one line per rule with every resource it found, most severe first. */
export function InsightSummary({ query }: { query: string }) {
  const list = useInsightList([query, "limit=500"].filter(Boolean).join("&"));
  return (
    <Section
      title="Insights"
      testId="insights"
      action={
        <Link href="/insights" className="text-sm text-brand-600 hover:underline dark:text-brand-100">
          All insights
        </Link>
      }
    >
      {list.isPending ? (
        <InsightCardsSkeleton count={2} />
      ) : list.isError ? (
        <ErrorState error={list.error} />
      ) : list.data.data.length === 0 ? (
        <EmptyState title="No insights">Nothing wrong or wasteful found. The rules run after each log pass.</EmptyState>
      ) : (
        <ul className="card divide-y divide-zinc-200 dark:divide-zinc-800" data-testid="insight-summary">
          {groupByRule(list.data.data).map((g) => (
            <li key={g.ruleId} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-4 py-2.5 text-sm" data-rule={g.ruleId}>
              <span className={`inline-flex min-w-20 items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium ${SEVERITY_BADGE[g.severity]}`}>
                <span aria-hidden>{SEVERITY_ICON[g.severity]}</span>
                {SEVERITY_LABEL[g.severity]}
              </span>
              <Link href={`/insights?rule=${encodeURIComponent(g.ruleId)}`} className="font-medium hover:underline">
                {g.title}
              </Link>
              <span className="text-zinc-600 dark:text-zinc-400">
                {g.insights.slice(0, SHOWN_RESOURCES).map((i, n) => {
                  const href = resourceHref(i);
                  const name = i.resourceName ?? i.resourceArn ?? "account";
                  return (
                    <span key={i.id}>
                      {n > 0 && ", "}
                      {href ? (
                        <Link href={href} className="hover:underline">
                          {name}
                        </Link>
                      ) : (
                        name
                      )}
                    </span>
                  );
                })}
                {g.insights.length > SHOWN_RESOURCES && ` and ${g.insights.length - SHOWN_RESOURCES} more`}
              </span>
              {g.savingUsd > 0 && <span className="ml-auto font-medium text-emerald-700 dark:text-emerald-300">save {formatUsd(g.savingUsd)}/mo</span>}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
