"use client";

import { useEffect, useMemo, useState } from "react";
import type { InvocationDetail } from "@/lib/api/schemas/invocation";
import { formatTimeMs } from "../format";

type LogLine = InvocationDetail["logs"][number];

// Lambda's text format prefixes each line with "<time>\t<request id>\t<LEVEL>\t".
const TEXT_PREFIX = /^\S+\t[0-9a-f-]{36}\t[A-Z]+\t/;

const LEVEL_TONE: Record<string, string> = {
  ERROR: "bg-red-100 text-red-800 dark:bg-red-500/15 dark:text-red-300",
  FATAL: "bg-red-100 text-red-800 dark:bg-red-500/15 dark:text-red-300",
  WARN: "bg-amber-100 text-amber-900 dark:bg-amber-500/15 dark:text-amber-300",
  WARNING: "bg-amber-100 text-amber-900 dark:bg-amber-500/15 dark:text-amber-300",
  INFO: "bg-sky-100 text-sky-900 dark:bg-sky-500/15 dark:text-sky-300",
  DEBUG: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
};

function display(l: LogLine): { text: string; pretty: string | null } {
  const text = l.message.replace(TEXT_PREFIX, "").replace(/\n$/, "");
  return { text, pretty: l.json ? JSON.stringify(l.json, null, 2) : null };
}

export function LogViewer({ logs, search: initial, onSearch }: { logs: LogLine[]; search: string; onSearch: (v: string) => void }) {
  const [search, setSearch] = useState(initial);
  useEffect(() => {
    if (search === initial) return;
    const t = setTimeout(() => onSearch(search), 300);
    return () => clearTimeout(t);
  }, [search, initial, onSearch]);
  const lines = useMemo(() => logs.map((l) => ({ l, ...display(l) })), [logs]);
  const needle = search.trim().toLowerCase();
  const shown = needle ? lines.filter((x) => x.l.message.toLowerCase().includes(needle) || (x.pretty?.toLowerCase().includes(needle) ?? false)) : lines;
  return (
    <div className="card overflow-hidden" data-testid="logs">
      <div className="flex items-center gap-3 border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
        <label htmlFor="log-search" className="sr-only">
          Search log lines
        </label>
        <input id="log-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Search log lines" className="input w-72 min-w-0 shrink" />
        <span className="num text-xs text-zinc-600 dark:text-zinc-400" aria-live="polite">
          {needle ? `${shown.length} of ${lines.length} lines` : `${lines.length} lines`}
        </span>
      </div>
      {lines.length === 0 ? (
        <p className="p-4 text-sm text-zinc-600 dark:text-zinc-400">No log lines for this invocation (they may still be on their way: logs arrive within a minute or two).</p>
      ) : (
        <ol className="max-h-[36rem] overflow-auto font-mono text-xs leading-5">
          {shown.map(({ l, text, pretty }) => (
            <li key={l.eventId} className="grid grid-cols-[7.5rem_1fr] gap-x-2 border-b border-zinc-100 px-3 py-1 sm:grid-cols-[7.5rem_4rem_1fr] sm:px-4 last:border-0 dark:border-zinc-800/70" data-testid="log-line">
              <span className="num text-zinc-600 dark:text-zinc-400">{formatTimeMs(l.ts)}</span>
              <span>{l.level && <span className={`rounded px-1 text-[10px] font-medium ${LEVEL_TONE[l.level.toUpperCase()] ?? LEVEL_TONE.DEBUG}`}>{l.level}</span>}</span>
              {pretty ? <pre className="col-span-2 whitespace-pre-wrap break-all sm:col-span-1">{pretty}</pre> : <span className="col-span-2 whitespace-pre-wrap break-all sm:col-span-1">{text}</span>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
