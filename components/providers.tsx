"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { createLiveInterval, LiveRefreshProvider } from "./hooks/live-refresh";

export function Providers({ children }: { children: React.ReactNode }) {
  const [live] = useState(createLiveInterval);
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            staleTime: 10_000,
            // Live pages refetch every 20 s unless paused (the header's Freshness); TanStack pauses intervals while the tab is hidden.
            refetchInterval: live.interval,
            refetchIntervalInBackground: false,
            retry: 1,
          },
        },
      }),
  );
  return (
    <QueryClientProvider client={client}>
      <LiveRefreshProvider live={live}>{children}</LiveRefreshProvider>
    </QueryClientProvider>
  );
}
