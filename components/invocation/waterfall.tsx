"use client";

import { useMemo, useState } from "react";
import type { InvocationDetail } from "@/lib/api/schemas/invocation";
import { formatMs } from "../format";

type Span = InvocationDetail["spans"][number];

/** Parents before children, siblings by start: the order X-Ray's console shows. */
function treeOrder(spans: Span[]): Span[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string | null, Span[]>();
  for (const s of spans) {
    const parent = s.parentId && ids.has(s.parentId) ? s.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  const out: Span[] = [];
  const walk = (parent: string | null) => {
    for (const s of (children.get(parent) ?? []).sort((a, b) => a.startOffsetMs - b.startOffsetMs)) {
      out.push(s);
      walk(s.spanId);
    }
  };
  walk(null);
  return out;
}

function tone(s: Span): { bar: string; label: string | null } {
  if (s.fault) return { bar: "bg-red-500", label: "fault" };
  if (s.throttle) return { bar: "bg-violet-500", label: "throttle" };
  if (s.error) return { bar: "bg-amber-500", label: "error" };
  if (s.depth === 0) return { bar: "bg-zinc-400 dark:bg-zinc-500", label: null };
  if (s.namespace === "aws" || s.awsOperation) return { bar: "bg-orange-400", label: null };
  if (s.namespace === "remote" || s.httpUrl) return { bar: "bg-teal-500", label: null };
  return { bar: "bg-brand-500", label: null };
}

const KIND_BADGE: Record<NonNullable<Span["kind"]>, { short: string; title: string }> = {
  segment: { short: "seg", title: "Segment: a service's own record of the request" },
  subsegment: { short: "sub", title: "Subsegment: work or a call recorded inside a segment" },
  inferred: { short: "inf", title: "Inferred: X-Ray drew this segment from the caller's subsegment; the service sends none" },
};

function describe(s: Span): string {
  return [s.awsOperation && `${s.awsOperation}`, s.awsResource, s.httpMethod && s.httpUrl && `${s.httpMethod} ${s.httpUrl}`, s.httpStatus && `HTTP ${s.httpStatus}`]
    .filter(Boolean)
    .join(" · ");
}

function SpanDetails({ s }: { s: Span }) {
  const rows: [string, string | null][] = [
    ["Name", s.name],
    ["Kind", s.kind],
    ["Called from", s.externalParentId ? `${s.externalParentId} (outside this trace)` : null],
    ["Origin", s.origin],
    ["Namespace", s.namespace],
    ["Start offset", formatMs(s.startOffsetMs)],
    ["Duration", s.inProgress ? "in progress" : formatMs(s.durationMs)],
    ["Operation", s.awsOperation],
    ["Resource", s.awsResource],
    ["HTTP", s.httpMethod || s.httpUrl ? `${s.httpMethod ?? ""} ${s.httpUrl ?? ""}`.trim() : null],
    ["Status", s.httpStatus ? String(s.httpStatus) : null],
    ["SQL", s.sql],
    ["Flags", [s.error && "error", s.fault && "fault", s.throttle && "throttle", s.inferred && "inferred"].filter(Boolean).join(", ") || null],
  ];
  return (
    <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1 bg-zinc-50 px-4 py-3 text-xs dark:bg-zinc-800/50" data-testid="span-details">
      {rows
        .filter(([, v]) => v)
        .map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="text-zinc-600 dark:text-zinc-400">{k}</dt>
            <dd className="break-all font-mono">{v}</dd>
          </div>
        ))}
    </dl>
  );
}

// Narrower name and duration columns on a phone leave the bars room.
const ROW_GRID = "grid grid-cols-[minmax(6rem,40%)_1fr_3.5rem] gap-x-2 px-3 sm:grid-cols-[minmax(12rem,18rem)_1fr_5rem] sm:gap-x-0 sm:px-4";

