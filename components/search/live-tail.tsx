"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import type { LogTailResponse } from "@/lib/api/schemas/tail";
import { ApiError, fetchJson } from "../hooks/fetch-json";
import { Code, ErrorState } from "../ui/states";
import { highlighter } from "./highlight";
import { HitRow } from "./log-search-page";
import { appendTail, TAIL_MAX_LINES } from "./tail-lines";
import type { Hit } from "./use-log-search";

/** The tail asks for new lines this often while it runs. */
export const TAIL_POLL_MS = 2_000;
/**
 * Live tail of some functions (or of every function when `resourceIds` is empty): polls GET /api/v1/tail
 * every 2 s, which also keeps those functions' log groups read every few seconds. Pause stops polling and
 * appending; Resume goes on from where it stopped. The filter takes the log search syntax. Give a `key`
 * that changes with the functions: a new set starts a new tail.
 */
export function LiveTail({ resourceIds, initialQuery = "", label }: { resourceIds: number[]; initialQuery?: string; label: string }) {
  const [paused, setPaused] = useState(false);
  const [draft, setDraft] = useState(initialQuery);
  const [q, setQ] = useState(initialQuery);
  const [lines, setLines] = useState<Hit[]>([]);
  const [watched, setWatched] = useState<number[]>([]);
  const cursor = useRef<string | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const stick = useRef(true);
  const ids = resourceIds.join(",");
  const re = useMemo(() => highlighter(q), [q]);

  const tail = useQuery({
    queryKey: ["live-tail", ids, q],
    enabled: !paused,
    refetchInterval: TAIL_POLL_MS,
    refetchIntervalInBackground: false,
    gcTime: 0,
    retry: false,
    queryFn: async () => {
      const s = new URLSearchParams();
      if (ids) s.set("resource", ids);
      if (q) s.set("q", q);
      if (cursor.current) s.set("after", cursor.current);
      const body = await fetchJson<LogTailResponse>(`/api/v1/tail?${s}`);
      cursor.current = body.cursor;
      setLines((shown) => appendTail(shown, body.data));
      setWatched(body.watched);
      return { at: Date.now(), n: body.data.length, more: body.more };
    },
  });
  const { refetch } = tail;
  const more = tail.data?.more;
  useEffect(() => {
    if (more && !paused) void refetch();
  }, [more, paused, refetch, tail.dataUpdatedAt]);

  // Follows the newest line unless the reader scrolled up.
  useEffect(() => {
    const el = list.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [lines]);

  const syntaxError = tail.error instanceof ApiError && tail.error.status === 400 ? tail.error.message : null;
  return (
    <div className="card p-4" data-testid="live-tail">
      <div className="mb-3 flex flex-wrap items-center gap-3">
        <form
          className="flex min-w-0 flex-1 gap-2"
          role="search"
          aria-label={`Filter the live tail of ${label}`}
          onSubmit={(e) => {
            e.preventDefault();
            // A new filter starts a new tail (a new set of functions: the caller gives a new key).
            if (draft.trim() === q) return;
            cursor.current = null;
            setLines([]);
            setQ(draft.trim());
          }}
        >
          <label htmlFor="live-tail-filter" className="sr-only">
            Filter live lines
          </label>
          <input
            id="live-tail-filter"
            type="search"
            className="input min-w-0 flex-1 py-1.5 font-mono"
            placeholder="level = ERROR  timeout  /regex/"
            value={draft}
            maxLength={500}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={syntaxError ? true : undefined}
            onChange={(e) => setDraft(e.target.value)}
          />
          <button type="submit" className="btn">
            Filter
          </button>
        </form>
        <button type="button" className={paused ? "btn-primary" : "btn"} aria-pressed={paused} onClick={() => setPaused((p) => !p)} data-testid="tail-pause">
          {paused ? "Resume" : "Pause"}
        </button>
        <button type="button" className="btn" onClick={() => setLines([])} disabled={!lines.length}>
          Clear
        </button>
      </div>
      <p className="mb-2 flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400" role="status" aria-live="polite" data-testid="tail-status">
        <span aria-hidden className={`inline-block h-2 w-2 rounded-full ${paused ? "bg-zinc-400" : tail.isError ? "bg-red-500" : "animate-pulse bg-emerald-500"}`} />
        {paused ? "Paused" : tail.isError ? "Not updating" : "Live"} · {lines.length} line{lines.length === 1 ? "" : "s"}
        {lines.length >= TAIL_MAX_LINES ? ` (the newest ${TAIL_MAX_LINES})` : ""} · {label}
        {q ? (
          <>
            {" "}
            · filter <Code>{q}</Code>
          </>
        ) : null}
        {!paused && watched.length > 0 ? ` · read from CloudWatch every few seconds` : ""}
      </p>
      {syntaxError ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {syntaxError}
        </p>
      ) : tail.isError && !lines.length ? (
        <ErrorState error={tail.error} />
      ) : lines.length === 0 ? (
        <p className="py-6 text-center text-sm text-zinc-600 dark:text-zinc-400">{tail.isPending && !paused ? "Starting the tail…" : "No lines yet: new ones appear here as they arrive."}</p>
      ) : (
        <ol
          ref={list}
          tabIndex={0}
          aria-label={`Live log lines of ${label}, oldest first`}
          className="max-h-[32rem] divide-y divide-zinc-100 overflow-auto rounded border border-zinc-100 dark:divide-zinc-800 dark:border-zinc-800"
          data-testid="tail-lines"
          onScroll={(e) => {
            const el = e.currentTarget;
            stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
          }}
        >
          {lines.map((h) => (
            <HitRow key={h.eventId} hit={h} re={re} />
          ))}
        </ol>
      )}
    </div>
  );
}
