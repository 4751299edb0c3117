"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { formatDateTime, formatTimeMs } from "../format";
import { ApiError } from "../hooks/fetch-json";
import { readTimeRange } from "../hooks/use-time-range";
import { useUrlState } from "../hooks/use-url-state";
import { PageHeader } from "../ui/page-header";
import { RangePicker } from "../ui/range-picker";
import { Code, EmptyState, ErrorState, SkeletonRows } from "../ui/states";
import { Highlighted, highlighter } from "./highlight";
import { LiveTail } from "./live-tail";
import { LogContext } from "./log-context";
import { SavedSearches } from "./saved-searches";
import { SearchHistogram } from "./search-histogram";
import { useFunctionOptions, useLogSearch, type Hit } from "./use-log-search";

const dayMonth = new Intl.DateTimeFormat("en-GB", { day: "2-digit", month: "short" });

const EXAMPLES = ['"Task timed out after"', "level = ERROR", "errorType = PaymentDeclinedError", "NullPointerException", "/time(d)? ?out/"];

export function LogSearchPage() {
  const [params, set] = useUrlState();
  const q = (params.get("q") ?? "").trim();
  const range = readTimeRange(params, "24h");
  const resource = params.get("resource") ?? "";
  const live = params.get("live") === "1";

  const scopeQuery = useMemo(() => {
    if (!q) return null;
    const s = new URLSearchParams(range.query);
    s.set("q", q);
    if (resource) s.set("resource", resource);
    return s.toString();
  }, [q, range.query, resource]);
  const search = useLogSearch(scopeQuery && !live ? `${scopeQuery}&limit=50` : null);
  const indexed = search.data?.pages[0]?.indexed ?? true;
  const hits = search.data?.pages.flatMap((p) => p.data) ?? [];
  // Set when the last page stopped at its time budget: older lines are the next page's to search.
  const searchedFrom = search.data?.pages.at(-1)?.searchedFrom ?? null;
  const re = useMemo(() => highlighter(q), [q]);
  const syntaxError = search.error instanceof ApiError && search.error.status === 400 ? search.error.message : null;

  return (
    <>
      <PageHeader title="Logs" description="Search the log lines of every function: any text (also inside longer words), phrases, regular expressions and fields of JSON logs." />

      <div className="card mb-4 flex flex-col gap-3 p-4">
        <SearchBox key={q} initial={q} onSubmit={(v) => set({ q: v || null })} error={syntaxError} />
        <div className="flex flex-wrap items-center gap-3">
          <RangePicker fallback="24h" />
          <FunctionFilter value={resource} onChange={(v) => set({ resource: v || null })} />
          <button type="button" className={live ? "btn-primary" : "btn"} aria-pressed={live} onClick={() => set({ live: live ? null : "1" })} data-testid="search-live">
            Live tail
          </button>
        </div>
        <SavedSearches q={q} range={range.preset} resource={resource} />
      </div>

      {!indexed && (
        <p role="status" className="mb-4 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200">
          This Postgres has no pg_trgm extension, so searches read every line of the time range in turn: they are slower over long ranges. Install the Postgres contrib
          package and run <Code>osprey migrate</Code> again to index log lines for search.
        </p>
      )}
      {live ? (
        <LiveTail key={`${resource}|${q}`} resourceIds={resource ? [Number(resource)] : []} initialQuery={q} label={resource ? "this function" : "every function"} />
      ) : null}
      {!live && q && !syntaxError && (
        <div className="mb-4">
          <SearchHistogram query={scopeQuery} />
        </div>
      )}

      {live ? null : !q ? (
        <EmptyState title="Search your functions' logs">
          <p>Type words, a phrase in quotes, or a field of JSON logs, then press Enter. Try one of these:</p>
          <ul className="mt-2 flex flex-wrap gap-2">
            {EXAMPLES.map((e) => (
              <li key={e}>
                <button type="button" className="btn px-2 py-0.5 font-mono text-xs" onClick={() => set({ q: e })}>
                  {e}
                </button>
              </li>
            ))}
          </ul>
        </EmptyState>
      ) : search.isPending ? (
        <SkeletonRows rows={8} />
      ) : search.isError && !search.data ? (
        syntaxError ? (
          <EmptyState title="This search cannot be read">
            <p>
              {syntaxError}. Check the quotes, the <Code>/regular expressions/</Code> and the <Code>field = value</Code> filters, then search again.
            </p>
          </EmptyState>
        ) : (
          <ErrorState error={search.error} />
        )
      ) : hits.length === 0 && !search.hasNextPage ? (
        <EmptyState title="No log lines match">
          <p>
            Nothing in the {range.label.toLowerCase()}
            {resource ? " for this function" : ""} matches <Code>{q}</Code>. Widen the time range, pick all functions, or use fewer words: every term must match.
          </p>
        </EmptyState>
      ) : (
        <>
          <p className="mb-2 text-xs text-zinc-600 dark:text-zinc-400" aria-live="polite">
            {hits.length}
            {search.hasNextPage ? "+" : ""} line{hits.length === 1 ? "" : "s"}, newest first · {range.label.toLowerCase()}
            {searchedFrom !== null && <> · searched back to {formatDateTime(searchedFrom)} so far</>}
          </p>
          <ol className="card divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="search-results" aria-label="Matching log lines">
            {hits.map((h) => (
              <HitRow key={h.eventId} hit={h} re={re} />
            ))}
          </ol>
          {search.hasNextPage && (
            <div className="mt-4 flex justify-center">
              <button type="button" className="btn" onClick={() => search.fetchNextPage()} disabled={search.isFetchingNextPage}>
                {search.isFetchingNextPage ? "Loading…" : searchedFrom !== null ? "Search older lines" : "Load more"}
              </button>
            </div>
          )}
          {search.isFetchNextPageError && (
            <p role="alert" className="mt-2 text-center text-sm text-red-700 dark:text-red-300">
              Could not load more: {search.error.message}
            </p>
          )}
        </>
      )}
    </>
  );
}