export function Waterfall({ spans }: { spans: Span[] }) {
  const ordered = useMemo(() => treeOrder(spans), [spans]);
  const total = useMemo(() => Math.max(1, ...spans.map((s) => s.startOffsetMs + (s.durationMs ?? 0))), [spans]);
  const [open, setOpen] = useState<string | null>(null);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <div className="card overflow-hidden" data-testid="waterfall">
      <div className={`${ROW_GRID} border-b border-zinc-200 py-2 text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400`}>
        <span>Segment</span>
        <span className="relative h-4" aria-hidden>
          {ticks.map((t) => (
            <span key={t} className="num absolute whitespace-nowrap -translate-x-1/2 first:translate-x-0 last:-translate-x-full" style={{ left: `${t * 100}%` }}>
              {formatMs(total * t)}
            </span>
          ))}
        </span>
        <span className="text-right">Duration</span>
      </div>
      <ul>
        {ordered.map((s) => {
          const t = tone(s);
          const left = (s.startOffsetMs / total) * 100;
          const width = Math.max(0.4, ((s.durationMs ?? total - s.startOffsetMs) / total) * 100);
          const isOpen = open === s.spanId;
          const detail = describe(s);
          return (
            <li key={s.spanId} className="border-b border-zinc-100 last:border-0 dark:border-zinc-800" data-testid="span">
              <button
                type="button"
                aria-expanded={isOpen}
                onClick={() => setOpen(isOpen ? null : s.spanId)}
                title={`${s.name}${detail ? ` · ${detail}` : ""} · starts at ${formatMs(s.startOffsetMs)} · ${formatMs(s.durationMs)}`}
                className={`${ROW_GRID} w-full items-center py-1.5 text-left text-sm hover:bg-zinc-50 focus-visible:bg-zinc-50 dark:hover:bg-zinc-800/50 dark:focus-visible:bg-zinc-800/50`}
              >
                <span className="flex min-w-0 items-center gap-1.5" style={{ paddingLeft: `${s.depth * 14}px` }}>
                  {s.kind && (
                    <span
                      className="rounded border border-zinc-300 px-1 text-[10px] uppercase text-zinc-600 dark:border-zinc-600 dark:text-zinc-400"
                      title={KIND_BADGE[s.kind].title}
                      data-testid="span-kind"
                    >
                      {KIND_BADGE[s.kind].short}
                    </span>
                  )}
                  {s.externalParentId && (
                    <span
                      className="whitespace-nowrap text-xs text-zinc-600 dark:text-zinc-400"
                      title={`Called from ${s.externalParentId}, outside this trace`}
                      data-testid="span-external-caller"
                    >
                      <span aria-hidden>↳ </span>called from outside this trace
                    </span>
                  )}
                  <span className="truncate">{s.name}</span>
                  {s.awsOperation && <span className="truncate text-xs text-zinc-600 dark:text-zinc-400">{s.awsOperation}</span>}
                  {t.label && <span className="rounded bg-red-100 px-1 text-[10px] font-medium uppercase text-red-800 dark:bg-red-500/15 dark:text-red-300">{t.label}</span>}
                </span>
                <span className="relative h-3.5 rounded-sm bg-zinc-100 dark:bg-zinc-800" aria-hidden>
                  <span className={`absolute inset-y-0 rounded-sm ${t.bar}`} style={{ left: `${left}%`, width: `${Math.min(width, 100 - left)}%` }} />
                </span>
                <span className="num text-right text-xs">{s.inProgress ? "…" : formatMs(s.durationMs)}</span>
              </button>
              {isOpen && <SpanDetails s={s} />}
            </li>
          );
        })}
      </ul>
      <p className="flex flex-wrap gap-3 border-t border-zinc-200 px-4 py-2 text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
        {[
          ["bg-brand-500", "function code"],
          ["bg-orange-400", "AWS call"],
          ["bg-teal-500", "HTTP call"],
          ["bg-amber-500", "error (4xx)"],
          ["bg-red-500", "fault (5xx)"],
          ["bg-violet-500", "throttle"],
        ].map(([c, l]) => (
          <span key={l} className="flex items-center gap-1.5">
            <span aria-hidden className={`inline-block h-2 w-3 rounded-sm ${c}`} />
            {l}
          </span>
        ))}
        <span className="ml-auto">Click a row for details</span>
      </p>
    </div>
  );
}
