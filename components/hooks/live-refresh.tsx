"use client";

import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useState } from "react";

/** How often live pages refetch (the default of every query that does not set its own interval). */
export const LIVE_REFRESH_MS = 20_000;

/** The default refetchInterval; its identity marks the queries that refresh live (useFreshness). */
export function createLiveInterval(): { interval: () => number | false; setPaused: (p: boolean) => void } {
  let paused = false;
  return {
    interval: () => (paused ? false : LIVE_REFRESH_MS),
    setPaused: (p) => {
      paused = p;
    },
  };
}

interface LiveState {
  paused: boolean;
  setPaused: (p: boolean) => void;
  interval: () => number | false;
}

const LiveContext = createContext<LiveState | null>(null);

/** Re-applies each observer's options so its refetch timer follows the interval's new answer. */
function rescheduleRefetch(client: QueryClient) {
  for (const query of client.getQueryCache().getAll()) for (const observer of query.observers) observer.setOptions(observer.options);
}

export function LiveRefreshProvider({ live, children }: { live: ReturnType<typeof createLiveInterval>; children: React.ReactNode }) {
  const client = useQueryClient();
  const [paused, setPausedState] = useState(false);
  const setPaused = useCallback(
    (p: boolean) => {
      live.setPaused(p);
      setPausedState(p);
      rescheduleRefetch(client);
      // Resuming shows current data at once rather than at the next tick.
      if (!p) void client.invalidateQueries({ predicate: (q) => q.observers.some((o) => o.options.refetchInterval === live.interval) });
    },
    [client, live],
  );
  return <LiveContext.Provider value={{ paused, setPaused, interval: live.interval }}>{children}</LiveContext.Provider>;
}

export function useLiveRefresh(): LiveState | null {
  return useContext(LiveContext);
}
