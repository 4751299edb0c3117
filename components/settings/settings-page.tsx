"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "../hooks/fetch-json";
import { useAccountsQuery, type AccountView } from "../hooks/use-accounts-query";
import { PageHeader } from "../ui/page-header";
import { Code, EmptyState, ErrorState, SkeletonRows } from "../ui/states";

const METHOD_LABEL: Record<AccountView["credentialMethod"], string> = {
  default_chain: "Default credential chain",
  profile: "Named profile",
  assume_role: "Assume role",
};

export function SettingsPage() {
  const accounts = useAccountsQuery();
  const qc = useQueryClient();
  const remove = useMutation({
    mutationFn: (id: number) => fetchJson(`/api/v1/accounts/${id}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["accounts"] }),
  });
  return (
    <>
      <PageHeader title="Settings" description="Connected AWS accounts and how Osprey reaches them." />
      <section aria-labelledby="accounts-heading">
        <h2 id="accounts-heading" className="mb-3 text-sm font-semibold uppercase tracking-wide text-zinc-500">
          Accounts
        </h2>
        {accounts.isPending ? (
          <SkeletonRows />
        ) : accounts.isError ? (
          <ErrorState error={accounts.error} />
        ) : accounts.data.length === 0 ? (
          <EmptyState title="No accounts connected">
            <p>
              Add one with <Code>bin/osprey accounts add --name prod --regions us-east-1</Code>.
            </p>
          </EmptyState>
        ) : (
          <ul className="card divide-y divide-zinc-200 dark:divide-zinc-800">
            {accounts.data.map((a) => (
              <li key={a.id} className="flex items-center justify-between gap-4 px-5 py-4">
                <div>
                  <p className="font-medium">
                    {a.name}
                    {a.isSandbox && <span className="ml-2 rounded bg-sky-100 px-1.5 py-0.5 text-xs text-sky-800 dark:bg-sky-500/15 dark:text-sky-300">sandbox</span>}
                  </p>
                  <p className="text-sm text-zinc-600 dark:text-zinc-400">
                    {a.awsAccountId ?? "account id unknown"} · {a.regions.join(", ")} · {METHOD_LABEL[a.credentialMethod]}
                    {a.roleArn ? ` (${a.roleArn})` : a.profile ? ` (${a.profile})` : ""}
                  </p>
                </div>
                <button
                  type="button"
                  onClick={() => remove.mutate(a.id)}
                  disabled={remove.isPending}
                  className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
                >
                  Remove<span className="sr-only"> {a.name}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        {remove.isError && <ErrorState error={remove.error} />}
      </section>
    </>
  );
}
