"use client";

import { useDeferredValue, useId, useState } from "react";
import { useResourceSearch } from "./use-alerts";

const KIND_NOUN: Record<string, string> = {
  lambda: "functions",
  sqs: "queues",
  apigateway: "APIs",
  dynamodb: "tables",
  kinesis: "streams",
  firehose: "delivery streams",
  stepfunctions: "state machines",
  sns: "topics",
  eventbridge: "rules",
};

/** Chosen resources for a policy's scope: a search box over the resource names, results as checkboxes, the choice as removable chips. */
export function ResourcePicker({
  kind,
  selected,
  onChange,
  error,
}: {
  kind: string;
  selected: { id: number; name: string }[];
  onChange: (next: { id: number; name: string }[]) => void;
  error?: string;
}) {
  const uid = useId();
  const [q, setQ] = useState("");
  const deferred = useDeferredValue(q);
  const results = useResourceSearch(kind, deferred);
  const noun = KIND_NOUN[kind] ?? "resources";
  const isOn = (id: number) => selected.some((s) => s.id === id);
  const toggle = (r: { id: number; name: string }) => onChange(isOn(r.id) ? selected.filter((s) => s.id !== r.id) : [...selected, r]);
  return (
    <div className="flex flex-col gap-2" data-testid="resource-picker">
      <label htmlFor={`${uid}-q`} className="text-sm font-medium">
        Find {noun}
      </label>
      <input
        id={`${uid}-q`}
        type="search"
        className="input"
        placeholder="Part of a name"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        aria-controls={`${uid}-results`}
        aria-invalid={!!error}
        aria-describedby={error ? `${uid}-err` : undefined}
      />
      <div id={`${uid}-results`} role="group" aria-label={`Matching ${noun}`} className="max-h-56 overflow-y-auto rounded-md border border-zinc-200 p-2 dark:border-zinc-800">
        {results.isPending ? (
          <p className="text-xs text-zinc-600 dark:text-zinc-400">Searching…</p>
        ) : results.isError ? (
          <p className="text-xs text-red-700 dark:text-red-400">{results.error.message}</p>
        ) : results.data.length === 0 ? (
          <p className="text-xs text-zinc-600 dark:text-zinc-400">No {noun} match.</p>
        ) : (
          <ul className="space-y-1">
            {results.data.map((r) => (
              <li key={r.id}>
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" checked={isOn(r.id)} onChange={() => toggle({ id: r.id, name: r.name })} />
                  <span className="font-mono">{r.name}</span>
                  <span className="text-xs text-zinc-600 dark:text-zinc-400">
                    {r.account} · {r.region}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        )}
      </div>
      {error && (
        <p id={`${uid}-err`} className="text-xs text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
      <div aria-live="polite">
        {selected.length === 0 ? (
          <p className="text-xs text-zinc-600 dark:text-zinc-400">None chosen yet.</p>
        ) : (
          <ul className="flex flex-wrap gap-2" aria-label="Chosen resources" data-testid="chosen-resources">
            {selected.map((s) => (
              <li key={s.id} className="flex items-center gap-1 rounded bg-zinc-100 py-0.5 pr-1 pl-2 text-sm dark:bg-zinc-800">
                <span className="font-mono">{s.name}</span>
                <button type="button" className="rounded px-1 text-zinc-600 hover:bg-zinc-200 dark:text-zinc-300 dark:hover:bg-zinc-700" onClick={() => toggle(s)} aria-label={`Remove ${s.name}`}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
