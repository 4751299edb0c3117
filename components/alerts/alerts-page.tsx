"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { fetchJson } from "../hooks/fetch-json";
import { useAccountsQuery } from "../hooks/use-accounts-query";
import { useChannelsQuery } from "../hooks/use-channels-query";
import { PageHeader } from "../ui/page-header";
import { Code, EmptyState, ErrorState, SkeletonRows } from "../ui/states";
import { ConfirmRemove } from "../ui/confirm-remove";
import { conditionInWords, scopeInWords } from "./catalogue";
import { usePoliciesQuery, useResourceNames, type PolicyView } from "./use-alerts";
import { useCan } from "../auth/viewer";

const SEVERITY_STYLE: Record<string, string> = {
  critical: "bg-red-100 text-red-900 dark:bg-red-500/15 dark:text-red-300",
  warning: "bg-amber-100 text-amber-900 dark:bg-amber-500/15 dark:text-amber-300",
  info: "bg-sky-100 text-sky-900 dark:bg-sky-500/15 dark:text-sky-300",
};

export function AlertsPage() {
  const admin = useCan("admin");
  const policies = usePoliciesQuery();
  const channels = useChannelsQuery();
  const accounts = useAccountsQuery();
  const { names: resourceNames } = useResourceNames(policies.data?.flatMap((p) => (p.scopeKind === "resources" ? p.resourceIds.slice(0, 3) : [])) ?? []);
  const channelName = (id: number) => channels.data?.find((c) => c.id === id)?.name;
  const accountName = (id: number) => accounts.data?.find((a) => a.id === id)?.name;
  return (
    <div>
      <PageHeader
        title="Alerts"
        description="Policies that watch your functions and open incidents when a condition holds."
        actions={
          admin && (
            <Link href="/alerts/new" className="btn-primary">
              New policy
            </Link>
          )
        }
      />
      {policies.isPending ? (
        <SkeletonRows rows={4} />
      ) : policies.isError ? (
        <ErrorState error={policies.error} />
      ) : policies.data.length === 0 ? (
        <EmptyState title="No alert policies">
          <p>
            A policy watches a figure (error rate, timeouts, p95 duration, cost…) over the last few minutes for everything, an account, a region, a tag or chosen
            resources. When the figure crosses its threshold, Osprey opens an incident and notifies the policy&apos;s channels; the incident resolves itself once
            the condition has been clear for a while. Create one with <em>New policy</em>, or from a terminal with{" "}
            <Code>bin/osprey alerts add --name errors --condition error_rate --threshold 5%</Code>.
          </p>
        </EmptyState>
      ) : (
        <ul className="card divide-y divide-zinc-200 dark:divide-zinc-800" data-testid="policies" aria-label="Alert policies">
          {policies.data.map((p) => (
            <PolicyRow
              key={p.id}
              policy={p}
              scope={scopeInWords(p, { account: accountName, resource: (id) => resourceNames.get(id) })}
              channels={p.channelIds.map((id) => channelName(id) ?? `#${id}`)}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

function PolicyRow({ policy: p, scope, channels }: { policy: PolicyView; scope: string; channels: string[] }) {
  const admin = useCan("admin");
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: ["alert-policies"] });
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => fetchJson(`/api/v1/alert-policies/${p.id}`, { method: "PATCH", body: JSON.stringify({ enabled }) }),
    onSettled: refresh,
  });
  const remove = useMutation({ mutationFn: () => fetchJson(`/api/v1/alert-policies/${p.id}`, { method: "DELETE" }), onSuccess: refresh });
  const firing = p.openIncidents > 0;
  const enabled = toggle.isPending && toggle.variables !== undefined ? toggle.variables : p.enabled;
  return (
    <li className="px-5 py-4" data-testid="policy-row" data-policy-id={p.id}>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 flex-1">
          <p className="flex flex-wrap items-center gap-2 font-medium">
            <Link href={`/alerts/${p.id}`} className="link">
              {p.name}
            </Link>
            <span className={`rounded px-1.5 py-0.5 text-xs ${SEVERITY_STYLE[p.severity] ?? ""}`}>{p.severity}</span>
            {p.isDefault && (
              <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300" data-testid="policy-default">
                default
              </span>
            )}
            {!p.enabled && <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">disabled</span>}
          </p>
          <p className="mt-1 text-sm" data-testid="policy-condition">
            {conditionInWords(p)}
          </p>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            <span data-testid="policy-scope">{scope}</span>
            {" · "}
            <span data-testid="policy-channels">{channels.length ? `Notifies ${channels.join(", ")}` : "Notifies no channel"}</span>
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <span data-testid="policy-state">
            {firing ? (
              <Link href={`/incidents?policy=${p.id}`} className="rounded bg-red-100 px-2 py-1 text-sm font-medium text-red-900 hover:underline dark:bg-red-500/15 dark:text-red-300">
                Firing · {p.openIncidents} open incident{p.openIncidents === 1 ? "" : "s"}
              </Link>
            ) : (
              <span className="rounded bg-emerald-100 px-2 py-1 text-sm font-medium text-emerald-900 dark:bg-emerald-500/15 dark:text-emerald-300">OK</span>
            )}
          </span>
          <label className="flex items-center gap-1.5 text-sm">
            <input type="checkbox" role="switch" checked={enabled} disabled={!admin || toggle.isPending} onChange={(e) => toggle.mutate(e.target.checked)} aria-label={`Enabled: ${p.name}`} />
            Enabled
          </label>
          {admin && (
            <>
              <Link href={`/alerts/${p.id}`} className="btn">
                Edit<span className="sr-only"> {p.name}</span>
              </Link>
              <ConfirmRemove verb="Delete" name={p.name} confirmLabel={`Delete ${p.name}`} note="Its incidents go too." pending={remove.isPending} onConfirm={() => remove.mutate()} />
            </>
          )}
        </div>
      </div>
      {(toggle.isError || remove.isError) && (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          {toggle.isError ? `Could not change it: ${toggle.error.message}` : `Could not delete it: ${remove.error?.message}`}
        </p>
      )}
    </li>
  );
}
