"use client";

import { useMemo } from "react";
import { useAccountsQuery } from "../hooks/use-accounts-query";
import { csvParam, useUrlState } from "../hooks/use-url-state";

function toggle(list: string[], v: string): string | null {
  const next = list.includes(v) ? list.filter((x) => x !== v) : [...list, v];
  return next.length ? next.join(",") : null;
}

/** Account and region toggles: none selected means all, several selected are combined. */
export function ScopePicker() {
  const [params, set] = useUrlState();
  const accounts = useAccountsQuery();
  const selAccounts = csvParam(params, "account");
  const selRegions = csvParam(params, "region");
  const regions = useMemo(() => [...new Set((accounts.data ?? []).flatMap((a) => a.regions))].sort(), [accounts.data]);
  if (!accounts.data || (accounts.data.length < 2 && regions.length < 2)) return null;
  const chip = (active: boolean) =>
    `rounded-full border px-2.5 py-0.5 text-xs font-medium ${
      active
        ? "border-brand-600 bg-brand-600 text-white"
        : "border-zinc-300 bg-white text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800"
    }`;
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2" data-testid="scope-picker">
      {accounts.data.length > 1 && (
        <div role="group" aria-label="Accounts" className="flex flex-wrap items-center gap-1.5">
          <span className="text-xs text-zinc-600 dark:text-zinc-400">Accounts</span>
          <button type="button" className={chip(selAccounts.length === 0)} aria-pressed={selAccounts.length === 0} onClick={() => set({ account: null })}>
            All
          </button>
          {accounts.data.map((a) => (
            <button key={a.id} type="button" className={chip(selAccounts.includes(String(a.id)))} aria-pressed={selAccounts.includes(String(a.id))} onClick={() => set({ account: toggle(selAccounts, String(a.id)) })}>
              {a.name}
            </button>
          ))}
        </div>
      )}
      {regions.length > 1 && (
        <div role="group" aria-label="Regions" className="flex flex-wrap items-center gap-1.5">
          <span className="text-xs text-zinc-600 dark:text-zinc-400">Regions</span>
          <button type="button" className={chip(selRegions.length === 0)} aria-pressed={selRegions.length === 0} onClick={() => set({ region: null })}>
            All
          </button>
          {regions.map((r) => (
            <button key={r} type="button" className={chip(selRegions.includes(r))} aria-pressed={selRegions.includes(r)} onClick={() => set({ region: toggle(selRegions, r) })}>
              {r}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

/** The account/region part of an API query string. */
export function scopeQuery(params: URLSearchParams): string {
  const q = new URLSearchParams();
  for (const k of ["account", "region"]) {
    const v = params.get(k);
    if (v) q.set(k, v);
  }
  const s = q.toString();
  return s ? `&${s}` : "";
}
