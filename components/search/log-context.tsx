"use client";

import { formatTimeMs } from "../format";
import { Highlighted } from "./highlight";
import { useLogContext, type Hit } from "./use-log-search";

const LINES = 10;

/** The lines before and after a hit in its log stream (the same execution environment), the hit marked. */
export function LogContext({ hit, re }: { hit: Hit; re: RegExp | null }) {
  const ctx = useLogContext(hit, LINES, true);
  if (ctx.isPending) return <div className="skeleton h-24 w-full" aria-busy="true" aria-label="Loading the lines around this one" />;
  if (ctx.isError) return <p className="text-xs text-red-700 dark:text-red-300">Could not load the lines around this one: {ctx.error.message}</p>;
  const lines = [...ctx.data.before, ctx.data.line, ...ctx.data.after];
  return (
    <ol className="max-h-96 overflow-auto rounded bg-zinc-100 py-1 font-mono text-xs leading-5 dark:bg-zinc-800" data-testid="log-context" aria-label={`${LINES} lines before and after, same log stream`}>
      {lines.map((l) => {
        const self = l.eventId === hit.eventId;
        return (
          <li key={l.eventId} className={`flex gap-3 px-3 ${self ? "bg-amber-100 dark:bg-amber-500/15" : ""}`} aria-current={self ? "true" : undefined} data-testid={self ? "context-match" : "context-line"}>
            <time dateTime={l.ts} className="num shrink-0 text-zinc-500 dark:text-zinc-400">
              {formatTimeMs(l.ts)}
            </time>
            <span className="min-w-0 whitespace-pre-wrap break-words">{self ? <Highlighted text={l.message} re={re} /> : l.message}</span>
          </li>
        );
      })}
    </ol>
  );
}
