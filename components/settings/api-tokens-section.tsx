"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { ApiTokenView } from "@/lib/api/schemas/api-tokens";
import { useCan } from "../auth/viewer";
import { formatAgo, formatDateTime } from "../format";
import { fetchJson } from "../hooks/fetch-json";
import { fieldIssue, submitJson } from "../hooks/submit-json";
import { ConfirmRemove } from "../ui/confirm-remove";
import { Code, EmptyState, ErrorState, SkeletonRows } from "../ui/states";
import { ShownOnce } from "../ui/shown-once";

const EXPIRIES = [
  ["30", "30 days"],
  ["90", "90 days"],
  ["365", "1 year"],
  ["", "Never"],
] as const;

function CreateTokenForm({ onCreated, onDone }: { onCreated: (token: string) => void; onDone: () => void }) {
  const qc = useQueryClient();
  const [name, setName] = useState("");
  const [scope, setScope] = useState<"read" | "write">("read");
  const [expiry, setExpiry] = useState<string>("90");
  const create = useMutation({
    mutationFn: () => submitJson("/api/v1/tokens", "POST", { name, scope, expiresInDays: expiry ? Number(expiry) : null }) as Promise<{ token: string }>,
    onSuccess: (res) => {
      onCreated(res.token);
      void qc.invalidateQueries({ queryKey: ["api-tokens"] });
      void qc.invalidateQueries({ queryKey: ["audit"] });
      onDone();
    },
  });
  const nameIssue = fieldIssue(create.error, "name");
  return (
    <form
      className="card grid gap-4 p-5 md:grid-cols-3"
      aria-label="Make an API token"
      data-testid="api-token-form"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <div className="flex flex-col gap-1">
        <label htmlFor="token-name" className="text-sm font-medium">
          Name
        </label>
        <input id="token-name" className="input" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!nameIssue} aria-describedby="token-name-hint" />
        <p id="token-name-hint" className={`text-xs ${nameIssue ? "text-red-700 dark:text-red-400" : "text-zinc-600 dark:text-zinc-400"}`}>
          {nameIssue ?? "What uses it, e.g. deploy script"}
        </p>
      </div>
      <fieldset>
        <legend className="mb-1 text-sm font-medium">Scope</legend>
        <div className="flex flex-col gap-1 text-sm">
          <label className="flex items-center gap-2">
            <input type="radio" name="token-scope" value="read" checked={scope === "read"} onChange={() => setScope("read")} />
            Read: every page&apos;s data, nothing changes
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="token-scope" value="write" checked={scope === "write"} onChange={() => setScope("write")} />
            Read and write: what your role may do
          </label>
        </div>
      </fieldset>
      <div className="flex flex-col gap-1">
        <label htmlFor="token-expiry" className="text-sm font-medium">
          Expires
        </label>
        <select id="token-expiry" className="input" value={expiry} onChange={(e) => setExpiry(e.target.value)}>
          {EXPIRIES.map(([v, label]) => (
            <option key={label} value={v}>
              {v ? `in ${label}` : label}
            </option>
          ))}
        </select>
      </div>
      <div className="flex items-center gap-2 md:col-span-3">
        <button type="submit" className="btn-primary" disabled={create.isPending}>
          {create.isPending ? "Making…" : "Make token"}
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
        {create.isError && !nameIssue && <span className="text-sm text-red-700 dark:text-red-400">Could not make the token: {create.error.message}</span>}
      </div>
    </form>
  );
}

