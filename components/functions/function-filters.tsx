"use client";

import { useEffect, useMemo, useState } from "react";
import { useAccountsQuery } from "../hooks/use-accounts-query";
import type { ParamPatch } from "../hooks/use-url-state";

/** Text that reaches the URL after typing pauses, so each keystroke does not refetch. */
function DebouncedInput({ id, label, value, onCommit, placeholder, className }: { id: string; label: string; value: string; onCommit: (v: string) => void; placeholder?: string; className?: string }) {
  const [text, setText] = useState(value);
  const [prev, setPrev] = useState(value);
  if (value !== prev) {
    setPrev(value);
    setText(value);
  }
  useEffect(() => {
    if (text === value) return;
    const t = setTimeout(() => onCommit(text.trim()), 300);
    return () => clearTimeout(t);
  }, [text, value, onCommit]);
  return (
    <label htmlFor={id} className="flex flex-col gap-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
      {label}
      <input id={id} type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder={placeholder} className={`input ${className ?? ""}`} />
    </label>
  );
}

/** `runtimes` come from the data (the list's meta), plus the one in the URL so a stale link still shows its choice. */
export function FunctionFilters({ params, set, runtimes: present }: { params: URLSearchParams; set: (p: ParamPatch) => void; runtimes: string[] }) {
  const accounts = useAccountsQuery();
  const regions = useMemo(() => [...new Set((accounts.data ?? []).flatMap((a) => a.regions))].sort(), [accounts.data]);
  const runtimes = useMemo(() => [...new Set([...present, params.get("runtime") ?? ""].filter(Boolean))].sort(), [present, params]);
  const select = (id: string, label: string, key: string, options: { value: string; label: string }[]) => (
    <label htmlFor={id} className="flex flex-col gap-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
      {label}
      <select id={id} className="input" value={params.get(key) ?? ""} onChange={(e) => set({ [key]: e.target.value || null })}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="flex flex-wrap items-end gap-3" data-testid="function-filters">
      <DebouncedInput id="filter-q" label="Name" value={params.get("q") ?? ""} onCommit={(v) => set({ q: v || null })} placeholder="Search functions" className="w-56" />
      {select("filter-account", "Account", "account", (accounts.data ?? []).map((a) => ({ value: String(a.id), label: a.name })))}
      {select("filter-region", "Region", "region", regions.map((r) => ({ value: r, label: r })))}
      {select("filter-runtime", "Runtime", "runtime", runtimes.map((r) => ({ value: r, label: r })))}
      <DebouncedInput id="filter-tag" label="Tag" value={params.get("tag") ?? ""} onCommit={(v) => (v === "" || v.includes(":")) && set({ tag: v || null })} placeholder="team:payments" className="w-40" />
    </div>
  );
}
