"use client";

import { useState } from "react";
import { PRESETS, useTimeRange, type Preset } from "../hooks/use-time-range";

const toLocalInput = (t: number) => {
  const d = new Date(t - new Date(t).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

/** 1h / 24h / 7d / 30d or a custom from-to, kept in the URL. */
export function RangePicker({ fallback = "24h" }: { fallback?: Preset }) {
  const { range, set } = useTimeRange(fallback);
  const [custom, setCustom] = useState(range.preset === null);
  const [from, setFrom] = useState(() => (range.from ? toLocalInput(Date.parse(range.from)) : toLocalInput(Date.now() - 86_400_000)));
  const [to, setTo] = useState(() => (range.to ? toLocalInput(Date.parse(range.to)) : toLocalInput(Date.now())));
  const valid = from && to && Date.parse(from) < Date.parse(to);
  const btn = (active: boolean) =>
    `px-2.5 py-1 text-sm font-medium first:rounded-l-md last:rounded-r-md ${
      active ? "bg-brand-600 text-white" : "bg-white text-zinc-700 hover:bg-zinc-100 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800"
    }`;
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="range-picker">
      <div role="group" aria-label="Time range" className="inline-flex divide-x divide-zinc-200 rounded-md border border-zinc-300 shadow-sm dark:divide-zinc-700 dark:border-zinc-700">
        {PRESETS.map((p) => (
          <button
            key={p}
            type="button"
            aria-pressed={range.preset === p && !custom}
            className={btn(range.preset === p && !custom)}
            onClick={() => {
              setCustom(false);
              set({ range: p === fallback ? null : p, from: null, to: null });
            }}
          >
            {p}
          </button>
        ))}
        <button type="button" aria-pressed={custom} aria-expanded={custom} className={btn(custom)} onClick={() => setCustom((c) => !c)}>
          Custom
        </button>
      </div>
      {custom && (
        <form
          className="flex items-center gap-1.5 text-sm"
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) set({ range: null, from: new Date(from).toISOString(), to: new Date(to).toISOString() });
          }}
        >
          <label className="sr-only" htmlFor="range-from">From</label>
          <input id="range-from" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} className="input" />
          <span aria-hidden>–</span>
          <label className="sr-only" htmlFor="range-to">To</label>
          <input id="range-to" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} className="input" />
          <button type="submit" disabled={!valid} className="btn-primary">
            Apply
          </button>
        </form>
      )}
    </div>
  );
}