function TokenRow({ token, showUser }: { token: ApiTokenView; showUser: boolean }) {
  const qc = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => fetchJson(`/api/v1/tokens/${token.id}`, { method: "DELETE" }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ["api-tokens"] });
      void qc.invalidateQueries({ queryKey: ["audit"] });
    },
  });
  const state = token.state === "revoked" ? `revoked ${formatDateTime(token.revokedAt)}` : token.state === "expired" ? "expired" : null;
  return (
    <tr className={state ? "text-zinc-600 dark:text-zinc-400" : undefined} data-testid="api-token-row">
      <td className="py-2 pr-3">
        <div className="font-medium">{token.name}</div>
        <div className="font-mono text-xs text-zinc-600 dark:text-zinc-400">{token.hint}</div>
      </td>
      {showUser && <td className="py-2 pr-3">{token.user.email}</td>}
      <td className="py-2 pr-3">{token.scope === "read" ? "read" : "read and write"}</td>
      <td className="py-2 pr-3">{formatDateTime(token.createdAt)}</td>
      <td className="py-2 pr-3">{formatAgo(token.lastUsedAt)}</td>
      <td className="py-2 pr-3">{token.expiresAt ? formatDateTime(token.expiresAt) : "never"}</td>
      <td className="py-2 text-right">
        {state ?? <ConfirmRemove verb="Revoke" name={token.name} confirmLabel={`Revoke ${token.name}`} pending={revoke.isPending} onConfirm={() => revoke.mutate()} note="It stops working at once." />}
        {revoke.isError && <span className="ml-2 text-sm text-red-700 dark:text-red-400">{revoke.error.message}</span>}
      </td>
    </tr>
  );
}

/** Personal API tokens: for scripts and the CLI (`Authorization: Bearer osp_…`). Every signed-in user has their own. */
export function ApiTokensSection() {
  const admin = useCan("admin");
  const [all, setAll] = useState(false);
  const [adding, setAdding] = useState(false);
  const [shown, setShown] = useState<string | null>(null);
  const tokens = useQuery({
    queryKey: ["api-tokens", all ? "all" : "mine"],
    queryFn: () => fetchJson<{ data: ApiTokenView[] }>(`/api/v1/tokens${all ? "?all=1" : ""}`).then((r) => r.data),
  });
  return (
    <section aria-labelledby="api-tokens-heading" className="mt-8">
      <div className="mb-3 flex items-center justify-between">
        <h2 id="api-tokens-heading" className="text-sm font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
          API tokens
        </h2>
        <div className="flex items-center gap-3">
          {admin && (
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
              Everyone&apos;s
            </label>
          )}
          {!adding && (
            <button type="button" className="btn-primary" onClick={() => setAdding(true)}>
              Make API token
            </button>
          )}
        </div>
      </div>
      {adding && (
        <div className="mb-4">
          <CreateTokenForm onCreated={setShown} onDone={() => setAdding(false)} />
        </div>
      )}
      {shown && (
        <div className="mb-4">
          <ShownOnce value={shown} onDismiss={() => setShown(null)} testId="api-token" title="New API token: copy it now, you will not see it again.">
            Send it as Authorization: Bearer &lt;token&gt; to /api/v1, or give it to the CLI with --token or OSPREY_TOKEN. Osprey keeps only its hash.
          </ShownOnce>
        </div>
      )}
      {tokens.isPending ? (
        <SkeletonRows rows={2} />
      ) : tokens.isError ? (
        <ErrorState error={tokens.error} />
      ) : tokens.data.length === 0 ? (
        <EmptyState title="No API tokens">
          <p>
            A token lets a script or the CLI use the API without a browser, e.g. <Code>bin/osprey api GET /api/v1/incidents --token osp_…</Code>. A read token only reads; a
            read-and-write token may do what your role may.
          </p>
        </EmptyState>
      ) : (
        <div className="card overflow-x-auto p-3">
          <table className="w-full text-left text-sm" data-testid="api-tokens">
            <thead className="text-xs text-zinc-600 dark:text-zinc-400">
              <tr>
                <th scope="col" className="pb-2 pr-3 font-medium">Name</th>
                {all && <th scope="col" className="pb-2 pr-3 font-medium">User</th>}
                <th scope="col" className="pb-2 pr-3 font-medium">Scope</th>
                <th scope="col" className="pb-2 pr-3 font-medium">Created</th>
                <th scope="col" className="pb-2 pr-3 font-medium">Last used</th>
                <th scope="col" className="pb-2 pr-3 font-medium">Expires</th>
                <th scope="col" className="pb-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {tokens.data.map((t) => (
                <TokenRow key={t.id} token={t} showUser={all} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
