"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCan } from "../auth/viewer";
import { fetchJson } from "../hooks/fetch-json";
import type { AccountView } from "../hooks/use-accounts-query";
import { ConfirmRemove } from "../ui/confirm-remove";
import { ConnectionResultView, type ConnectionResult } from "./connection-result";
import { RotateFirehoseKey } from "./firehose-key-control";

const METHOD_LABEL: Record<AccountView["credentialMethod"], string> = {
  default_chain: "Default credential chain",
  profile: "Named profile",
  assume_role: "Assume role",
};

export function AccountRow({ account: a }: { account: AccountView }) {
  const qc = useQueryClient();
  const admin = useCan("admin");
  const test = useMutation({
    mutationFn: () => fetchJson<{ data: ConnectionResult } | ConnectionResult>(`/api/v1/accounts/${a.id}/test`, { method: "POST" }).then((r) => ("data" in r ? r.data : r)),
  });
  const remove = useMutation({
    mutationFn: () => fetchJson(`/api/v1/accounts/${a.id}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["accounts"] }),
  });
  return (
    <li className="px-5 py-4" data-testid="account-row">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <div className="min-w-0">
          <p className="font-medium">
            {a.name}
            {a.isSandbox && <span className="ml-2 rounded bg-sky-100 px-1.5 py-0.5 text-xs text-sky-800 dark:bg-sky-500/15 dark:text-sky-300">sandbox</span>}
          </p>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {a.awsAccountId ?? "account id unknown"} · {a.regions.join(", ")} · {METHOD_LABEL[a.credentialMethod]}
            {a.roleArn ? ` (${a.roleArn}${a.hasExternalId ? `, with external id ${a.externalIdHint ?? ""}` : ""})` : a.profile ? ` (${a.profile})` : ""}
          </p>
          <p className="text-xs text-zinc-600 dark:text-zinc-400" data-testid="firehose-key-hint">
            {a.firehoseKey ? `Firehose key ${a.firehoseKey.hint}, made ${new Date(a.firehoseKey.createdAt).toLocaleString()}` : "No Firehose key yet: rotate to make one"}
          </p>
          {a.isSandbox && (
            <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
              The simulated demo account. Removing it stops the demo data; it comes back on the next start while no real account is connected, unless the
              sandbox is switched off below.
            </p>
          )}
        </div>
        {admin && (
          <div className="flex flex-wrap items-center justify-end gap-2">
            <button type="button" className="btn" onClick={() => test.mutate()} disabled={test.isPending}>
              {test.isPending ? "Testing…" : "Test connection"}
              <span className="sr-only"> for {a.name}</span>
            </button>
            <RotateFirehoseKey accountId={a.id} accountName={a.name} />
            <ConfirmRemove name={a.name} confirmLabel={`Remove ${a.name} and its data`} pending={remove.isPending} onConfirm={() => remove.mutate()} />
          </div>
        )}
      </div>
      <div aria-live="polite">
        {test.data && <ConnectionResultView result={test.data} okLabel="Connected" />}
        {test.isError && (
          <p className="mt-2 text-sm text-red-700 dark:text-red-400" data-testid="test-result">
            Could not run the test: {test.error.message}
          </p>
        )}
        {remove.isError && <p className="mt-2 text-sm text-red-700 dark:text-red-400">Could not remove: {remove.error.message}</p>}
      </div>
    </li>
  );
}
