"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import type { ParamPatch } from "../hooks/use-url-state";

const CHIPS = [
  { key: "errors", label: "Errors" },
  { key: "timeouts", label: "Timeouts" },
  { key: "oom", label: "Out of memory" },
  { key: "cold", label: "Cold starts" },
  { key: "retry", label: "Retries" },
] as const;

/** Invocation-table filters as URL params: errors, timeouts, oom, cold, retry (flags), slow (min ms), logq (log text), group (error group id). */
export function invocationApiQuery(params: URLSearchParams): string {
  const q = new URLSearchParams();
  const failures = [params.get("timeouts") && "timeout", params.get("oom") && "out_of_memory"].filter(Boolean);
  if (params.get("errors")) q.set("status", "error,timeout,out_of_memory,crash");
  else if (failures.length) q.set("status", failures.join(","));
  if (params.get("cold")) q.set("coldStart", "true");
  if (params.get("retry")) q.set("retry", "true");
  const slow = Number(params.get("slow"));
  if (slow > 0) q.set("minDurationMs", String(slow));
  const text = params.get("logq");
  if (text) q.set("q", text);
  const group = Number(params.get("group"));
  if (Number.isInteger(group) && group > 0) q.set("errorGroup", String(group));
  return q.toString();
}

function CommitInput({ id, label, value, onCommit, type, placeholder, width }: { id: string; label: string; value: string; onCommit: (v: string) => void; type: string; placeholder: string; width: string }) {
  const [text, setText] = useState(value);
  const [prev, setPrev] = useState(value);
  if (prev !== value) {
    setPrev(value);
    setText(value);
  }
  useEffect(() => {
    if (text === value) return;
    const t = setTimeout(() => onCommit(text.trim()), 400);
    return () => clearTimeout(t);
  }, [text, value, onCommit]);
  return (
    <label htmlFor={id} className="flex items-center gap-1.5 text-xs font-medium text-zinc-600 dark:text-zinc-400">
      {label}
      <input id={id} type={type} min={0} step={100} value={text} placeholder={placeholder} onChange={(e) => setText(e.target.value)} className={`input ${width}`} />
    </label>
  );
}

export function InvocationFilters({ params, set }: { params: URLSearchParams; set: (p: ParamPatch) => void }) {
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="invocation-filters">
      <div role="group" aria-label="Invocation filters" className="flex flex-wrap gap-1.5">
        {CHIPS.map((c) => {
          const on = params.get(c.key) === "1";
          return (
            <button
              key={c.key}
              type="button"
              aria-pressed={on}
              onClick={() => set({ [c.key]: on ? null : "1" })}
              className={`rounded-full border px-2.5 py-0.5 text-xs font-medium ${
                on ? "border-brand-600 bg-brand-600 text-white" : "border-zinc-300 bg-white text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800"
              }`}
            >
              {c.label}
            </button>
          );
        })}
      </div>
      {params.get("group") && (
        <span className="flex items-center gap-1 rounded-full border border-brand-600 bg-brand-600 py-0.5 pl-2.5 pr-1 text-xs font-medium text-white" data-testid="group-filter">
          <Link href={`/errors/${params.get("group")}`} className="underline">
            Error group #{params.get("group")}
          </Link>
          <button type="button" onClick={() => set({ group: null })} className="rounded-full px-1 hover:bg-brand-700" aria-label="Remove the error group filter">
            ×
          </button>
        </span>
      )}
      <CommitInput id="inv-slow" label="Slower than (ms)" type="number" value={params.get("slow") ?? ""} placeholder="1000" width="w-24" onCommit={(v) => set({ slow: Number(v) > 0 ? v : null })} />
      <CommitInput id="inv-logq" label="Log text" type="search" value={params.get("logq") ?? ""} placeholder="order 42" width="w-44" onCommit={(v) => set({ logq: v || null })} />
    </div>
  );
}