function SearchBox({ initial, onSubmit, error }: { initial: string; onSubmit: (v: string) => void; error: string | null }) {
  const [value, setValue] = useState(initial);
  return (
    <form
      role="search"
      aria-label="Log search"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(value.trim());
      }}
    >
      <label htmlFor="log-search" className="sr-only">
        Search logs
      </label>
      <div className="flex gap-2">
        <input
          id="log-search"
          type="search"
          className="input flex-1 py-1.5 font-mono"
          placeholder='timeout "Task timed out" level = ERROR'
          value={value}
          maxLength={500}
          autoComplete="off"
          spellCheck={false}
          aria-describedby="log-search-help"
          aria-invalid={error ? true : undefined}
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit" className="btn-primary" disabled={!value.trim()}>
          Search
        </button>
      </div>
      <p id="log-search-help" className="mt-1.5 text-xs text-zinc-600 dark:text-zinc-400">
        Words match anywhere, also inside longer words · <Code>&quot;a phrase&quot;</Code> matches as written · <Code>/regex/</Code> narrows with a regular expression ·{" "}
        <Code>level = ERROR</Code> or <Code>userId = 42</Code> filter fields of JSON logs · every term must match, case does not matter.
      </p>
    </form>
  );
}

function FunctionFilter({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const fns = useFunctionOptions();
  return (
    <div className="flex items-center gap-1.5">
      <label htmlFor="log-function" className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
        Function
      </label>
      <select id="log-function" className="input max-w-xs" value={value} onChange={(e) => onChange(e.target.value)} disabled={fns.isPending}>
        <option value="">All functions</option>
        {value && !fns.data?.some((f) => String(f.id) === value) && <option value={value}>Function {value}</option>}
        {(fns.data ?? []).map((f) => (
          <option key={f.id} value={f.id}>
            {f.name}
            {f.region ? ` (${f.region})` : ""}
          </option>
        ))}
      </select>
    </div>
  );
}

const LEVEL_TONE: Record<string, string> = {
  ERROR: "bg-red-100 text-red-800 dark:bg-red-500/15 dark:text-red-300",
  FATAL: "bg-red-100 text-red-800 dark:bg-red-500/15 dark:text-red-300",
  WARN: "bg-amber-100 text-amber-900 dark:bg-amber-500/15 dark:text-amber-300",
  WARNING: "bg-amber-100 text-amber-900 dark:bg-amber-500/15 dark:text-amber-300",
  INFO: "bg-sky-100 text-sky-900 dark:bg-sky-500/15 dark:text-sky-300",
};

/** The level of a line: the API's for JSON logs, else the level column of Lambda's text format, else the platform line's kind. */
function levelOf(h: Hit): string | null {
  if (h.level) return h.level.toUpperCase();
  const m = /\t(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\t/.exec(h.message) ?? /^\[(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\]/.exec(h.message);
  if (m) return m[1];
  const p = /^(START|END|REPORT|INIT_START) /.exec(h.message);
  return p ? p[1] : null;
}

// Lambda's text format starts every line with the time and request id, which the row already shows.
const TEXT_PREFIX = /^\d{4}-\d\d-\d\dT[\d:.]+Z\s+[0-9a-f-]{36}\s+(?:(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\s+)?/i;

function shortLine(message: string): string {
  return message.replace(TEXT_PREFIX, "").trim();
}

/** The JSON object in a line, pretty-printed: the whole line for JSON logs, or what follows the text prefix. */
function prettyJson(message: string): string | null {
  const start = message.indexOf("{");
  if (start < 0) return null;
  try {
    const v: unknown = JSON.parse(message.slice(start).trim());
    return v && typeof v === "object" ? JSON.stringify(v, null, 2) : null;
  } catch {
    return null;
  }
}

export function HitRow({ hit: h, re }: { hit: Hit; re: RegExp | null }) {
  const [open, setOpen] = useState(false);
  const [context, setContext] = useState(false);
  const level = levelOf(h);
  const json = useMemo(() => (open ? prettyJson(h.message) : null), [open, h.message]);
  const detailId = `hit-${h.eventId}`;
  return (
    <li className="px-4 py-2" data-testid="search-hit">
      <div className="flex items-start gap-3 text-xs">
        <button
          type="button"
          aria-expanded={open}
          aria-controls={open ? detailId : undefined}
          onClick={() => setOpen((o) => !o)}
          className="mt-0.5 w-4 shrink-0 rounded text-zinc-500 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
        >
          <span aria-hidden className={`inline-block transition-transform ${open ? "rotate-90" : ""}`}>
            ▶
          </span>
          <span className="sr-only">{open ? "Collapse" : "Expand"} line</span>
        </button>
        <time dateTime={h.ts} title={formatDateTime(h.ts)} className="num w-36 shrink-0 whitespace-nowrap text-zinc-700 dark:text-zinc-300">
          <span className="text-zinc-500 dark:text-zinc-400">{dayMonth.format(Date.parse(h.ts))} </span>
          {formatTimeMs(h.ts)}
        </time>
        <Link href={`/functions/${h.resourceId}`} className="link w-40 shrink-0 truncate" title={`${h.functionName} (${h.region})`}>
          {h.functionName}
        </Link>
        <span className="w-16 shrink-0">
          {level && <span className={`rounded px-1.5 py-0.5 font-mono text-[11px] font-medium ${LEVEL_TONE[level] ?? "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300"}`}>{level}</span>}
        </span>
        <p className={`min-w-0 flex-1 font-mono ${open ? "hidden" : "truncate"}`}>
          <Highlighted text={shortLine(h.message)} re={re} />
        </p>
        {open && <span className="flex-1" />}
        {h.invocationUrl ? (
          <Link href={h.invocationUrl} className="link shrink-0 whitespace-nowrap font-medium" data-testid="hit-invocation">
            Invocation<span className="sr-only"> {h.requestId}</span> →
          </Link>
        ) : (
          <span className="shrink-0 text-zinc-500 dark:text-zinc-400" title="This line is outside any invocation (for example, written during init)">
            no invocation
          </span>
        )}
      </div>
      {open && (
        <div id={detailId} className="ml-7 mt-2">
          <pre className="max-h-96 overflow-auto whitespace-pre-wrap break-words rounded bg-zinc-100 p-3 font-mono text-xs leading-5 dark:bg-zinc-800">
            <Highlighted text={json ?? h.message} re={re} />
          </pre>
          <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
            {h.requestId ? (
              <>
                Request <Code>{h.requestId}</Code> ·{" "}
              </>
            ) : null}
            Log stream <Code>{h.logStream}</Code> ·{" "}
            <button type="button" className="link" aria-expanded={context} onClick={() => setContext((c) => !c)} data-testid="show-context">
              {context ? "Hide context" : "Show context"}
            </button>
          </p>
          {context && (
            <div className="mt-2">
              <LogContext hit={h} re={re} />
            </div>
          )}
        </div>
      )}
    </li>
  );
}
