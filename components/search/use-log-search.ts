"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import type { LogSearchHit, LogSearchResponse } from "@/lib/api/schemas/search";
import { fetchJson } from "../hooks/fetch-json";

export type Hit = z.infer<typeof LogSearchHit>;

/** Pages of hits, newest first; no refetch on an interval, so "load more" pages stay put while reading. */
export function useLogSearch(query: string | null) {
  return useInfiniteQuery({
    queryKey: ["log-search", query],
    enabled: query !== null,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => fetchJson<LogSearchResponse>(`/api/v1/search?${query}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ""}`),
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: false,
    retry: false,
  });
}

export interface FunctionOption {
  id: number;
  name: string;
  region: string | null;
}

export function useFunctionOptions() {
  return useQuery({
    queryKey: ["log-search", "functions"],
    queryFn: () =>
      fetchJson<{ data: { id: number; name: string; region?: string | null }[] }>("/api/v1/resources?kind=lambda&sort=name&order=asc&limit=500").then((r) =>
        r.data.map((f): FunctionOption => ({ id: f.id, name: f.name, region: f.region ?? null })),
      ),
    refetchInterval: false,
    staleTime: 5 * 60_000,
  });
}
