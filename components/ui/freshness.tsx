"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useLiveRefresh } from "../hooks/live-refresh";

/** The oldest data among the page's live queries (those on the default 20 s interval), or null when none is on screen. */
function oldestLiveData(client: ReturnType<typeof useQueryClient>, interval: unknown): number | null {
  let oldest: number | null = null;
  for (const q of client.getQueryCache().getAll()) {
    if (!q.observers.some((o) => o.options.refetchInterval === interval && o.options.enabled !== false)) continue;
    const at = q.state.dataUpdatedAt;
    if (at > 0 && (oldest === null || at < oldest)) oldest = at;
  }
  return oldest;
}

/** "Updated N s ago", ticking each second, and a Pause/Resume of the 20 s refresh: in the header of pages that refresh live. */
export function Freshness() {
  const client = useQueryClient();
  const live = useLiveRefresh();
  const [now, setNow] = useState(() => Date.now());
  const [, setVersion] = useState(0);
  useEffect(() => {
    const unsubscribe = client.getQueryCache().subscribe(() => setVersion((v) => v + 1));
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      unsubscribe();
      clearInterval(tick);
    };
  }, [client]);
  if (!live) return null;
  const at = oldestLiveData(client, live.interval);
  if (at === null) return null;
  const s = Math.max(0, Math.round((now - at) / 1000));
  return (
    <div className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400" data-testid="freshness">
      <span className="num whitespace-nowrap" title={new Date(at).toLocaleString()} data-testid="freshness-ago">
        {live.paused ? "Paused · " : ""}updated {s < 60 ? `${s} s` : `${Math.floor(s / 60)} min`} ago
      </span>
      <button type="button" className="btn px-2 py-0.5 text-xs" aria-pressed={live.paused} onClick={() => live.setPaused(!live.paused)} data-testid="freshness-toggle">
        {live.paused ? "Resume" : "Pause"}
      </button>
    </div>
  );
}
